"""Dashboard fixtures: the served app (API + dashboard) over the API tests' small world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smokewatch.cli.server import create_server_app
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from tests.api.world import PASSWORD, World, entity, populate


@pytest.fixture
def web(tmp_path: Path) -> Iterator[World]:
    """A world on SQLite, with red and blue entities in the lead's county, served by the app."""
    workspace = init_workspace(tmp_path / "ws")
    settings = Settings(workspace=workspace.root)
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store.upgrade()
    actors = populate(store)
    app = create_server_app(settings, store=store)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        world = World(store, settings, client, {}, actors)
        entity(world, "340202", grade="red")
        entity(world, "340202", grade="blue")
        yield world
    store.dispose()


def csrf_of(html: str) -> str:
    """The CSRF token a page carries (meta tag)."""
    marker = '<meta name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def sign_in(client: TestClient, user_id: str, password: str = PASSWORD) -> Any:
    """Sign in through the form as a browser would (visitor cookie, CSRF token)."""
    page = client.get("/login")
    return client.post(
        "/login",
        data={"user_id": user_id, "password": password, "csrf_token": csrf_of(page.text)},
    )


@pytest.fixture
def served(tmp_path: Path, live_server: Any) -> Iterator[tuple[str, World]]:
    """The app on a loopback port (for the browser), over a world like :func:`web`'s."""
    workspace = init_workspace(tmp_path / "ws")
    settings = Settings(workspace=workspace.root)
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store.upgrade()
    actors = populate(store)
    app = create_server_app(settings, store=store)
    with TestClient(app) as client:  # only for the world's helpers; the browser uses the port
        world = World(store, settings, client, {}, actors)
        entity(world, "340202", grade="red")
        yield live_server(app), world
    store.dispose()
