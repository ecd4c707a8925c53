"""Ingestion: source specs, file readers, column mappings, rejects and idempotent, atomic runs."""

from __future__ import annotations
