"""Store fixtures: every store test runs on a SQLite file and on a real PostgreSQL database.

The PostgreSQL variant needs ``SMOKEWATCH_TEST_POSTGRES_URL`` (``.ci/start-postgres.sh``
prints one); each test gets a fresh database ``sw_test_<random>`` on that server, dropped
afterwards. Its sessions run in the Asia/Shanghai time zone, so the tests prove that
timestamps come back in UTC whatever the server's or session's time zone.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from smokewatch.store import Store

POSTGRES_URL = os.environ.get("SMOKEWATCH_TEST_POSTGRES_URL")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[sa.Engine]:
    """An autocommit connection pool to the test server, for creating and dropping databases."""
    assert POSTGRES_URL, "SMOKEWATCH_TEST_POSTGRES_URL is not set"
    engine = sa.create_engine(
        sa.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
    )
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_admin: sa.Engine) -> Iterator[str]:
    """The URL of a fresh, empty database on the test server (dropped after the test)."""
    name = f"sw_test_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    url = postgres_admin.url.set(database=name).update_query_dict(
        {"options": "-c timezone=Asia/Shanghai"}
    )
    yield url.render_as_string(hide_password=False)
    with postgres_admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'store.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def empty_store(store_url: str) -> Iterator[Store]:
    """A store that was never migrated."""
    store = Store(store_url)
    yield store
    store.dispose()


@pytest.fixture
def store(empty_store: Store) -> Store:
    """A store migrated to the newest schema."""
    empty_store.upgrade()
    return empty_store
