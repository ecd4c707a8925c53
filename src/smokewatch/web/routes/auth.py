"""Sign in and out; ``/`` opens the overview."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smokewatch.errors import Unauthorized
from smokewatch.services import users
from smokewatch.web import pages

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only paths on this site (no scheme, no ``//host``) are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/overview"


@router.get("/")
def home() -> RedirectResponse:
    """The dashboard opens on the overview."""
    return RedirectResponse("/overview", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    """The sign-in form (a signed-in user goes straight on)."""
    if pages.optional_actor(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return pages.render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", dependencies=[Depends(pages.check_csrf)])
def login(
    request: Request,
    user_id: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=500)],
    next: Annotated[str, Form(max_length=2000)] = "/overview",
) -> Response:
    """Check the password, open a session (cookie), go where the user was heading."""
    try:
        issued = users.sign_in(pages.store(request), user_id.strip(), password)
    except Unauthorized as refused:
        return pages.render(
            request, "login.html", status_code=401, next=_safe_next(next), error=str(refused)
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    max_age = None
    if issued.expires_at is not None:
        max_age = max(0, int((issued.expires_at - datetime.now(UTC)).total_seconds()))
    response.set_cookie(
        pages.SESSION_COOKIE, issued.secret, max_age=max_age, httponly=True, samesite="strict"
    )
    return response


@router.post("/logout", dependencies=[Depends(pages.check_csrf)])
def logout(request: Request) -> RedirectResponse:
    """End the session."""
    token = request.cookies.get(pages.SESSION_COOKIE)
    if token:
        users.sign_out(pages.store(request), token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(pages.SESSION_COOKIE)
    return response
