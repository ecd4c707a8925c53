"""Online patrol (网上巡查): a polite crawler as an ingest source, evidence fixation, changes."""

from __future__ import annotations
