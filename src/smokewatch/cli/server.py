"""What ``smokewatch serve`` runs: the REST API under ``/api/v1`` and the dashboard at ``/``.

The two edges sit on the same floor and never import each other; this module (the outermost
floor) puts them in one ASGI app: the API app owns the store (opened at startup), the
dashboard is mounted after the API's routes and reads that store.
"""

from __future__ import annotations

from fastapi import FastAPI

from smokewatch.api.app import create_app
from smokewatch.settings import Settings, load_settings
from smokewatch.store.db import Store
from smokewatch.web.app import create_web_app


def create_server_app(
    settings: Settings, *, store: Store | None = None, warm: bool = False
) -> FastAPI:
    """The API and the dashboard for one workspace (``warm``: preload the dashboard's caches)."""
    app = create_app(settings, store=store)

    def opened_store() -> Store:
        opened: Store = app.state.store
        return opened

    app.mount("/", create_web_app(settings, opened_store, warm=warm), name="web")
    return app


def app_factory() -> object:
    """Factory for ``uvicorn --factory smokewatch.cli.server:app_factory`` (several workers)."""
    return create_server_app(load_settings(), warm=True)


__all__ = ["app_factory", "create_server_app"]
