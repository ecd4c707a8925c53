"""Request dependencies: the settings and the store the app was created with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from smokewatch.settings import Settings
from smokewatch.store.db import Store


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[Store, Depends(_store)]

__all__ = ["SettingsDep", "StoreDep"]
