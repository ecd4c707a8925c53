"""The Chinese language kit: lexicon matching, business-scope clauses, addresses."""

from __future__ import annotations
