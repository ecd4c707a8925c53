"""The data version moves with every committed change of a watched table, whoever writes it."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from smokewatch.services import audit
from smokewatch.store import Store, repos
from smokewatch.store.data_version import PG_SLOTS, WATCHED_TABLES, read_version
from smokewatch.store.orm import Run


def _version(store: Store) -> int:
    with store.sa_engine.connect() as connection:
        return read_version(connection)


def _triggered_tables(store: Store) -> set[str]:
    with store.sa_engine.connect() as connection:
        if store.dialect == "sqlite":
            query = "select tbl_name, sql from sqlite_master where type = 'trigger'"
            rows = connection.exec_driver_sql(query).all()
            return {t for t, sql in rows if "data_version" in sql}
        query = (
            "select distinct c.relname from pg_trigger t join pg_class c on c.oid = t.tgrelid "
            "where strpos(t.tgname, 'data_version') > 0"
        )
        return set(connection.exec_driver_sql(query).scalars())


def test_every_watched_table_has_its_triggers(store: Store) -> None:
    assert _triggered_tables(store) == set(WATCHED_TABLES)
    with store.sa_engine.connect() as connection:
        slots = connection.exec_driver_sql("select count(*) from data_version").scalar_one()
    assert slots == (PG_SLOTS if store.dialect == "postgresql" else 1)


def test_a_commit_from_another_engine_moves_it_and_a_rollback_does_not(store: Store) -> None:
    other = Store(store.sa_engine.url.render_as_string(hide_password=False))
    start = _version(store)
    with other.unit_of_work() as session:
        repos.add_run(session, run_id="r1", kind="detect")
    assert _version(store) > start
    moved = _version(store)
    try:
        with other.unit_of_work() as session:
            repos.add_run(session, run_id="r2", kind="detect")
            raise RuntimeError("abandoned")
    except RuntimeError:
        pass
    assert _version(store) == moved
    with other.unit_of_work() as session:  # an update and a delete through Core
        session.execute(sa.update(Run).where(Run.id == "r1").values(status="failed"))
    updated = _version(store)
    with other.unit_of_work() as session:
        session.execute(sa.delete(Run).where(Run.id == "r1"))
    assert moved < updated < _version(store)
    other.dispose()


def test_audit_entries_leave_it_alone(store: Store) -> None:
    start = _version(store)
    with store.unit_of_work() as session:
        audit.record(session, actor="x", action="entity.view_pii", object_type="e", object_id="1")
    assert _version(store) == start


def test_concurrent_writers_never_wait_for_each_other_on_postgres(store: Store) -> None:
    if store.dialect != "postgresql":
        return  # SQLite has one writer at a time anyway
    start = _version(store)
    engine = store.sa_engine
    with engine.connect() as first, engine.connect() as second:
        first.begin()
        first.execute(sa.insert(Run).values(id="a", kind="detect", status="running", **_run()))
        second.begin()
        second.exec_driver_sql("set local lock_timeout = '2s'")  # waiting would fail the test
        second.execute(sa.insert(Run).values(id="b", kind="detect", status="running", **_run()))
        second.execute(sa.update(Run).where(Run.id == "b").values(status="failed"))
        second.commit()
        assert _version(store) == start + 2  # two statements of the second transaction
        first.commit()
    assert _version(store) == start + 3


def _run() -> dict[str, object]:
    return {"started_at": datetime.now(UTC), "inputs": {}, "stats": {}}
