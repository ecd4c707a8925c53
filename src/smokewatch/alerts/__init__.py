"""Alerts: dedupe, snooze, routing and watch lists (later issues)."""

from __future__ import annotations
