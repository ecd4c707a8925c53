"""The one error → HTTP status table."""

from __future__ import annotations

import pytest

from smokewatch.api.errors import status_for
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
    RuleError,
    SmokewatchError,
    Unauthorized,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidInput("bad"), 422),
        (Unauthorized("who"), 401),
        (Forbidden("no"), 403),
        (NotFound("gone"), 404),
        (Conflict("clash"), 409),
        (InvalidTransition("no"), 409),
        (ConfigError("yaml"), 500),
        (RuleError("rule"), 500),
        (EngineError("boom", engine="duckdb", step="s"), 500),
        (IngestRunFailed("crash"), 500),
        (MissingExtra("Spark", "spark"), 500),
        (SmokewatchError("other"), 500),
    ],
)
def test_every_error_kind_has_its_status(error: SmokewatchError, status: int) -> None:
    assert status_for(error) == status
