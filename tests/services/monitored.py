"""A monitored world for the dashboard services: the API tests' world, without an HTTP client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from smokewatch.services.workspace import init_workspace
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, Score
from tests.api.world import World, populate


@pytest.fixture
def world(tmp_path: Path, store_url: str) -> Iterator[World]:
    """Agencies, one user per role, detect and score runs, on each store backend in turn."""
    (tmp_path / "store").mkdir(exist_ok=True)
    store = Store(store_url)
    store.upgrade()
    actors = populate(store)
    settings = Settings(workspace=init_workspace(tmp_path / "ws").root)
    yield World(store, settings, None, {}, actors)  # type: ignore[arg-type]
    store.dispose()


def rename(world: World, subject_id: str, name: str) -> None:
    """Give an entity another name (in its scores and alert)."""
    with world.store.unit_of_work() as session:
        for table in (Score, Alert):
            session.execute(
                sa.update(table).where(table.subject_id == subject_id).values(subject_name=name)
            )
