"""Model 1: enterprise illegal-fundraising risk, trained on the CCF BDCI 2020 data.

``task.train`` and ``task.predict`` are the entry points; ``features.FEATURES`` lists the
documented features; ``data`` declares the input files.
"""

from __future__ import annotations
