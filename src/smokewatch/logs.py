"""Structured logging: constant event names, data in fields, ``run_id`` bound per run.

Only edges call :func:`configure_logging`. Code inside a run binds the run's identity with
:func:`bind_run`, and every line logged inside the ``with`` block carries it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog


class _Stderr:
    """Standard error as it is when a line is written (tests and servers swap it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "warning", fmt: str = "console") -> None:
    """Send structured logs to standard error as console lines or JSON objects."""
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=structlog.PrintLoggerFactory(file=_Stderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> Any:
    """A structured logger; use constant event names and keyword fields."""
    return structlog.get_logger(name)


@contextmanager
def bind_run(**fields: Any) -> Iterator[None]:
    """Bind ``run_id`` (and e.g. ``source``, ``engine``) to every log line in the block."""
    with structlog.contextvars.bound_contextvars(**fields):
        yield


__all__ = ["bind_run", "configure_logging", "get_logger"]
