"""Model 2: P2P platform failure risk, trained on the 网贷之家 profiles of mid-2017.

``task.train`` and ``task.predict`` are the entry points; ``features.PLATFORM_RISK`` lists
the documented features; ``data`` declares the input files and the evaluation-date views.
"""

from __future__ import annotations
