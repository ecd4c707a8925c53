"""The public tip portal (issue 10): its own app and port, built on ``smokewatch.webkit``."""

from __future__ import annotations
