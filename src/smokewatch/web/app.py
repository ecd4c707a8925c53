"""``create_web_app``: the analysts' and leaders' dashboard, server-rendered (Jinja2 + htmx).

The dashboard is an ASGI app of its own, mounted at ``/`` beside the REST API by the server
(``smokewatch serve``); it calls the same services the API calls, with the same
:class:`~smokewatch.cases.access.Actor`, so visibility, rights and PII masking are decided in
one place. It keeps no state: the store comes from the hosting app, the session is the
``sw_session`` cookie (an ordinary session token, HttpOnly, SameSite=Strict). Every response
carries the strict security headers of :mod:`smokewatch.webkit.security`.

Pages live in ``routes/<area>.py`` (one router each) and ``templates/<area>/``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from smokewatch.services import region_map, rules, search
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.web import pages
from smokewatch.web.routes import ROUTERS
from smokewatch.webkit.i18n import LocaleMiddleware
from smokewatch.webkit.security import SecurityHeaders
from smokewatch.webkit.templating import STATIC_PREFIX


def warm_caches(settings: Settings) -> None:
    """Load what the first page views would otherwise load, once per process.

    The rule catalogue, the name and pinyin tables, the country map: several seconds on a
    busy machine, cached after.
    """
    rules.catalogue(settings)
    search.initials("芜湖市示例科技有限公司")
    region_map.geometry(region_map.COUNTRY)


def create_web_app(
    settings: Settings, store: Callable[[], Store], *, warm: bool = False
) -> ASGIApp:
    """The dashboard for one workspace; ``store()`` returns the hosting app's open store.

    ``warm``: fill the caches of :func:`warm_caches` in a background thread (servers do;
    tests do not, to keep each app cheap).
    """
    if warm:
        threading.Thread(target=warm_caches, args=(settings,), daemon=True).start()
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.store_of = store
    app.state.csrf_key = pages.csrf_key(settings)
    pages.install_errors(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount(
        STATIC_PREFIX,
        StaticFiles(packages=[("smokewatch.web", "static"), ("smokewatch.webkit", "static")]),
        name="static",
    )
    return SecurityHeaders(LocaleMiddleware(app))


__all__ = ["create_web_app", "warm_caches"]
