"""The alert list's prebuilt statements select exactly what the filters say, for every user.

``scoring.list_alerts`` builds its statement once per shape of filters and binds the values
(the territory's code prefix, sectors, grades …) at each call. These tests hold it to the
plain reading of the filters, on SQLite and PostgreSQL, including values with ``LIKE``
wildcards in them and shapes reused with other values.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from smokewatch.store import Store
from smokewatch.store.orm import Alert, AlertStatus, Run, RunKind, RunStatus
from smokewatch.store.scoring import Region, list_alerts

T0 = datetime(2026, 11, 1, tzinfo=UTC)

ROUTES: list[tuple[str | None, str | None, str, str]] = [
    # (adcode, sector, grade, status)
    ("340202", "p2p", "red", "open"),
    ("340203", "private_fund", "orange", "open"),
    ("340203", None, "red", "open"),
    ("340300", "p2p", "red", "open"),
    ("340202", "p2p_lending", "orange", "snoozed"),
    ("3402_x", "p%2", "red", "open"),  # wildcards in the data: never match by accident
    (None, None, "red", "open"),
    ("340202", "crypto", "yellow", "closed"),
]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    store = Store(store_url)
    store.upgrade()
    with store.unit_of_work() as session:
        session.add(
            Run(
                id="run-1",
                kind=RunKind.SCORE,
                status=RunStatus.SUCCEEDED,
                started_at=T0,
                inputs={},
                stats={},
            )
        )
        session.flush()
        for i, (adcode, sector, grade, status) in enumerate(ROUTES):
            session.add(
                Alert(
                    id=f"a{i}",
                    subject_id=f"e{i}",
                    subject_table="enterprise",
                    subject_name=f"企业{i}",
                    scorecard_id="sw-enterprise",
                    scorecard_version=1,
                    grade=grade,
                    last_grade=grade,
                    score=50.0 + i,
                    as_of=date(2026, 11, 1),
                    status=AlertStatus(status),
                    raised_at=T0,
                    raised_run_id="run-1",
                    updated_at=T0 + timedelta(hours=i),
                    last_run_id="run-1",
                    adcode=adcode,
                    sector=sector,
                    reason_zh="原因",
                    reason_en="reason",
                    assignee="li" if i % 2 else None,
                    acknowledged_at=T0 if i % 3 == 0 else None,
                )
            )
    yield store
    store.dispose()


def _expected(region: Region, **filters: Any) -> list[str]:
    """The alert ids a plain reading of the filters selects, most recently updated first."""
    chosen = []
    for i, (adcode, sector, grade, status) in enumerate(ROUTES):
        if not region.everything:
            if region.prefix is None or adcode is None or not adcode.startswith(region.prefix):
                continue
            if region.sectors and not (
                sector is None or any(sector.startswith(s) for s in region.sectors)
            ):
                continue
        if "statuses" in filters and status not in filters["statuses"]:
            continue
        if "grades" in filters and grade not in filters["grades"]:
            continue
        if "adcode_prefix" in filters and not (adcode or "").startswith(filters["adcode_prefix"]):
            continue
        if "sector" in filters and sector != filters["sector"]:
            continue
        if "assignee" in filters and (i % 2 == 0):
            continue
        if "acknowledged" in filters and (i % 3 == 0) != filters["acknowledged"]:
            continue
        chosen.append(f"a{i}")
    return list(reversed(chosen))


REGIONS = [
    Region(everything=True),
    Region(),  # sees nothing
    Region(prefix="3402"),
    Region(prefix="340203"),
    Region(prefix="3402", sectors=("p2p",)),
    Region(prefix="34", sectors=("crypto", "private")),
    Region(prefix="3402_"),  # "_" is a character here, not a wildcard
]
FILTERS: list[dict[str, Any]] = [
    {},
    {"statuses": ["open"]},
    {"statuses": ["open", "snoozed"], "grades": ["red"]},
    {"grades": ["orange"], "adcode_prefix": "340203"},
    {"sector": "p2p", "acknowledged": True},
    {"assignee": "li", "acknowledged": False},
    {"sector": "p%2"},
]


@pytest.mark.parametrize("region", REGIONS, ids=repr)
def test_every_region_and_filter_selects_what_it_says(store: Store, region: Region) -> None:
    with store.read_session() as session:
        for filters in FILTERS:  # each shape is built once and reused with other values
            rows, total = list_alerts(session, region=region, **filters)
            expected = _expected(region, **filters)
            assert [a.id for a in rows] == expected, filters
            assert total == len(expected)


def test_a_page_past_the_end_still_counts_the_matches(store: Store) -> None:
    with store.read_session() as session:
        first, total = list_alerts(session, region=Region(prefix="3402"), limit=2)
        past, total_past = list_alerts(session, region=Region(prefix="3402"), offset=50)
    assert len(first) == 2
    assert past == []
    assert total == total_past == len(_expected(Region(prefix="3402")))
