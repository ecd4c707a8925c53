"""Cases: the multi-agency workflow (later issues)."""

from __future__ import annotations
