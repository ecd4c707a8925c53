"""The REST API (FastAPI): a thin edge over the service core."""

from __future__ import annotations
