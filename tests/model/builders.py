"""Whole rows of typed tables for tests that write straight to an engine.

Engines refuse nulls in a column the table declares required (``nullable: false``), and an
entity table's provenance columns (source, run, record hash, first and last seen) are
required: ingest always fills them in. A test that writes a handful of enterprises by hand
names only the columns it is about; :func:`typed_table` gives the rest what rule fixtures
give them (nulls, and harmless provenance defaults), so every row written is a whole row.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from smokewatch.detect.fixtures import fixture_table
from smokewatch.model.tables import get_table


def typed_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """``rows`` of table ``name`` in its exact Arrow schema, with provenance defaults filled in.

    A column a row names keeps its value, so a test can still set a provenance column (or
    leave a required domain column out to see the write refused); a column the table does not
    have is an error rather than silently dropped.
    """
    return fixture_table(get_table(name), rows, f"test rows of {name}")


__all__ = ["typed_table"]
