"""What every dashboard route shares: the signed-in actor, CSRF, rendering, error pages.

Routes stay thin: ``actor = pages.actor(request)``, call one service, ``pages.render(...)``.
Errors raised by services become pages here — not signed in: a redirect to the sign-in page
(``HX-Redirect`` for htmx requests); refused, missing, invalid or conflicting: a page (or, for
htmx, a fragment) with the service's message and the right status.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache
from typing import Any, Final
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment

from smokewatch.cases.access import ANALYST_ROLES, Actor, Role
from smokewatch.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from smokewatch.services import blacklist, users
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.webkit import security
from smokewatch.webkit.i18n import N_, switch_target
from smokewatch.webkit.templating import make_environment

SESSION_COOKIE: Final = "sw_session"
VISITOR_COOKIE: Final = "sw_visitor"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"

#: Navigation: (path, message id, roles that see it — None: every signed-in user).
NAV: Final[tuple[tuple[str, str, frozenset[Role] | None], ...]] = (
    ("/overview", N_("Overview"), None),
    ("/watchlist", N_("Watch list"), ANALYST_ROLES),
    ("/alerts", N_("Alerts"), ANALYST_ROLES),
    ("/cases", N_("Cases"), None),
    ("/rules", N_("Rules"), ANALYST_ROLES),
    ("/runs", N_("Runs"), frozenset({Role.ADMIN, Role.LEAD})),
)


@cache
def templates() -> Environment:
    """The dashboard's template environment (its templates first, then the kit's)."""
    return make_environment("smokewatch.web")


def csrf_key(settings: Settings) -> bytes:
    """The key of the dashboard's CSRF tokens, derived from the workspace secret.

    Derived (HMAC with a label) rather than the secret itself, so the key of one purpose tells
    nothing about another; every server process of a workspace derives the same key.
    """
    root = blacklist.workspace_key(settings.workspace, os.environ)
    return hmac.new(root, b"smokewatch-web-csrf", hashlib.sha256).digest()


def store(request: Request) -> Store:
    """The hosting app's open store."""
    opened: Store = request.app.state.store_of()
    return opened


def settings(request: Request) -> Settings:
    """The workspace settings."""
    configured: Settings = request.app.state.settings
    return configured


def actor(request: Request) -> Actor:
    """The signed-in user behind the session cookie.

    Raises:
        Unauthorized: no cookie, or an expired or revoked session.
    """
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthorized("sign in first")
    return users.actor_for_token(store(request), token)


def optional_actor(request: Request) -> Actor | None:
    """The signed-in user, or None."""
    try:
        return actor(request)
    except Unauthorized:
        return None


def _binding(request: Request) -> str:
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return "s:" + hashlib.sha256(session.encode()).hexdigest()
    visitor = request.cookies.get(VISITOR_COOKIE) or getattr(request.state, "visitor", None)
    return f"v:{visitor or ''}"


def csrf_token(request: Request) -> str:
    """The CSRF token forms and htmx requests of this page must send back."""
    return security.csrf_token(request.app.state.csrf_key, _binding(request))


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request without the page's CSRF token (field or header).

    Raises:
        Forbidden: the token is missing or belongs to another session.
    """
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not security.csrf_valid(request.app.state.csrf_key, _binding(request), sent):
        raise Forbidden("the form has expired or did not come from this site: reload the page")


def nav_for(who: Actor | None) -> list[tuple[str, str]]:
    """The navigation entries the user's roles may open."""
    if who is None:
        return []
    return [
        (path, label)
        for path, label, roles in NAV
        if roles is None or who.is_admin or bool(who.roles & roles)
    ]


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    who: Actor | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` with what every page needs (user, navigation, CSRF token, path)."""
    new_visitor = None
    if not request.cookies.get(SESSION_COOKIE) and not request.cookies.get(VISITOR_COOKIE):
        new_visitor = request.state.visitor = secrets.token_urlsafe(24)
    html = (
        templates()
        .get_template(template)
        .render(
            request=request,
            user=who,
            nav=nav_for(who),
            path=request.url.path,
            switch_path=switch_target(request.url.path, request.url.query),
            csrf_token=csrf_token(request),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    if new_visitor is not None:
        response.set_cookie(VISITOR_COOKIE, new_visitor, httponly=True, samesite="strict")
    return response


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def install_errors(app: FastAPI) -> None:
    """Turn the services' errors into redirects and error pages."""

    async def unauthorized(request: Request, _: Exception) -> Response:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = "/login?next=" + quote(here, safe="")
        if _is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target})
        response = RedirectResponse(target, status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    def page_for(status: int, title: str) -> Any:
        async def handler(request: Request, exc: Exception) -> Response:
            template = "error_fragment.html" if _is_htmx(request) else "error.html"
            return render(
                request,
                template,
                status_code=status,
                who=optional_actor(request),
                title=title,
                message=str(exc),
            )

        return handler

    app.add_exception_handler(Unauthorized, unauthorized)
    app.add_exception_handler(Forbidden, page_for(403, N_("Not allowed")))
    app.add_exception_handler(NotFound, page_for(404, N_("Not found")))
    app.add_exception_handler(InvalidInput, page_for(422, N_("Invalid input")))
    app.add_exception_handler(Conflict, page_for(409, N_("Not possible now")))


__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "NAV",
    "SESSION_COOKIE",
    "actor",
    "check_csrf",
    "csrf_key",
    "csrf_token",
    "install_errors",
    "nav_for",
    "optional_actor",
    "render",
    "settings",
    "store",
    "templates",
]
