"""Entity resolution: Chinese name normalisation, deterministic keys, matching (later issues)."""

from __future__ import annotations
