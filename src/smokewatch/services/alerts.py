"""Scores, alerts and watch lists as the edges show and change them.

Reads: :func:`list_scores` (the grade lists of an evaluation date), :func:`show_scores` (one
entity's latest index with every contribution, and its history), :func:`list_alerts`,
:func:`show_alert`, :func:`list_watch`. Changes, each recorded with who and why:
:func:`snooze_alert`, :func:`close_alert`, :func:`add_watch`, :func:`remove_watch`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.services.scores import alert_id
from smokewatch.store import scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, AlertEvent, AlertStatus, Score, WatchlistEntry

DEFAULT_SCORECARD = "SW-S-0001"
KEY_FOCUS = "key_focus"
"""The key-focus list (重点关注名单)."""


def score_dict(score: Score, *, contributions: bool = False) -> dict[str, Any]:
    """A score as plain data (contributions only when asked: they are long)."""
    data: dict[str, Any] = {
        "id": score.id,
        "subject_id": score.subject_id,
        "subject_table": score.subject_table,
        "subject_name": score.subject_name,
        "scorecard": f"{score.scorecard_id}@{score.scorecard_version}",
        "as_of": score.as_of,
        "smoke_index": score.score,
        "grade": score.grade,
        "dimensions": score.dimensions,
        "adcode": score.adcode,
        "sector": score.sector,
        "run_id": score.run_id,
    }
    if contributions:
        data["contributions"] = score.contributions
    return data


def alert_dict(alert: Alert, events: Sequence[AlertEvent] | None = None) -> dict[str, Any]:
    """An alert as plain data, with its history when given."""
    data: dict[str, Any] = {
        "id": alert.id,
        "subject_id": alert.subject_id,
        "subject_table": alert.subject_table,
        "subject_name": alert.subject_name,
        "scorecard": f"{alert.scorecard_id}@{alert.scorecard_version}",
        "grade": alert.grade,
        "last_grade": alert.last_grade,
        "smoke_index": alert.score,
        "as_of": alert.as_of,
        "status": str(alert.status),
        "raised_at": alert.raised_at,
        "updated_at": alert.updated_at,
        "snoozed_until": alert.snoozed_until,
        "snooze_reason": alert.snooze_reason,
        "adcode": alert.adcode,
        "sector": alert.sector,
        "reason_zh": alert.reason_zh,
        "reason_en": alert.reason_en,
    }
    if events is not None:
        data["history"] = [
            {
                "kind": str(e.kind),
                "at": e.at,
                "grade": e.grade,
                "smoke_index": e.score,
                "run_id": e.run_id,
                "actor": e.actor,
                "reason": e.reason,
            }
            for e in events
        ]
    return data


def watch_dict(entry: WatchlistEntry) -> dict[str, Any]:
    """A watch-list entry as plain data."""
    return {
        "id": entry.id,
        "list": entry.list_id,
        "subject_id": entry.subject_id,
        "subject_table": entry.subject_table,
        "subject_name": entry.subject_name,
        "reason": entry.reason,
        "added_by": entry.added_by,
        "added_at": entry.added_at,
        "expires_on": entry.expires_on,
        "removed_at": entry.removed_at,
        "removed_by": entry.removed_by,
        "removal_reason": entry.removal_reason,
    }


@dataclass(frozen=True, slots=True)
class ScorePage:
    """A page of one evaluation date's scores, and the grade counts of that date."""

    scorecard: str
    as_of: date | None
    total: int
    by_grade: dict[str, int]
    scores: list[dict[str, Any]]


def list_scores(
    store: Store,
    *,
    scorecard_id: str = DEFAULT_SCORECARD,
    as_of: date | None = None,
    grades: Sequence[str] | None = None,
    adcode_prefix: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ScorePage:
    """The scores of an evaluation date (default: the latest), highest first."""
    with store.unit_of_work() as session:
        day = as_of or scoring.latest_as_of(session, scorecard_id)
        if day is None:
            return ScorePage(scorecard_id, None, 0, {}, [])
        rows, total = scoring.list_scores(
            session,
            scorecard_id=scorecard_id,
            as_of=day,
            grades=grades,
            adcode_prefix=adcode_prefix,
            limit=limit,
            offset=offset,
        )
        counts = scoring.grade_counts(session, scorecard_id=scorecard_id, as_of=day)
        return ScorePage(scorecard_id, day, total, counts, [score_dict(r) for r in rows])


def show_scores(
    store: Store, subject_id: str, *, scorecard_id: str = DEFAULT_SCORECARD
) -> dict[str, Any]:
    """One entity: its latest score with every contribution, its history, alert and lists.

    Raises:
        NotFound: the entity was never scored by this scorecard.
    """
    with store.unit_of_work() as session:
        history = scoring.score_history(session, subject_id, scorecard_id=scorecard_id)
        if not history:
            raise NotFound(f"{subject_id} has no score from {scorecard_id}")
        latest = history[-1]
        alert = session.get(Alert, alert_id(scorecard_id, latest.subject_table, subject_id))
        watch = scoring.watch_entries_for(session, subject_id)
        return {
            **score_dict(latest, contributions=True),
            "history": [
                {"as_of": s.as_of, "smoke_index": s.score, "grade": s.grade} for s in history
            ],
            "alert": alert_dict(alert) if alert is not None else None,
            "watchlists": [watch_dict(w) for w in watch],
        }


def list_alerts(
    store: Store,
    *,
    statuses: Sequence[str] | None = ("open",),
    grades: Sequence[str] | None = None,
    adcode_prefix: str | None = None,
    sector: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Alerts matching the filters (default: the open ones), most recently updated first."""
    with store.unit_of_work() as session:
        rows, total = scoring.list_alerts(
            session,
            statuses=statuses,
            grades=grades,
            adcode_prefix=adcode_prefix,
            sector=sector,
            limit=limit,
            offset=offset,
        )
        return [alert_dict(a) for a in rows], total


def show_alert(store: Store, alert_id: str) -> dict[str, Any]:
    """One alert with its history."""
    with store.unit_of_work() as session:
        alert = scoring.get_alert(session, alert_id)
        return alert_dict(alert, scoring.alert_events(session, alert_id))


def snooze_alert(
    store: Store, alert_id: str, *, until: date, reason: str, actor: str, today: date | None = None
) -> dict[str, Any]:
    """Snooze an alert until a day, with a reason: later rises are recorded, not notified.

    Raises:
        InvalidInput: no reason, a day not in the future, or a closed alert.
    """
    day = today or datetime.now(UTC).date()
    if not reason.strip():
        raise InvalidInput("a reason is required to snooze an alert")
    if until <= day:
        raise InvalidInput(f"snooze until a future day, not {until}")
    with store.unit_of_work() as session:
        alert = scoring.get_alert(session, alert_id)
        if alert.status == AlertStatus.CLOSED:
            raise InvalidInput(f"alert {alert_id} is closed; it cannot be snoozed")
        alert.status = AlertStatus.SNOOZED
        alert.snoozed_until, alert.snooze_reason = until, reason.strip()
        alert.updated_at = datetime.now(UTC)
        scoring.add_alert_event(
            session, alert_id, "snoozed", grade=alert.grade, actor=actor, reason=reason.strip()
        )
        session.flush()
        return alert_dict(alert, scoring.alert_events(session, alert_id))


def close_alert(store: Store, alert_id: str, *, reason: str, actor: str) -> dict[str, Any]:
    """Close an alert with a reason (it reopens if the entity later rises above its grade).

    Raises:
        InvalidInput: no reason, or already closed.
    """
    if not reason.strip():
        raise InvalidInput("a reason is required to close an alert")
    with store.unit_of_work() as session:
        alert = scoring.get_alert(session, alert_id)
        if alert.status == AlertStatus.CLOSED:
            raise InvalidInput(f"alert {alert_id} is already closed")
        alert.status = AlertStatus.CLOSED
        alert.snoozed_until, alert.snooze_reason = None, None
        alert.updated_at = datetime.now(UTC)
        scoring.add_alert_event(
            session, alert_id, "closed", grade=alert.grade, actor=actor, reason=reason.strip()
        )
        session.flush()
        return alert_dict(alert, scoring.alert_events(session, alert_id))


def _subject_name(store: Store, subject_id: str) -> tuple[str, str | None]:
    """The table and name of a subject, from its latest score or alert (else unknown)."""
    with store.unit_of_work() as session:
        history = scoring.score_history(session, subject_id)
        if history:
            return history[-1].subject_table, history[-1].subject_name
    return "enterprise", None


def add_watch(
    store: Store,
    subject_id: str,
    *,
    reason: str,
    actor: str,
    list_id: str = KEY_FOCUS,
    expires_on: date | None = None,
    subject_name: str | None = None,
) -> dict[str, Any]:
    """Put an entity on a watch list (default: the key-focus list) with a reason."""
    table, known_name = _subject_name(store, subject_id)
    with store.unit_of_work() as session:
        entry = scoring.add_watch(
            session,
            list_id=list_id,
            subject_id=subject_id,
            subject_table=table,
            subject_name=subject_name or known_name,
            reason=reason,
            added_by=actor,
            expires_on=expires_on,
        )
        return watch_dict(entry)


def remove_watch(
    store: Store, subject_id: str, *, reason: str, actor: str, list_id: str = KEY_FOCUS
) -> dict[str, Any]:
    """Take an entity off a watch list with a reason (the entry is kept)."""
    with store.unit_of_work() as session:
        entry = scoring.remove_watch(
            session, list_id=list_id, subject_id=subject_id, removed_by=actor, reason=reason
        )
        return watch_dict(entry)


def list_watch(
    store: Store, *, list_id: str | None = None, history: bool = False
) -> list[dict[str, Any]]:
    """The entries of a list (all lists when ``None``): active today, or all with ``history``."""
    with store.unit_of_work() as session:
        return [
            watch_dict(e) for e in scoring.list_watch(session, list_id=list_id, history=history)
        ]


__all__ = [
    "DEFAULT_SCORECARD",
    "KEY_FOCUS",
    "ScorePage",
    "add_watch",
    "alert_dict",
    "close_alert",
    "list_alerts",
    "list_scores",
    "list_watch",
    "remove_watch",
    "score_dict",
    "show_alert",
    "show_scores",
    "snooze_alert",
    "watch_dict",
]
