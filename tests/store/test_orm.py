"""ORM types: UTC timestamps, JSON with Chinese text, constraints enforced by the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from smokewatch.errors import Conflict, InvalidInput
from smokewatch.model.tables import get_table
from smokewatch.store import Finding, IngestReject, Run, RunKind, RunStatus, Store, repos

SHANGHAI = timezone(timedelta(hours=8))

INPUTS = {
    "file": "/data/芜湖市企业登记.csv",
    "sha256": "ab" * 32,
    "rules": [{"id": "SW-R-0001", "version": 2, "hash": "cd" * 32, "title": "未持牌使用金融字样"}],
    "settings_digest": "0123456789abcdef",
    "nested": {"空": None, "flag": True, "ratio": 0.25},
}


def _read_run(store: Store, run_id: str = "ing-1") -> Run:
    with store.read_session() as session:
        return repos.get_run_or_raise(session, run_id)


def test_timestamps_come_back_timezone_aware_in_utc(store: Store) -> None:
    started = datetime(2026, 11, 21, 9, 30, 12, 123456, tzinfo=UTC)
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest", started_at=started)
    back = _read_run(store).started_at
    assert back == started
    assert back.tzinfo is UTC


def test_a_non_utc_timestamp_is_stored_as_the_same_instant(store: Store) -> None:
    local = datetime(2026, 11, 21, 17, 30, tzinfo=SHANGHAI)
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest", started_at=local)
    back = _read_run(store).started_at
    assert back == local
    assert (back.hour, back.tzinfo) == (9, UTC)


def test_timestamps_order_by_instant_across_time_zones(store: Store) -> None:
    with store.unit_of_work() as session:
        repos.add_run(
            session, run_id="later", kind="ingest", started_at=datetime(2026, 1, 1, 9, tzinfo=UTC)
        )
        repos.add_run(
            session,
            run_id="earlier",
            kind="ingest",
            started_at=datetime(2026, 1, 1, 16, tzinfo=SHANGHAI),  # 08:00 UTC
        )
    with store.read_session() as session:
        assert [r.id for r in repos.list_runs(session)] == ["later", "earlier"]


def test_naive_timestamps_are_refused(store: Store) -> None:
    with pytest.raises(InvalidInput, match="timezone-aware"), store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest", started_at=datetime(2026, 1, 1))
    with store.read_session() as session:
        assert repos.list_runs(session) == []


def test_json_round_trip_keeps_chinese_text_and_types(store: Store) -> None:
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest", inputs=INPUTS)
    assert _read_run(store).inputs == INPUTS


def test_json_is_stored_as_readable_chinese_text(store: Store) -> None:
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest", inputs=INPUTS)
    with store.read_session() as session:
        stored = session.execute(sa.select(sa.cast(Run.inputs, sa.Text()))).scalar_one()
    assert "芜湖市企业登记" in stored


def test_missing_raw_row_is_sql_null(store: Store) -> None:
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest")
        repos.add_rejects(session, "ing-1", [{"source_id": "s", "row_number": 1, "reason": "x"}])
    with store.read_session() as session:
        nulls = session.execute(
            sa.select(sa.func.count()).where(IngestReject.raw.is_(None))
        ).scalar_one()
    assert nulls == 1


def test_run_kind_and_status_come_back_as_enums(store: Store) -> None:
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest")
    run = _read_run(store)
    assert run.kind is RunKind.INGEST
    assert run.status is RunStatus.RUNNING


@pytest.mark.parametrize("column", ["kind", "status"])
def test_database_refuses_unknown_kind_or_status(store: Store, column: str) -> None:
    values = {"kind": "ingest", "status": "running", column: "bogus"}
    insert = sa.text(
        "INSERT INTO run (id, kind, status, started_at, inputs, stats) "
        "VALUES ('r', :kind, :status, :started_at, '{}', '{}')"
    )
    with pytest.raises(Conflict, match="constraint"), store.unit_of_work() as session:
        session.execute(insert, {**values, "started_at": datetime(2026, 1, 1, tzinfo=UTC)})


def test_finding_table_holds_exactly_the_finding_contract_created_at_and_routing() -> None:
    contract = {c.name: c.nullable for c in get_table("finding").all_columns}
    stored = {c.name: c.nullable for c in Finding.__table__.columns}
    assert {name: stored.get(name) for name in contract} == contract
    assert set(stored) - set(contract) == {"created_at", "adcode", "sector"}
    assert stored["adcode"] and stored["sector"]  # unrouted findings are kept (admins see them)
