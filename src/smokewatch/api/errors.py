"""The one table that maps error kinds to HTTP statuses, and the JSON error shape.

Every error response has the body ``{"error": {"kind": …, "message": …, "details": …}}``:
errors we raise (:data:`STATUS`), invalid requests (422, with per-field ``details``), unknown
routes and methods (404, 405), and unexpected failures (500, logged with the traceback).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from smokewatch.errors import (
    ConfigError,
    Conflict,
    EngineError,
    Forbidden,
    IngestRunFailed,
    InvalidInput,
    InvalidTransition,
    MissingExtra,
    NotFound,
    SmokewatchError,
    Unauthorized,
)
from smokewatch.logs import get_logger

log = get_logger(__name__)

STATUS: Mapping[type[SmokewatchError], int] = {
    InvalidInput: 422,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    InvalidTransition: 409,
    Conflict: 409,
    ConfigError: 500,
    EngineError: 500,
    IngestRunFailed: 500,
    MissingExtra: 500,
}
"""Most specific class first wins (``InvalidTransition`` before ``Conflict``)."""

_HTTP_KINDS: Mapping[int, str] = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "TooLarge",
}


def status_for(error: SmokewatchError) -> int:
    """The HTTP status of an error kind (500 for kinds not in the table)."""
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 500


def error_body(kind: str, message: str, details: list[dict[str, Any]] | None = None) -> Any:
    """The JSON body of every error response."""
    body: dict[str, Any] = {"kind": kind, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


async def _handle(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SmokewatchError)  # noqa: S101 - registered for this class only
    status = status_for(exc)
    if status >= 500:
        log.error("request_failed", path=request.url.path, kind=type(exc).__name__, error=str(exc))
    else:
        log.info("request_refused", path=request.url.path, kind=type(exc).__name__, error=str(exc))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        status_code=status, content=error_body(type(exc).__name__, str(exc)), headers=headers
    )


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this class
    details = [
        {
            "location": [str(part) for part in problem.get("loc", ())],
            "message": str(problem.get("msg", "")),
            "type": str(problem.get("type", "")),
        }
        for problem in exc.errors()
    ]
    first = details[0] if details else {"location": [], "message": "invalid request"}
    message = f"{'.'.join(first['location'])}: {first['message']}"
    log.info("request_invalid", path=request.url.path, problems=len(details))
    return JSONResponse(status_code=422, content=error_body("InvalidInput", message, details))


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for this class
    kind = _HTTP_KINDS.get(exc.status_code, "HTTPError")
    return JSONResponse(
        status_code=exc.status_code,
        content=error_body(kind, str(exc.detail)),
        headers=getattr(exc, "headers", None),
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("request_crashed", path=request.url.path, kind=type(exc).__name__)
    return JSONResponse(
        status_code=500, content=error_body("InternalError", "unexpected server error")
    )


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""
    app.add_exception_handler(SmokewatchError, _handle)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


__all__ = ["STATUS", "error_body", "install", "status_for"]
