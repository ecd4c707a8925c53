"""Python bodies of the built-in rule pack (``rulepacks/core``)."""

from __future__ import annotations
