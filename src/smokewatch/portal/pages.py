"""What every portal page shares: configuration, the visitor's CSRF token, rendering, errors.

The portal has no accounts. A visitor gets a random ``sw_portal`` cookie (HttpOnly,
SameSite=Strict) the first time a page renders; forms carry the HMAC of it as their CSRF token
(:func:`smokewatch.webkit.security.csrf_token`) and a fresh challenge
(:mod:`smokewatch.portal.guard`). Errors become pages with the right status: a refused field
re-renders its form with the reasons (422), too many requests say when to come back (429).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment

from smokewatch.errors import Forbidden, InvalidInput, NotFound
from smokewatch.portal.guard import Challenges, RateLimiter
from smokewatch.services import blacklist
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.webkit import security
from smokewatch.webkit.i18n import N_, current_locale
from smokewatch.webkit.i18n import gettext as _
from smokewatch.webkit.templating import make_environment

VISITOR_COOKIE: Final = "sw_portal"
CSRF_FIELD: Final = "csrf_token"

FIELD_ERRORS: Final = {
    "required": N_("This field is required."),
    "too_long": N_("This is too long."),
    "invalid": N_("This does not look right."),
    "not_a_number": N_("Enter a number, e.g. 50000."),
    "not_a_date": N_("Enter a date as YYYY-MM-DD."),
    "out_of_range": N_("This value is out of range."),
}
"""Messages of the field codes of :class:`smokewatch.services.tips.TipRejected`."""


PAGE_ERRORS: Final = {
    404: N_("This page or item does not exist."),
    422: N_("Something in the request was not right. Go back and check what you entered."),
    429: N_("Too many requests from your connection. Please wait a little and try again."),
}
"""What an error page tells the public (the services' own messages are for officers, in English)."""


class TooManyRequests(Exception):
    """A rate limit was reached; ``retry_after`` seconds until the next request is allowed."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(f"too many requests: retry after {self.retry_after} s")


@dataclass(frozen=True, slots=True)
class PortalConfig:
    """Limits of a portal process (defaults suit a public deployment)."""

    pow_bits: int = 16
    """Proof-of-work difficulty (zero bits); about 65,000 hashes at 16."""
    max_body_bytes: int = 30 * 1024 * 1024
    """Largest request (five files of up to 10 MiB with the form would not all fit: on purpose)."""
    submissions_per_ip: tuple[int, float] = (5, 600.0)
    """Tips per client address per window (seconds)."""
    lookups_per_ip: tuple[int, float] = (30, 600.0)
    """Tracking look-ups per client address per window."""
    per_code: tuple[int, float] = (20, 3600.0)
    """Look-ups and additions per tracking code per window."""


@dataclass(slots=True)
class Guards:
    """The portal process's challenge issuer and rate limiters."""

    challenges: Challenges
    submissions: RateLimiter
    lookups: RateLimiter
    codes: RateLimiter

    @classmethod
    def of(cls, key: bytes, config: PortalConfig) -> Guards:
        """Guards with the limits of ``config``."""
        return cls(
            Challenges(key, config.pow_bits),
            RateLimiter(*config.submissions_per_ip),
            RateLimiter(*config.lookups_per_ip),
            RateLimiter(*config.per_code),
        )


@cache
def templates() -> Environment:
    """The portal's template environment (its templates first, then the kit's)."""
    return make_environment("smokewatch.portal")


def portal_key(settings: Settings) -> bytes:
    """The portal's key (CSRF and challenges), derived from the workspace secret."""
    root = blacklist.workspace_key(settings.workspace, os.environ)
    return hmac.new(root, b"smokewatch-portal", hashlib.sha256).digest()


def store(request: Request) -> Store:
    """The portal's open store."""
    opened: Store = request.app.state.store
    return opened


def settings(request: Request) -> Settings:
    """The workspace settings."""
    configured: Settings = request.app.state.settings
    return configured


def guards(request: Request) -> Guards:
    """The process's guards."""
    found: Guards = request.app.state.guards
    return found


def client(request: Request) -> str:
    """The client address the limits count (the direct peer; a proxy must pass it through)."""
    return request.client.host if request.client else "unknown"


def limit(limiter: RateLimiter, key: str) -> None:
    """Count a request against a limit.

    Raises:
        TooManyRequests: the limit is reached.
    """
    wait = limiter.hit(key)
    if wait is not None:
        raise TooManyRequests(wait)


def _visitor(request: Request) -> str:
    found = request.cookies.get(VISITOR_COOKIE) or getattr(request.state, "visitor", None)
    return str(found or "")


def csrf_token(request: Request) -> str:
    """The CSRF token of this visitor."""
    return security.csrf_token(request.app.state.key, "p:" + _visitor(request))


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuse a form without this visitor's token.

    Raises:
        Forbidden: missing, or another visitor's token.
    """
    if not security.csrf_valid(request.app.state.key, "p:" + _visitor(request), sent):
        raise Forbidden(_("The form has expired. Reload the page and try again."))


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a page with what every page needs (CSRF token, a fresh challenge, its question)."""
    new_visitor = None
    if not request.cookies.get(VISITOR_COOKIE):
        new_visitor = request.state.visitor = secrets.token_urlsafe(24)
    challenges = guards(request).challenges
    challenge = challenges.issue()
    question = challenges.question(challenge)
    html = (
        templates()
        .get_template(template)
        .render(
            request=request,
            path=request.url.path,
            switch_path=_switch_path(request),
            csrf_token=csrf_token(request),
            challenge=challenge,
            challenge_bits=challenges.bits,
            question=question.zh() if current_locale() == "zh_CN" else question.en(),
            field_errors=FIELD_ERRORS,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    if new_visitor is not None:
        response.set_cookie(VISITOR_COOKIE, new_visitor, httponly=True, samesite="strict")
    return response


def _switch_path(request: Request) -> str:
    """Where the language switch leads: the page itself, or the form a POST came from."""
    path = request.url.path
    if request.method == "GET":
        return path
    return {"/track/more": "/track"}.get(path, path)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_errors(app: FastAPI) -> None:
    """Turn errors into pages (or JSON under ``/api/``) with the right status."""

    def handler_for(status: int, title: str) -> Any:
        async def handler(request: Request, exc: Exception) -> Response:
            headers = {}
            if isinstance(exc, TooManyRequests):
                headers["Retry-After"] = str(exc.retry_after)
            if _wants_json(request):
                kind = type(exc).__name__
                body = {"error": {"kind": kind, "message": str(exc)}}
                return JSONResponse(body, status_code=status, headers=headers)
            message = str(exc) if status == 403 else _(PAGE_ERRORS[status])
            response = render(
                request, "error.html", status_code=status, title=title, message=message
            )
            response.headers.update(headers)
            return response

        return handler

    app.add_exception_handler(Forbidden, handler_for(403, N_("Not allowed")))
    app.add_exception_handler(NotFound, handler_for(404, N_("Not found")))
    app.add_exception_handler(InvalidInput, handler_for(422, N_("Invalid input")))
    app.add_exception_handler(TooManyRequests, handler_for(429, N_("Too many requests")))


__all__ = [
    "CSRF_FIELD",
    "FIELD_ERRORS",
    "VISITOR_COOKIE",
    "Guards",
    "PortalConfig",
    "TooManyRequests",
    "check_csrf",
    "client",
    "csrf_token",
    "guards",
    "install_errors",
    "limit",
    "portal_key",
    "render",
    "settings",
    "store",
    "templates",
]
