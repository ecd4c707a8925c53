"""The company graph: ownership, officers, shared attributes, families (later issues)."""

from __future__ import annotations
