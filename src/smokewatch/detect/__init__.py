"""Detection: rules as YAML with SQL or Python bodies, fixtures, lint, and the Finding contract."""

from __future__ import annotations
