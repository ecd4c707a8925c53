"""``create_app(settings)``: the FastAPI application factory (no module-level app)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from smokewatch import __version__
from smokewatch.api import errors, schemas
from smokewatch.api.routers import core
from smokewatch.settings import Settings
from smokewatch.store.db import Store

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    404: {"model": schemas.Error, "description": "Not found"},
    409: {"model": schemas.Error, "description": "Conflict"},
    422: {"model": schemas.Error, "description": "Invalid input"},
    500: {"model": schemas.Error, "description": "Server-side failure"},
}


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """Build the API for one workspace. The store is opened (and migrated) at startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or Store(settings.store_url)
        if owned:
            app.state.store.upgrade()
        try:
            yield
        finally:
            if owned:
                app.state.store.dispose()

    app = FastAPI(
        title="smokewatch API",
        version=__version__,
        description=(
            "Monitoring and early warning against illegal financial activity. Every finding "
            "carries its rule@version, band, reasons (zh-CN/en), metrics and evidence."
        ),
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    app.state.settings = settings
    errors.install(app)
    app.include_router(core.router)
    return app


__all__ = ["create_app"]
