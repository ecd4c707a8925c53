"""API fixtures: the app over a real store on every backend, with one signed-in user per role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from smokewatch.api.app import create_app
from smokewatch.services import users
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import JurisdictionSettings, Settings
from smokewatch.store.db import Store
from tests.api.world import ROOT, USERS, World, populate
from tests.store.conftest import (  # noqa: F401 - fixtures used by name
    BACKENDS,
    postgres_admin,
    postgres_url,
    store_url,
)


@contextmanager
def open_world(url: str, folder: Path) -> Iterator[World]:
    """A migrated store with the world's agencies, users and runs, and the app over it."""
    workspace = init_workspace(folder / "ws")
    settings = Settings(
        workspace=workspace.root,
        jurisdiction=JurisdictionSettings(name="芜湖市地方金融管理局", adcode="340200"),
    )
    store = Store(url)
    store.upgrade()
    actors = populate(store)
    tokens = {
        user_id: users.issue_token(store, user_id, name="tests", days=1, actor=ROOT).secret
        for user_id, _, _ in USERS
    }
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as client:
        yield World(store, settings, client, tokens, actors)
    store.dispose()


@pytest.fixture
def world(store_url: str, tmp_path: Path) -> Iterator[World]:  # noqa: F811
    """A fresh world on SQLite, and on PostgreSQL when it is configured."""
    with open_world(store_url, tmp_path) as opened:
        yield opened


@pytest.fixture(scope="module", params=BACKENDS)
def shared_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One world per module and backend, for tests that make their own objects in it."""
    folder = tmp_path_factory.mktemp("api-world")
    if request.param == "sqlite":
        with open_world(f"sqlite:///{folder / 'store.sqlite'}", folder) as opened:
            yield opened
        return
    admin: sa.Engine = request.getfixturevalue("postgres_admin")
    name = f"sw_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        with open_world(url, folder) as opened:
            yield opened
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
