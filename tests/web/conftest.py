"""Dashboard fixtures: the served app (API + dashboard) over the API tests' small world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smokewatch.cli.server import create_server_app
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import JurisdictionSettings, Settings
from smokewatch.store.db import Store
from tests.api.world import PASSWORD, World, entity, populate


@pytest.fixture
def web(tmp_path: Path) -> Iterator[World]:
    """A world on SQLite, with red and blue entities in the lead's county, served by the app."""
    workspace = init_workspace(tmp_path / "ws")
    settings = Settings(
        workspace=workspace.root,
        jurisdiction=JurisdictionSettings(name="芜湖市地方金融管理局", adcode="340200"),
    )
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
    settings = Settings(
        workspace=workspace.root,
        jurisdiction=JurisdictionSettings(name="芜湖市地方金融管理局", adcode="340200"),
    )
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store.upgrade()
    actors = populate(store)
    app = create_server_app(settings, store=store)
    with TestClient(app) as client:  # only for the world's helpers; the browser uses the port
        world = World(store, settings, client, {}, actors)
        entity(world, "340202", grade="red")
        yield live_server(app), world
    store.dispose()


ACCESSIBILITY_PROBLEMS = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push("<html> has no lang");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one <h1>");
  if (!document.querySelector("main")) problems.push("no <main> landmark");
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (field.type === "hidden") continue;
    const labelled = field.labels && field.labels.length > 0;
    if (!labelled && !field.getAttribute("aria-label") && !field.getAttribute("aria-labelledby"))
      problems.push("unlabelled " + field.tagName.toLowerCase() + " " + (field.name || field.id));
  }
  for (const button of document.querySelectorAll("button, a[href]")) {
    if (!button.textContent.trim() && !button.getAttribute("aria-label"))
      problems.push("empty " + button.tagName.toLowerCase());
  }
  for (const image of document.querySelectorAll("img")) {
    if (!image.hasAttribute("alt")) problems.push("img without alt");
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    problems.push("wider than the window: " + document.documentElement.scrollWidth);
  return problems;
}"""
"""Checks every page must pass in the browser: language, headings, labels, names, no sideways
scrolling at the viewport's width (1366x768 office screens, 1920x1080 wall screens)."""


def accessibility_problems(page: Any) -> list[str]:
    """What :data:`ACCESSIBILITY_PROBLEMS` finds on the page (empty: none)."""
    found: list[str] = page.evaluate(ACCESSIBILITY_PROBLEMS)
    return found
