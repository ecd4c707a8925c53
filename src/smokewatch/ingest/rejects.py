"""Row-level rejects: which row of the file, which column, why, and the raw row as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

REJECTS_SCHEMA = pa.schema(
    [
        pa.field("row_number", pa.int64(), nullable=False),
        pa.field("column", pa.string()),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("raw", pa.string()),
    ]
)
"""Arrow schema of the rejects of a run (``column`` is null for row-level reasons)."""


@dataclass(frozen=True, slots=True)
class RowReject:
    """One reason why one row of a source file was not loaded."""

    row_number: int
    """Row number in the file, as a person counts it (CSV/XLSX header = row 1)."""

    column: str | None
    """Target column whose value failed, or ``None`` for the whole row."""

    reason: str
    """Why, in plain words."""

    raw: str
    """The raw row as a JSON object (field name → text)."""


def rejects_table(rejects: Iterable[RowReject]) -> pa.Table:
    """The rejects as an Arrow table, ordered by row number."""
    rows = sorted(rejects, key=lambda r: (r.row_number, r.column or ""))
    return pa.Table.from_pydict(
        {
            "row_number": [r.row_number for r in rows],
            "column": [r.column for r in rows],
            "reason": [r.reason for r in rows],
            "raw": [r.raw for r in rows],
        },
        schema=REJECTS_SCHEMA,
    )


__all__ = ["REJECTS_SCHEMA", "RowReject", "rejects_table"]
