"""Portal fixtures: the public app over a store with agencies in 芜湖市 and two of its counties."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smokewatch.cases.access import Actor
from smokewatch.portal.app import create_portal_app
from smokewatch.portal.guard import solve
from smokewatch.portal.pages import PortalConfig
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import JurisdictionSettings, Settings
from smokewatch.store.db import Store
from tests.api.world import populate

FAST = PortalConfig(pow_bits=4)
"""Tests solve the proof of work in Python: a low difficulty keeps them quick."""

DESCRIPTION = "该平台承诺年化18%，保本保息，推荐朋友投资还有返佣金，现在已经无法提现。"


@dataclass
class Portal:
    """The portal's client, its store and settings, and the actors of the small world."""

    client: TestClient
    store: Store
    settings: Settings
    actors: dict[str, Actor]

    def page(self, path: str, **kwargs: Any) -> Any:
        """GET a page (keeps the visitor cookie)."""
        return self.client.get(path, **kwargs)

    def submit(self, fields: dict[str, str] | None = None, files: Any = None, **kw: Any) -> Any:
        """Send the form as a browser would: CSRF token, solved challenge, consent."""
        form = self.client.get("/report").text
        data = {
            "csrf_token": hidden(form, "csrf_token"),
            "challenge": hidden(form, "challenge"),
            "consent": "yes",
            "target_name": "芜湖鑫源财富管理有限公司",
            "description": DESCRIPTION,
            **(fields or {}),
        }
        if "pow" not in data:
            data["pow"] = str(solve(data["challenge"], FAST.pow_bits))
        return self.client.post("/report", data=data, files=files, **kw)


def hidden(html: str, name: str) -> str:
    """The value of a hidden input of a page."""
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden field {name}"
    return found.group(1)


def tracking_code(html: str) -> str:
    """The tracking code shown after a submission."""
    found = re.search(r'id="tracking-code" data-code>([A-Z0-9-]+)<', html)
    assert found, "no tracking code on the page"
    return found.group(1)


def make_portal(
    tmp_path: Path, config: PortalConfig = FAST
) -> tuple[Any, Store, Settings, dict[str, Actor]]:
    """A workspace serving 芜湖市, its migrated store with agencies and users, the portal app."""
    workspace = init_workspace(tmp_path / "ws")
    settings = Settings(
        workspace=workspace.root, jurisdiction=JurisdictionSettings(adcode="340200")
    )
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store.upgrade()
    actors = populate(store)
    return create_portal_app(settings, store=store, config=config), store, settings, actors


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    """The portal over a fresh world (low proof-of-work difficulty)."""
    app, store, settings, actors = make_portal(tmp_path)
    with TestClient(app, base_url="https://portal.test", follow_redirects=False) as client:
        yield Portal(client, store, settings, actors)
    store.dispose()
