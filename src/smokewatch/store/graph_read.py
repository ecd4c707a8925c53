"""Writing the company graph's read model: every table replaced in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.store import _bulk
from smokewatch.store.orm_graph import READ_MODEL

Rows = tuple[Sequence[str], Iterable[Mapping[str, Any]]]
"""Column names and rows (dicts with exactly those columns)."""


def replace_read_model(session: Session, tables: Mapping[str, Rows]) -> dict[str, int]:
    """Empty every ``graph_read_*`` table, then bulk-insert ``tables`` (name → rows).

    Readers on other connections see the previous model until the transaction commits.
    """
    for orm in READ_MODEL:
        session.execute(sa.delete(orm))
    written: dict[str, int] = {}
    for orm in reversed(READ_MODEL):
        table = cast("sa.Table", orm.__table__)
        if table.name in tables:
            columns, rows = tables[table.name]
            written[table.name] = _bulk.insert(session, table, columns, rows)
    return written


__all__ = ["replace_read_model"]
