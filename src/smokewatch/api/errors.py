"""The one table that maps error kinds to HTTP statuses, and the JSON error shape."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from smokewatch.errors import (
    ConfigError,
    Conflict,
    EngineError,
    IngestRunFailed,
    InvalidInput,
    InvalidTransition,
    MissingExtra,
    NotFound,
    SmokewatchError,
)
from smokewatch.logs import get_logger

log = get_logger(__name__)

STATUS: Mapping[type[SmokewatchError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    InvalidTransition: 409,
    Conflict: 409,
    ConfigError: 500,
    EngineError: 500,
    IngestRunFailed: 500,
    MissingExtra: 500,
}
"""Most specific class first wins (``InvalidTransition`` before ``Conflict``)."""


def status_for(error: SmokewatchError) -> int:
    """The HTTP status of an error kind (500 for kinds not in the table)."""
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 500


async def _handle(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SmokewatchError)  # noqa: S101 - registered for this class only
    status = status_for(exc)
    if status >= 500:
        log.error("request_failed", path=request.url.path, kind=type(exc).__name__, error=str(exc))
    else:
        log.info("request_refused", path=request.url.path, kind=type(exc).__name__, error=str(exc))
    return JSONResponse(
        status_code=status,
        content={"error": {"kind": type(exc).__name__, "message": str(exc)}},
    )


def install(app: FastAPI) -> None:
    """Register the handler on an app."""
    app.add_exception_handler(SmokewatchError, _handle)


__all__ = ["STATUS", "install", "status_for"]
