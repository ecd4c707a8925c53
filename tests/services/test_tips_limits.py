"""The portal's limits in the store: a sliding window per bucket and key, shared by processes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from smokewatch.services.tips_limits import hit
from smokewatch.store.db import Store
from smokewatch.store.orm_tips import TipLimitHit
from tests.store.conftest import postgres_admin, postgres_url, store_url  # noqa: F401

T0 = 1_800_000_000.0


def test_a_key_gets_its_limit_per_window_then_waits_for_the_oldest(store: Store) -> None:
    allowed = [hit(store, "submit", "k", limit=2, window=600, now=T0 + i) for i in range(3)]
    assert allowed[:2] == [None, None]
    assert allowed[2] == 598.0  # the first of the window leaves at T0 + 600
    assert hit(store, "submit", "other", limit=2, window=600, now=T0 + 3) is None
    assert hit(store, "lookup", "k", limit=2, window=600, now=T0 + 3) is None  # own bucket
    assert hit(store, "submit", "k", limit=2, window=600, now=T0 + 600) is None


def test_refusals_are_not_counted_and_old_rows_are_deleted(store: Store) -> None:
    for i in range(5):
        hit(store, "submit", "k", limit=1, window=10, now=T0 + i)
    with store.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(TipLimitHit)) == 1
    assert hit(store, "submit", "k", limit=1, window=10, now=T0 + 10) is None
    with store.unit_of_work() as session:
        assert session.scalars(sa.select(TipLimitHit.at)).all() == [T0 + 10]


def test_processes_racing_for_the_last_places_get_exactly_the_limit(
    store: Store,
    store_url: str,  # noqa: F811
) -> None:
    others = [Store(store_url) for _ in range(4)]  # one store (a pool) per "process"
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(
                pool.map(
                    lambda i: hit(others[i % 4], "submit", "k", limit=5, window=600, now=T0),
                    range(16),
                )
            )
    finally:
        for other in others:
            other.dispose()
    assert sum(r is None for r in results) == 5
