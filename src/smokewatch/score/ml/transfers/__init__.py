"""Model 3 — bank-transfer risk.

Graph features over the transfer graph, a LightGBM model that scores each transfer (and, through
them, each account), and a typology model that names the most likely pattern. See
docs/transfers-model.md.
"""

from __future__ import annotations
