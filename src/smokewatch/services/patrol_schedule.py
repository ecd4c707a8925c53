"""Scheduled patrols: which patrols are due, and running them (``patrol run --due``).

A patrol spec with ``schedule: {every_hours: N}`` is due when its last successful run (a
``patrol`` run of its source in the store) finished N hours ago or more, or when it never
ran. smokewatch has no daemon: cron or a systemd timer calls ``smokewatch patrol run --due``
(say every 15 minutes), and each call runs what is due, one patrol after the other. A patrol
that fails is reported and the others still run; it stays due, so the next call retries it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from smokewatch.errors import SmokewatchError
from smokewatch.patrol.documents import source_id
from smokewatch.patrol.fetch import Clock
from smokewatch.patrol.spec import PATROL_DIR, list_patrol_ids, load_patrol_spec
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.services.patrol import PatrolRunSummary, run_patrol
from smokewatch.services.workspace import open_store, open_workspace
from smokewatch.settings import Settings
from smokewatch.store.orm import Run, RunKind, RunStatus


@dataclass(frozen=True, slots=True)
class PatrolDue:
    """A patrol's schedule and whether it is due now."""

    patrol_id: str
    every_hours: float | None
    """``None``: no schedule (runs only by name)."""
    last_run: str | None
    last_finished_at: datetime | None
    due_at: datetime | None
    """When it is (or was) due; ``None`` without a schedule."""
    due: bool


def _last_runs(settings: Settings, patrol_ids: list[str]) -> dict[str, tuple[str, datetime]]:
    sources = {source_id(p): p for p in patrol_ids}
    last: dict[str, tuple[str, datetime]] = {}
    with open_store(settings) as store, store.unit_of_work() as session:
        rows = session.execute(
            sa.select(Run.source_id, Run.id, Run.finished_at)
            .where(
                Run.kind == RunKind.PATROL,
                Run.status == RunStatus.SUCCEEDED,
                Run.source_id.in_(list(sources)),
            )
            .order_by(Run.finished_at)
        )
        for source, run_id, finished_at in rows:
            if finished_at is not None:
                last[sources[str(source)]] = (str(run_id), finished_at)
    return last


def patrols_due(settings: Settings, *, now: datetime | None = None) -> list[PatrolDue]:
    """Every patrol of the workspace with its schedule, last successful run and due time."""
    now = now or datetime.now(UTC)
    folder = open_workspace(settings).root / PATROL_DIR
    ids = list_patrol_ids(folder)
    last = _last_runs(settings, ids)
    found = []
    for patrol_id in ids:
        schedule = load_patrol_spec(folder, patrol_id).schedule
        run_id, finished = last.get(patrol_id, (None, None))
        every = schedule.every_hours if schedule is not None else None
        due_at = None
        if every is not None:
            due_at = finished + timedelta(hours=every) if finished is not None else now
        due = due_at is not None and due_at <= now
        found.append(PatrolDue(patrol_id, every, run_id, finished, due_at, due))
    return found


@dataclass(frozen=True, slots=True)
class DueRuns:
    """What ``patrol run --due`` did."""

    ran: tuple[PatrolRunSummary, ...]
    failed: tuple[tuple[str, str], ...]
    """``(patrol id, error)`` of the due patrols whose run failed."""
    not_due: tuple[PatrolDue, ...]


def run_due(
    settings: Settings,
    *,
    now: datetime | None = None,
    clock: Clock | None = None,
    progress: Progress = NO_PROGRESS,
    render: bool = True,
    secret: bytes | None = None,
    stamp: Callable[[], datetime] | None = None,
) -> DueRuns:
    """Run every due patrol, one after the other (see the module docs).

    ``now`` decides what is due; ``stamp`` is the clock of the runs' own timestamps.
    """
    ran, failed, not_due = [], [], []
    for patrol in patrols_due(settings, now=now):
        if not patrol.due:
            not_due.append(patrol)
            continue
        try:
            summary = run_patrol(
                settings, patrol.patrol_id, clock=clock, now=stamp, progress=progress,
                render=render, secret=secret,
            )  # fmt: skip
        except SmokewatchError as exc:
            failed.append((patrol.patrol_id, str(exc)))
        else:
            ran.append(summary)
    return DueRuns(tuple(ran), tuple(failed), tuple(not_due))


__all__ = ["DueRuns", "PatrolDue", "patrols_due", "run_due"]
