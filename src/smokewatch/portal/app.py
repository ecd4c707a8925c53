"""``create_portal_app``: the public tip portal, an app of its own on its own port.

The portal is the one part of smokewatch open to anyone, so it is a separate ASGI app
(``smokewatch portal``) that can be exposed while the dashboard and the API stay internal. It
reads and writes only what the public needs: tips (through :mod:`smokewatch.services.tips`)
and published warnings. Requests pass, from the outside in: the security headers (strict CSP,
no framing, no referrer, ``no-store`` on pages), the locale, the request size limit, then the
routes, which check CSRF, the challenge and the rate limits (:mod:`smokewatch.portal.guard`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from smokewatch import __version__
from smokewatch.portal import pages
from smokewatch.portal.guard import BodyLimit
from smokewatch.portal.pages import Guards, PortalConfig
from smokewatch.portal.routes_tips import router as tips_router
from smokewatch.portal.routes_warnings import router as warnings_router
from smokewatch.services.tips_processing import analyzer
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.webkit.i18n import LocaleMiddleware
from smokewatch.webkit.security import SecurityHeaders
from smokewatch.webkit.templating import STATIC_PREFIX


def build_portal(
    settings: Settings,
    *,
    store: Store | None = None,
    config: PortalConfig | None = None,
    key: bytes | None = None,
) -> FastAPI:
    """The portal's FastAPI app (without the outer middleware; see :func:`create_portal_app`).

    ``key`` signs CSRF tokens and challenges; by default it is derived from the workspace secret.
    """
    limits = config or PortalConfig()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or Store(settings.store_url)
        if owned:
            app.state.store.upgrade()
        analyzer(settings.jurisdiction.adcode).warm_up()
        try:
            yield
        finally:
            if owned:
                app.state.store.dispose()

    app = FastAPI(
        title="smokewatch public portal",
        version=__version__,
        description="The public side of smokewatch: tip status by tracking code, risk warnings.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.key = key or pages.portal_key(settings)
    app.state.guards = Guards.of(app.state.key, limits)
    app.state.config = limits
    pages.install_errors(app)
    app.include_router(tips_router)
    app.include_router(warnings_router)
    app.mount(
        STATIC_PREFIX,
        StaticFiles(packages=[("smokewatch.portal", "static"), ("smokewatch.webkit", "static")]),
        name="static",
    )
    return app


def create_portal_app(
    settings: Settings, *, store: Store | None = None, config: PortalConfig | None = None
) -> ASGIApp:
    """The portal for one workspace, wrapped in its protections."""
    limits = config or PortalConfig()
    app = build_portal(settings, store=store, config=limits)
    return SecurityHeaders(LocaleMiddleware(BodyLimit(app, limits.max_body_bytes)))


def portal_openapi_json() -> str:
    """The portal's OpenAPI document (its JSON routes)."""
    import json  # noqa: PLC0415 - only the docs need it
    from pathlib import Path  # noqa: PLC0415

    spec = build_portal(Settings(workspace=Path("/workspace")), key=b"docs").openapi()
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


__all__ = ["build_portal", "create_portal_app", "portal_openapi_json"]
