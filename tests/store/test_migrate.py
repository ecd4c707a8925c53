"""Migrations: they ship in the package, run from code, and agree with the ORM."""

from __future__ import annotations

from importlib.resources import files

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from smokewatch.errors import ConfigError
from smokewatch.store import Store
from smokewatch.store.migrate import alembic_config, head_revision, schema_differences
from smokewatch.store.orm import Base


def _autogenerate_diff(store: Store) -> list[object]:
    with store.sa_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_orm_metadata_and_migrations_agree(store: Store) -> None:
    assert _autogenerate_diff(store) == []


def test_comparison_sees_the_tables_an_empty_database_lacks(empty_store: Store) -> None:
    added = {diff[1].name for diff in _autogenerate_diff(empty_store) if diff[0] == "add_table"}  # type: ignore[index]
    assert added == {"run", "ingest_reject", "finding", "rule_version", "score"}


def test_schema_differences_is_empty_after_upgrade(store: Store) -> None:
    with store.sa_engine.connect() as connection:
        assert schema_differences(connection) == []


def test_head_is_the_initial_migration() -> None:
    assert head_revision() == "0001_initial"


def test_migrations_ship_inside_the_package() -> None:
    folder = files("smokewatch.store") / "migrations"
    assert (folder / "env.py").is_file()
    assert (folder / "versions" / "0001_initial.py").is_file()


def test_migrations_refuse_to_run_without_a_connection() -> None:
    with pytest.raises(ConfigError, match=r"Store\.upgrade\(\)"):
        command.upgrade(alembic_config(), "head")
