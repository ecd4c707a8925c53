"""The shapes the OpenAPI document publishes, one module per group of resources."""

from __future__ import annotations

from smokewatch.api.schemas.core import (
    Error,
    ErrorBody,
    Finding,
    FindingPage,
    Health,
    Overview,
    Reject,
    Rule,
    Run,
    RunDetail,
    Source,
)

__all__ = [
    "Error",
    "ErrorBody",
    "Finding",
    "FindingPage",
    "Health",
    "Overview",
    "Reject",
    "Rule",
    "Run",
    "RunDetail",
    "Source",
]
