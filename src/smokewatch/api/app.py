"""``create_app(settings)``: the FastAPI application factory (no module-level app)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

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
        docs_url=None,  # served below from local files: nothing may come from a CDN
        redoc_url=None,
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
    _offline_docs(app)
    return app


def _offline_docs(app: FastAPI) -> None:
    """Interactive API docs at ``/docs`` with Swagger UI's files served by this app."""
    import swagger_ui_bundle  # noqa: PLC0415 - only the docs need it

    app.mount("/docs/static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — docs",
            swagger_js_url="/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/docs/static/swagger-ui.css",
            swagger_favicon_url="/docs/static/favicon-32x32.png",
        )


__all__ = ["create_app"]
