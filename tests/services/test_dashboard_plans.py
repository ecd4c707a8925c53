"""The dashboard's score reads use the score indexes, on SQLite and PostgreSQL.

The statements are the ones the services send (captured as they run), explained by the
database itself. On PostgreSQL sequential scans are disabled for the explanation: a table of
a few rows is cheaper to scan, and the question is whether the index *can* answer the query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from smokewatch.services import dashboard, region_map, reports, search
from smokewatch.store.db import Store
from tests.api.world import IN, World, entity
from tests.services.monitored import world  # noqa: F401


@contextmanager
def _captured(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with their parameters) sent to the store inside the block."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    sa.event.listen(store.sa_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(store.sa_engine, "before_cursor_execute", record)


def _plans(store: Store, statements: list[tuple[str, Any]]) -> list[str]:
    """The plan of every statement that reads the score table, as one text each."""
    plans = []
    with store.sa_engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if not sqlite:
            connection.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            if "FROM score" not in statement:
                continue
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = connection.exec_driver_sql(prefix + statement, parameters).all()
            plans.append(" | ".join(str(r[-1]) for r in rows))
    return plans


READS: dict[str, Callable[[World], object]] = {
    "grade counts": lambda w: reports.summary(w.store, w.actors["lead"]),
    "grade trend": lambda w: dashboard.grade_trend(w.store, w.actors["lead"]),
    "top entities": lambda w: dashboard.top_entities(w.store, w.actors["lead"]),
    "map counts": lambda w: region_map.region_risk(w.store, w.actors["lead"], "340000"),
    "watch list": lambda w: search.search(w.store, w.actors["lead"], search.Filters()),
    "name search": lambda w: search.search(w.store, w.actors["lead"], search.Filters(q="zd")),
}


@pytest.mark.parametrize("read", sorted(READS))
def test_dashboard_reads_of_scores_use_the_cover_or_rank_index(world: World, read: str) -> None:  # noqa: F811
    for grade in ("red", "orange", "blue"):
        entity(world, IN, grade=grade)
    with _captured(world.store) as sent:
        READS[read](world)
    plans = _plans(world.store, sent)
    assert plans, f"{read} sent no query on the score table"
    for plan in plans:
        if "One-Time Filter: false" in plan:  # nothing to read (an empty IN list)
            continue
        assert "ix_score_cover" in plan or "ix_score_rank" in plan, plan
        assert "SCAN score" not in plan and "Seq Scan" not in plan, plan
