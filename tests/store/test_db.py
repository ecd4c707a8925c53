"""Store: URLs, migrations to head, units of work, and SQLite's single writer."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from smokewatch.errors import Conflict, InvalidInput, MissingExtra
from smokewatch.store import Run, Store, repos
from smokewatch.store.migrate import head_revision


def _run_ids(store: Store) -> list[str]:
    with store.read_session() as session:
        return list(session.scalars(sa.select(Run.id).order_by(Run.id)))


# -- URLs -----------------------------------------------------------------------------------


def test_postgresql_url_without_driver_means_psycopg() -> None:
    store = Store("postgresql://sw@127.0.0.1:1/db")
    assert store.url == "postgresql+psycopg://sw@127.0.0.1:1/db"
    assert store.dialect == "postgresql"


def test_store_url_hides_the_password() -> None:
    store = Store("postgresql+psycopg://sw:secret@127.0.0.1:1/db")
    assert "secret" not in store.url
    assert "secret" not in repr(store)


@pytest.mark.parametrize("url", ["mysql://root@localhost/db", "postgresql+psycopg2://u@h/db"])
def test_unsupported_database_is_invalid_input(url: str) -> None:
    with pytest.raises(InvalidInput, match="unsupported store URL"):
        Store(url)


def test_malformed_url_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="not a database URL"):
        Store("not a url")


def test_postgres_without_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    with pytest.raises(MissingExtra, match=r"smokewatch\[postgres\]") as raised:
        Store("postgresql+psycopg://sw@127.0.0.1:1/db")
    assert raised.value.extra == "postgres"


def test_busy_timeout_must_be_positive() -> None:
    with pytest.raises(InvalidInput, match="busy_timeout"):
        Store("sqlite://", busy_timeout=0)


# -- migrations -----------------------------------------------------------------------------


def test_a_new_store_has_no_revision(empty_store: Store) -> None:
    assert empty_store.current_revision() is None


def test_upgrade_from_empty_reaches_head(empty_store: Store) -> None:
    assert empty_store.upgrade() == head_revision()
    assert empty_store.current_revision() == head_revision()


def test_upgrade_again_keeps_the_data(store: Store) -> None:
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest")
    assert store.upgrade() == head_revision()
    assert _run_ids(store) == ["ing-1"]


def test_concurrent_upgrades_of_one_database_both_succeed(store_url: str) -> None:
    with Store(store_url) as first, Store(store_url) as second:
        with ThreadPoolExecutor(max_workers=2) as pool:
            revisions = list(pool.map(Store.upgrade, [first, second]))
        assert revisions == [head_revision(), head_revision()]
        assert first.current_revision() == head_revision()


# -- units of work --------------------------------------------------------------------------


def test_unit_of_work_commits_on_success(store: Store) -> None:
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest")
    assert _run_ids(store) == ["ing-1"]


def test_unit_of_work_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError, match="boom"), store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest")
        repos.add_rejects(session, "ing-1", [{"source_id": "s", "row_number": 2, "reason": "x"}])
        raise RuntimeError("boom")
    assert _run_ids(store) == []
    with store.read_session() as session:
        assert repos.count_rejects(session, "ing-1") == 0


def test_objects_stay_readable_after_the_unit_of_work(store: Store) -> None:
    with store.unit_of_work() as session:
        run = repos.add_run(session, run_id="ing-1", kind="ingest", subject="企业登记.csv")
    assert run.subject == "企业登记.csv"


def test_duplicate_key_is_a_conflict(store: Store) -> None:
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest")
    with pytest.raises(Conflict, match="constraint"), store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="detect")
    with store.read_session() as session:
        assert repos.get_run_or_raise(session, "ing-1").kind == "ingest"


def test_read_session_discards_changes(store: Store) -> None:
    with store.read_session() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest")
    assert _run_ids(store) == []


def test_store_works_again_after_dispose(store: Store) -> None:
    store.dispose()
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest")
    assert _run_ids(store) == ["ing-1"]


# -- SQLite specifics -----------------------------------------------------------------------


def _pragma(store: Store, name: str) -> object:
    with store.read_session() as session:
        return session.execute(sa.text(f"PRAGMA {name}")).scalar_one()


def test_sqlite_file_store_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}", busy_timeout=7) as store:
        assert _pragma(store, "journal_mode") == "wal"
        assert _pragma(store, "foreign_keys") == 1
        assert _pragma(store, "busy_timeout") == 7000


def test_sqlite_store_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "ws" / "store.sqlite"
    with Store(f"sqlite:///{path}") as store:
        store.upgrade()
    assert path.is_file()


def test_memory_store_keeps_data_across_sessions() -> None:
    with Store("sqlite://") as store:
        store.upgrade()
        with store.unit_of_work() as session:
            repos.add_run(session, run_id="ing-1", kind="ingest")
        assert _run_ids(store) == ["ing-1"]


def test_sqlite_refuses_a_unit_of_work_nested_in_another(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        store.upgrade()
        with (
            store.unit_of_work(),
            pytest.raises(Conflict, match="this thread already has a unit of work open"),
            store.unit_of_work(),
        ):
            pass


def test_sqlite_second_writer_gives_up_after_busy_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    # Two Store objects on one file behave like two processes.
    with Store(url) as first, Store(url, busy_timeout=0.05) as second:
        first.upgrade()
        with (
            first.unit_of_work(),
            pytest.raises(Conflict, match="store busy"),
            second.unit_of_work(),
        ):
            pass


def test_sqlite_readers_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with Store(url) as writer, Store(url, busy_timeout=0.05) as reader:
        writer.upgrade()
        with writer.unit_of_work() as session:
            repos.add_run(session, run_id="ing-1", kind="ingest")
            assert _run_ids(reader) == []
        assert _run_ids(reader) == ["ing-1"]


def test_sqlite_writers_in_many_threads_all_commit(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        store.upgrade()

        def write(worker: int) -> None:
            for n in range(10):
                with store.unit_of_work() as session:
                    repos.add_run(session, run_id=f"run-{worker}-{n}", kind="detect")

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(write, range(4)))  # re-raises the first error of any worker
        assert len(_run_ids(store)) == 40
