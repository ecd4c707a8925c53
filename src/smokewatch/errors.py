"""The error kinds smokewatch raises on purpose.

Every error we raise deliberately derives from :class:`SmokewatchError`. Domain code raises
these kinds; only the edges translate them (``cli/main.py`` to exit codes, ``api/errors.py``
to HTTP statuses), each in exactly one table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class SmokewatchError(Exception):
    """Root of every error smokewatch raises on purpose."""


class InvalidInput(SmokewatchError, ValueError):
    """Bad request data or bad command-line arguments."""


class NotFound(SmokewatchError, LookupError):
    """A named thing (run, rule, entity, workspace) does not exist."""


class Conflict(SmokewatchError):
    """The request conflicts with stored state, e.g. editing a published rule version."""


class Unauthorized(SmokewatchError):
    """No valid credentials: unknown user, wrong password, locked account, bad token (401)."""


class Forbidden(SmokewatchError, PermissionError):
    """Valid credentials, but the role or jurisdiction does not allow this (403)."""


class InvalidTransition(Conflict):
    """A case workflow transition is not allowed from the current state."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where in a configuration file a problem was found (1-based line and column)."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found while loading configuration, with its location."""

    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ConfigError(SmokewatchError):
    """A YAML rule, source, scorecard or settings file is wrong.

    Loaders collect every problem before raising, so a user sees all of them at once.
    """

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} configuration problems:"]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)


class RuleError(ConfigError):
    """A rule file is invalid (metadata, parameters, SQL body, bands, fixtures)."""


class EngineError(SmokewatchError):
    """An analytic engine failed; carries the engine, the logical step and the SQL."""

    def __init__(self, message: str, *, engine: str, step: str, sql: str | None = None) -> None:
        self.engine = engine
        self.step = step
        self.sql = sql
        super().__init__(f"[{engine}] {step}: {message}")


class IngestRunFailed(SmokewatchError):
    """An ingest run could not complete; the previous state of the tables is intact."""


class MissingExtra(SmokewatchError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, feature: str, extra: str) -> None:
        self.feature = feature
        self.extra = extra
        super().__init__(
            f"{feature} needs an optional dependency: pip install 'smokewatch[{extra}]'"
        )


__all__ = [
    "ConfigError",
    "Conflict",
    "EngineError",
    "IngestRunFailed",
    "InvalidInput",
    "InvalidTransition",
    "Location",
    "MissingExtra",
    "NotFound",
    "Problem",
    "RuleError",
    "SmokewatchError",
]
