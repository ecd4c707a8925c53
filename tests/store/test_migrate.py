"""Migrations: they ship in the package, run from code, and agree with the ORM."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from smokewatch.errors import ConfigError
from smokewatch.store import Store
from smokewatch.store.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    schema_differences,
    upgrade,
)
from smokewatch.store.orm import Base


def _autogenerate_diff(store: Store) -> list[object]:
    with store.sa_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_orm_metadata_and_migrations_agree(store: Store) -> None:
    assert _autogenerate_diff(store) == []


def test_comparison_sees_the_tables_an_empty_database_lacks(empty_store: Store) -> None:
    added = {diff[1].name for diff in _autogenerate_diff(empty_store) if diff[0] == "add_table"}  # type: ignore[index]
    assert added == {
        "run",
        "ingest_reject",
        "finding",
        "rule_version",
        "score",
        "scorecard_version",
        "alert",
        "alert_event",
        "watchlist_entry",
        "agency",
        "app_user",
        "api_token",
        "case_record",
        "case_event",
        "case_link",
        "evidence_file",
        "audit_entry",
        "resolve_judgement",
        "sector_month",
        "blacklist_entry",
        "tip",
        "tip_attachment",
        "tip_event",
        "tip_limit_hit",
        "reward_scheme",
        "reward_decision",
        "public_warning",
        "patrol_event",
        "graph_read_family",
        "graph_read_node",
        "graph_read_record",
        "graph_read_edge",
        "data_version",
    }


def test_schema_differences_is_empty_after_upgrade(store: Store) -> None:
    with store.sa_engine.connect() as connection:
        assert schema_differences(connection) == []


def test_head_is_the_data_version_migration() -> None:
    assert head_revision() == "0017_data_version"


def test_a_database_at_0001_upgrades_to_head_and_back(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        upgrade(connection, "0001_initial")
        connection.execute(
            sa.text(
                "insert into run (id, kind, status, started_at, inputs, stats) "
                "values ('r1', 'detect', 'succeeded', '2026-11-01 00:00:00', '{}', '{}')"
            )
        )
    with engine.begin() as connection:
        upgrade(connection)
        assert current_revision(connection) == "0017_data_version"
        assert schema_differences(connection) == []
        assert connection.execute(sa.text("select id from run")).scalar_one() == "r1"
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001_initial")
        assert current_revision(connection) == "0001_initial"
        tables = set(sa.inspect(connection).get_table_names())
        assert "alert" not in tables and "score" in tables
    engine.dispose()


def test_migrations_ship_inside_the_package() -> None:
    folder = files("smokewatch.store") / "migrations"
    assert (folder / "env.py").is_file()
    assert (folder / "versions" / "0001_initial.py").is_file()
    assert (folder / "versions" / "0002_scores_alerts.py").is_file()
    assert (folder / "versions" / "0003_cases.py").is_file()
    assert (folder / "versions" / "0005_resolve.py").is_file()
    assert (folder / "versions" / "0007_blacklist.py").is_file()
    assert (folder / "versions" / "0008_patrol.py").is_file()
    assert (folder / "versions" / "0012_alert_assign.py").is_file()
    assert (folder / "versions" / "0014_tip_limits.py").is_file()


def test_migrations_refuse_to_run_without_a_connection() -> None:
    with pytest.raises(ConfigError, match=r"Store\.upgrade\(\)"):
        command.upgrade(alembic_config(), "head")


def test_patrol_runs_become_ingest_runs_when_0008_is_undone(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'patrol.db'}")
    with engine.begin() as connection:
        upgrade(connection)
        connection.execute(
            sa.text(
                "insert into run (id, kind, status, started_at, inputs, stats, source_id) "
                "values ('pat-1', 'patrol', 'succeeded', '2026-11-21 00:00:00', '{}', '{}', "
                "'patrol_wealth')"
            )
        )
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0007_blacklist")
        row = connection.execute(sa.text("select kind, source_id from run")).one()
        assert tuple(row) == ("ingest", "patrol_wealth")
    engine.dispose()
