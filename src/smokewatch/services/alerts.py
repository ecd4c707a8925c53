"""Scores, alerts and watch lists as the edges show and change them.

Reads: :func:`list_scores` (the grade lists of an evaluation date), :func:`show_scores` (one
entity's latest index with every contribution, and its history), :func:`list_alerts`,
:func:`show_alert`, :func:`list_watch`. Changes, each recorded with who and why in the alert's
history and in the audit log: :func:`acknowledge_alert`, :func:`snooze_alert`,
:func:`close_alert`, :func:`add_watch`, :func:`remove_watch`.

The ``actor`` of these functions is a user (:class:`~smokewatch.cases.access.Actor`: what
they see and may do is checked, :mod:`smokewatch.services.visibility`) or, at the command
line, the operator's name (a trusted administrator). An alert outside the user's territory is
reported as not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.cases.access import TRIAGE_ROLES, Actor, sees_region
from smokewatch.errors import Conflict, InvalidInput, NotFound
from smokewatch.services import audit
from smokewatch.services.scores import alert_id
from smokewatch.services.users import actor_of
from smokewatch.services.visibility import (
    region_condition,
    region_of,
    require_analyst,
    require_triage,
)
from smokewatch.store import scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, AlertEvent, AlertStatus, Score, WatchlistEntry
from smokewatch.store.orm_cases import Agency, User

Who = Actor | str
"""A user, or the operator's name at the command line (trusted)."""

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
        "acknowledged_at": alert.acknowledged_at,
        "acknowledged_by": alert.acknowledged_by,
        "assignee": alert.assignee,
        "assigned_at": alert.assigned_at,
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


def _name(actor: Who) -> str:
    return actor if isinstance(actor, str) else actor.user_id


def _score_condition(actor: Who | None) -> sa.ColumnElement[bool] | None:
    if actor is None or isinstance(actor, str):
        return None
    require_analyst(actor)
    return region_condition(actor, Score.adcode, Score.sector)


def _visible_alert(session: Session, alert_id: str, actor: Who | None, *, acting: bool) -> Alert:
    """The alert, if the actor sees it (and, ``acting``, may act on it).

    Raises:
        Forbidden: the role does not read (or act on) alerts.
        NotFound: no such alert, or outside the actor's territory.
    """
    if isinstance(actor, Actor):
        require_analyst(actor)
    alert = scoring.get_alert(session, alert_id)
    if isinstance(actor, Actor):
        if not sees_region(actor, alert.adcode, alert.sector):
            raise NotFound(f"no alert {alert_id!r}")
        if acting:
            require_triage(actor)
    return alert


def list_scores(
    store: Store,
    *,
    scorecard_id: str = DEFAULT_SCORECARD,
    as_of: date | None = None,
    grades: Sequence[str] | None = None,
    adcode_prefix: str | None = None,
    limit: int = 50,
    offset: int = 0,
    actor: Who | None = None,
) -> ScorePage:
    """The scores of an evaluation date (default: the latest), highest first.

    With a user as ``actor``, only the scores routed where they see them (grade counts too).
    """
    where = _score_condition(actor)
    with store.read_session() as session:
        day = as_of or scoring.latest_as_of(session, scorecard_id)
        if day is None:
            return ScorePage(scorecard_id, None, 0, {}, [])
        rows, total = scoring.list_scores(
            session,
            scorecard_id=scorecard_id,
            as_of=day,
            grades=grades,
            adcode_prefix=adcode_prefix,
            where=where,
            limit=limit,
            offset=offset,
        )
        counts = scoring.grade_counts(session, scorecard_id=scorecard_id, as_of=day, where=where)
        return ScorePage(scorecard_id, day, total, counts, [score_dict(r) for r in rows])


def show_scores(
    store: Store, subject_id: str, *, scorecard_id: str = DEFAULT_SCORECARD
) -> dict[str, Any]:
    """One entity: its latest score with every contribution, its history, alert and lists.

    Raises:
        NotFound: the entity was never scored by this scorecard.
    """
    with store.read_session() as session:
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
    acknowledged: bool | None = None,
    limit: int = 50,
    offset: int = 0,
    actor: Who | None = None,
    assignee: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Alerts matching the filters (default: the open ones), most recently updated first.

    With a user as ``actor``, only the alerts routed where they see them.
    """
    region = None
    if isinstance(actor, Actor):
        require_analyst(actor)
        region = region_of(actor)
    with store.read_session() as session:
        rows, total = scoring.list_alerts(
            session,
            statuses=statuses,
            grades=grades,
            adcode_prefix=adcode_prefix,
            sector=sector,
            acknowledged=acknowledged,
            region=region,
            limit=limit,
            offset=offset,
            assignee=assignee,
        )
        return [alert_dict(a) for a in rows], total


def show_alert(store: Store, alert_id: str, *, actor: Who | None = None) -> dict[str, Any]:
    """One alert with its history.

    Raises:
        NotFound: no such alert (or outside the user's territory).
    """
    with store.read_session() as session:
        alert = _visible_alert(session, alert_id, actor, acting=False)
        return alert_dict(alert, scoring.alert_events(session, alert_id))


def _changed(session: Session, alert: Alert, kind: str, actor: Who, reason: str | None) -> None:
    """Record a change made by a person: in the alert's history and in the audit log."""
    now = datetime.now(UTC)
    alert.updated_at = now
    scoring.add_alert_event(
        session, alert.id, kind, grade=alert.grade, actor=_name(actor), reason=reason, at=now
    )
    audit.record(
        session,
        actor=_name(actor),
        action=f"alert.{kind}",
        object_type="alert",
        object_id=alert.id,
        detail={
            "subject_id": alert.subject_id,
            "grade": alert.grade,
            "status": str(alert.status),
            "reason": reason,
            "snoozed_until": alert.snoozed_until,
        },
        at=now,
    )
    session.flush()


def acknowledge_alert(
    store: Store, alert_id: str, *, actor: Who, note: str | None = None
) -> dict[str, Any]:
    """Take note of an alert at its current grade (a later rise clears the acknowledgement).

    Acknowledging an alert that is already acknowledged changes nothing.

    Raises:
        Conflict: the alert is closed.
    """
    with store.unit_of_work() as session:
        alert = _visible_alert(session, alert_id, actor, acting=True)
        if alert.status == AlertStatus.CLOSED:
            raise Conflict(f"alert {alert_id} is closed; reopen it by scoring, not by hand")
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = datetime.now(UTC), _name(actor)
            _changed(session, alert, "acknowledged", actor, (note or "").strip() or None)
        return alert_dict(alert, scoring.alert_events(session, alert_id))


def assign_alert(
    store: Store, alert_id: str, *, assignee: str | None, actor: Who, note: str | None = None
) -> dict[str, Any]:
    """Give the alert to a user to triage (``None`` puts it back in the territory's inbox).

    The assignee must be an active user who sees the alert and may act on alerts there, so an
    alert is never handed to someone who cannot open it.

    Raises:
        InvalidInput: no such active user, or one who could not work on this alert.
        Conflict: the alert is closed.
    """
    with store.unit_of_work() as session:
        alert = _visible_alert(session, alert_id, actor, acting=True)
        if alert.status == AlertStatus.CLOSED:
            raise Conflict(f"alert {alert_id} is closed; it cannot be assigned")
        if assignee is not None:
            user = session.get(User, assignee)
            if user is None or not user.active:
                raise InvalidInput(f"no active user {assignee!r}")
            agency = session.get(Agency, user.agency_id) if user.agency_id else None
            them = actor_of(user, agency)
            if not sees_region(them, alert.adcode, alert.sector) or not (
                them.is_admin or them.roles & TRIAGE_ROLES
            ):
                raise InvalidInput(
                    f"{assignee} cannot work on alerts in {alert.adcode or 'this region'}"
                )
        if alert.assignee != assignee:
            alert.assignee = assignee
            alert.assigned_at = datetime.now(UTC) if assignee else None
            reason = f"→ {assignee}" if assignee else "→ inbox"
            if note and note.strip():
                reason = f"{reason}: {note.strip()}"
            _changed(session, alert, "assigned", actor, reason)
        return alert_dict(alert, scoring.alert_events(session, alert_id))


def snooze_alert(
    store: Store, alert_id: str, *, until: date, reason: str, actor: Who, today: date | None = None
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
        alert = _visible_alert(session, alert_id, actor, acting=True)
        if alert.status == AlertStatus.CLOSED:
            raise InvalidInput(f"alert {alert_id} is closed; it cannot be snoozed")
        alert.status = AlertStatus.SNOOZED
        alert.snoozed_until, alert.snooze_reason = until, reason.strip()
        _changed(session, alert, "snoozed", actor, reason.strip())
        return alert_dict(alert, scoring.alert_events(session, alert_id))


def close_alert(store: Store, alert_id: str, *, reason: str, actor: Who) -> dict[str, Any]:
    """Close an alert with a reason (it reopens if the entity later rises above its grade).

    Raises:
        InvalidInput: no reason, or already closed.
    """
    if not reason.strip():
        raise InvalidInput("a reason is required to close an alert")
    with store.unit_of_work() as session:
        alert = _visible_alert(session, alert_id, actor, acting=True)
        if alert.status == AlertStatus.CLOSED:
            raise InvalidInput(f"alert {alert_id} is already closed")
        alert.status = AlertStatus.CLOSED
        alert.snoozed_until, alert.snooze_reason = None, None
        _changed(session, alert, "closed", actor, reason.strip())
        return alert_dict(alert, scoring.alert_events(session, alert_id))


_REGION_BY_SCORE: Final = (
    sa.select(Score.subject_table, Score.subject_name, Score.adcode, Score.sector)
    .where(Score.subject_id == sa.bindparam("subject_id"), Score.shadow.is_(False))
    .order_by(Score.as_of.desc(), Score.created_at.desc())
    .limit(1)
)
_REGION_BY_ALERT: Final = (
    sa.select(Alert.subject_table, Alert.subject_name, Alert.adcode, Alert.sector)
    .where(Alert.subject_id == sa.bindparam("subject_id"))
    .order_by(Alert.updated_at.desc())
    .limit(1)
)
"""Where a subject is routed (built once: every entity read asks)."""


def subject_region(
    session: Session, subject_id: str
) -> tuple[str, str | None, str | None, str | None]:
    """``(table, name, adcode, sector)`` of a subject from its latest score or alert."""
    params = {"subject_id": subject_id}
    latest = session.execute(_REGION_BY_SCORE, params).first()
    if latest is None:
        latest = session.execute(_REGION_BY_ALERT, params).first()
    if latest is None:
        return "enterprise", None, None, None
    return str(latest[0]), latest[1], latest[2], latest[3]


def _check_watch(session: Session, subject_id: str, actor: Who) -> tuple[str, str | None]:
    table, name, adcode, sector = subject_region(session, subject_id)
    if isinstance(actor, Actor):
        require_analyst(actor)
        if not sees_region(actor, adcode, sector):
            raise NotFound(f"no entity {subject_id!r} in your territory")
        require_triage(actor)
    return table, name


def add_watch(
    store: Store,
    subject_id: str,
    *,
    reason: str,
    actor: Who,
    list_id: str = KEY_FOCUS,
    expires_on: date | None = None,
    subject_name: str | None = None,
) -> dict[str, Any]:
    """Put an entity on a watch list (default: the key-focus list) with a reason."""
    with store.unit_of_work() as session:
        table, known_name = _check_watch(session, subject_id, actor)
        entry = scoring.add_watch(
            session,
            list_id=list_id,
            subject_id=subject_id,
            subject_table=table,
            subject_name=subject_name or known_name,
            reason=reason,
            added_by=_name(actor),
            expires_on=expires_on,
        )
        audit.record(
            session,
            actor=_name(actor),
            action="watchlist.add",
            object_type="watchlist",
            object_id=list_id,
            detail={"subject_id": subject_id, "reason": entry.reason, "expires_on": expires_on},
        )
        return watch_dict(entry)


def remove_watch(
    store: Store, subject_id: str, *, reason: str, actor: Who, list_id: str = KEY_FOCUS
) -> dict[str, Any]:
    """Take an entity off a watch list with a reason (the entry is kept)."""
    with store.unit_of_work() as session:
        _check_watch(session, subject_id, actor)
        entry = scoring.remove_watch(
            session, list_id=list_id, subject_id=subject_id, removed_by=_name(actor), reason=reason
        )
        audit.record(
            session,
            actor=_name(actor),
            action="watchlist.remove",
            object_type="watchlist",
            object_id=list_id,
            detail={"subject_id": subject_id, "reason": entry.removal_reason},
        )
        return watch_dict(entry)


def list_watch(
    store: Store, *, list_id: str | None = None, history: bool = False, actor: Who | None = None
) -> list[dict[str, Any]]:
    """The entries of a list (all lists when ``None``): active today, or all with ``history``.

    With a user as ``actor``, only entries about entities routed where they see them.
    """
    if isinstance(actor, Actor):
        require_analyst(actor)
    with store.read_session() as session:
        entries = scoring.list_watch(session, list_id=list_id, history=history)
        if isinstance(actor, Actor) and not actor.is_admin:
            regions = {e.subject_id: subject_region(session, e.subject_id) for e in entries}
            entries = [e for e in entries if sees_region(actor, *regions[e.subject_id][2:])]
        return [watch_dict(e) for e in entries]


__all__ = [
    "DEFAULT_SCORECARD",
    "KEY_FOCUS",
    "ScorePage",
    "Who",
    "acknowledge_alert",
    "add_watch",
    "alert_dict",
    "assign_alert",
    "close_alert",
    "list_alerts",
    "list_scores",
    "list_watch",
    "remove_watch",
    "score_dict",
    "show_alert",
    "show_scores",
    "snooze_alert",
    "subject_region",
    "watch_dict",
]
