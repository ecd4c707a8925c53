"""``create_app(settings)``: the FastAPI application factory (no module-level app)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smokewatch import __version__
from smokewatch.api import errors, schemas
from smokewatch.api.answer_cache import AnswerCache, AnswerCacheMiddleware
from smokewatch.api.routers import admin, cases, core, monitoring, tips
from smokewatch.settings import Settings
from smokewatch.store.db import Store

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": schemas.Error, "description": "Not signed in (no, unknown or expired token)"},
    403: {"model": schemas.Error, "description": "Your role may not do this"},
    404: {"model": schemas.Error, "description": "Not found (or not visible to you)"},
    409: {"model": schemas.Error, "description": "Conflict (e.g. a refused workflow action)"},
    422: {"model": schemas.Error, "description": "Invalid input"},
    500: {"model": schemas.Error, "description": "Server-side failure"},
}

_HEADERS: Final = [(b"x-content-type-options", b"nosniff")]


class _NoSniff:
    """Pure ASGI middleware: every response says ``X-Content-Type-Options: nosniff``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == _HEADERS[0][0] for k, _ in headers):
                    headers.extend(_HEADERS)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)


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
            cache.close()
            if owned:
                app.state.store.dispose()

    app = FastAPI(
        docs_url=None,  # served below from local files: nothing may come from a CDN
        redoc_url=None,
        title="smokewatch API",
        version=__version__,
        description=(
            "Monitoring and early warning against illegal financial activity. Every finding "
            "carries its rule@version, band, reasons (zh-CN/en), metrics and evidence; every "
            "smoke index its contributions. Sign in (`POST /api/v1/auth/sessions`) or use an API "
            "token: `Authorization: Bearer swt_…`. What you see follows your role and territory; "
            'errors are `{"error": {"kind", "message"}}`.'
        ),
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    app.state.settings = settings
    errors.install(app)
    for module in (core, admin, monitoring, cases):
        app.include_router(module.router)
    for router in (tips.router, tips.rewards_router, tips.warnings_router):
        app.include_router(router)
    _check_operation_ids(app)
    app.add_middleware(_NoSniff)
    cache = AnswerCache(max_bytes=int(settings.api.answer_cache_mib * 2**20))
    app.state.answer_cache = cache
    if cache.max_bytes > 0:  # outside _NoSniff: a kept answer has every header already
        app.add_middleware(AnswerCacheMiddleware, owner=app, cache=cache)
    _offline_docs(app)
    return app


def _check_operation_ids(app: FastAPI) -> None:
    """Operation ids are stable, ``{tag}-{name}``, and unique (a generated client uses them)."""
    seen: set[str] = set()
    for route in app.routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            op = route.operation_id or ""
            if not op.startswith(f"{route.tags[0]}-") or op in seen:
                raise RuntimeError(f"operation id {op!r} of {route.path} is not {{tag}}-{{name}}")
            seen.add(op)


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


def openapi_json() -> str:
    """The OpenAPI document as committed in ``docs/openapi.json`` (``make openapi``)."""
    import json  # noqa: PLC0415 - only the docs build needs it
    from pathlib import Path  # noqa: PLC0415

    spec = create_app(Settings(workspace=Path("/workspace"))).openapi()
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


__all__ = ["create_app", "openapi_json"]
