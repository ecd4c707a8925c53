"""The web dashboard (later issue): a thin edge over the service core."""

from __future__ import annotations
