"""Scoring: scorecards and the smoke index (later issues)."""

from __future__ import annotations
