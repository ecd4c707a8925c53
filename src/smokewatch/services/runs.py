"""Runs: ids, and recording a run's start, outcome and statistics in the store.

A run is recorded as ``running`` before work starts and finished as ``succeeded``,
``unchanged`` or ``failed`` — so a crash leaves a visible ``running`` record, and the data it
was writing is untouched (engines replace tables atomically).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from smokewatch.errors import SmokewatchError
from smokewatch.logs import bind_run, get_logger
from smokewatch.store import repos
from smokewatch.store.db import Store

log = get_logger(__name__)

_PREFIX = {
    "ingest": "ing",
    "detect": "det",
    "score": "sco",
    "demo": "dem",
    "resolve": "res",
    "graph": "gra",
    "patrol": "pat",
}


def new_run_id(kind: str, now: datetime | None = None) -> str:
    """``ing-20261121-093012-3f9a``: kind, UTC time, random suffix (sortable, unique)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"{_PREFIX.get(kind, kind[:3])}-{stamp}-{secrets.token_hex(2)}"


@dataclass(slots=True)
class RunHandle:
    """A run in progress: its id and the statistics the service fills in."""

    run_id: str
    kind: str
    started_at: datetime
    stats: dict[str, Any] = field(default_factory=dict)
    status: str = "succeeded"


@contextmanager
def recorded_run(
    store: Store,
    kind: str,
    *,
    engine: str | None = None,
    source_id: str | None = None,
    subject: str | None = None,
    inputs: Mapping[str, Any] | None = None,
) -> Iterator[RunHandle]:
    """Record a run around a block of work; every log line in the block carries ``run_id``."""
    handle = RunHandle(new_run_id(kind), kind, datetime.now(UTC))
    with store.unit_of_work() as session:
        repos.add_run(
            session,
            run_id=handle.run_id,
            kind=kind,
            started_at=handle.started_at,
            engine=engine,
            source_id=source_id,
            subject=subject,
            inputs=inputs,
        )
    with bind_run(run_id=handle.run_id, kind=kind, engine=engine, source=source_id):
        log.info("run_started")
        try:
            yield handle
        except BaseException as exc:
            error = str(exc) if isinstance(exc, SmokewatchError) else f"{type(exc).__name__}: {exc}"
            with store.unit_of_work() as session:
                repos.finish_run(
                    session, handle.run_id, status="failed", stats=handle.stats, error=error
                )
            log.warning("run_failed", error=error)
            raise
        with store.unit_of_work() as session:
            repos.finish_run(session, handle.run_id, status=handle.status, stats=handle.stats)
        log.info("run_finished", status=handle.status)


__all__ = ["RunHandle", "new_run_id", "recorded_run"]
