"""Repository functions for scores, the scorecard registry, alerts and watch lists.

Like :mod:`smokewatch.store.repos` they never commit. Scores are written in bulk and keyed by a
deterministic id, so scoring the same data again replaces rows instead of adding them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.errors import Conflict, InvalidInput, NotFound
from smokewatch.store import _bulk
from smokewatch.store.orm import (
    Alert,
    AlertEvent,
    AlertEventKind,
    AlertStatus,
    Score,
    ScorecardVersion,
    WatchlistEntry,
)
from smokewatch.store.repos import MAX_PAGE

_SCORE_KEYS: Final = (
    "id",
    "subject_id",
    "subject_table",
    "scorecard_id",
    "scorecard_version",
    "as_of",
    "score",
    "grade",
    "dimensions",
    "contributions",
    "shadow",
)
_SCORE_COLUMNS: Final = (
    *_SCORE_KEYS,
    "subject_name",
    "adcode",
    "sector",
    "run_id",
    "created_at",
)


def _now() -> datetime:
    return datetime.now(UTC)


def _page(limit: int, offset: int) -> None:
    if not 0 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 0 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise InvalidInput(f"offset must not be negative, got {offset}")


# -- scorecard registry ---------------------------------------------------------------------


def publish_scorecard_version(
    session: Session,
    *,
    scorecard_id: str,
    version: int,
    content_hash: str,
    status: str,
    title: str,
) -> ScorecardVersion:
    """Record that ``scorecard_id@version`` with this content is published (idempotent).

    Raises:
        Conflict: this version was published with different content; bump the version.
    """
    existing = session.get(ScorecardVersion, (scorecard_id, version))
    if existing is not None:
        if existing.content_hash != content_hash:
            raise Conflict(
                f"{scorecard_id}@{version} is already published with content "
                f"{existing.content_hash[:12]}; bump the version to change it"
            )
        return existing
    record = ScorecardVersion(
        scorecard_id=scorecard_id,
        version=version,
        content_hash=content_hash,
        status=status,
        title=title,
        first_published_at=_now(),
    )
    session.add(record)
    session.flush()
    return record


# -- scores ---------------------------------------------------------------------------------


def replace_scores(session: Session, run_id: str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Store the scores of a run; a score with the same id (same card, subject, day) is replaced.

    Raises:
        InvalidInput: a row lacks a column.
    """
    created_at = _now()

    def prepared() -> Iterator[dict[str, Any]]:
        for index, row in enumerate(rows):
            absent = [key for key in _SCORE_KEYS if key not in row]
            if absent:
                raise InvalidInput(f"score #{index}: missing {', '.join(absent)}")
            values = {key: row[key] for key in _SCORE_KEYS}
            for optional in ("subject_name", "adcode", "sector"):
                values[optional] = row.get(optional)
            values["run_id"] = run_id
            values["created_at"] = created_at
            yield values

    table = cast("sa.Table", Score.__table__)
    return _bulk.upsert(session, table, _SCORE_COLUMNS, prepared(), key="id")


def latest_as_of(session: Session, scorecard_id: str, *, shadow: bool = False) -> date | None:
    """The most recent evaluation date scored with this scorecard, or ``None``."""
    query = sa.select(sa.func.max(Score.as_of)).where(
        Score.scorecard_id == scorecard_id, Score.shadow.is_(shadow)
    )
    return session.execute(query).scalar_one_or_none()


def list_scores(
    session: Session,
    *,
    scorecard_id: str,
    as_of: date,
    grades: Sequence[str] | None = None,
    min_score: float | None = None,
    adcode_prefix: str | None = None,
    shadow: bool = False,
    where: sa.ColumnElement[bool] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Score], int]:
    """Scores of one evaluation date, highest first, and how many match the filters.

    ``where`` is a further condition (the rows a user may see).
    """
    _page(limit, offset)
    conditions: list[sa.ColumnElement[bool]] = [
        Score.scorecard_id == scorecard_id,
        Score.as_of == as_of,
        Score.shadow.is_(shadow),
    ]
    if where is not None:
        conditions.append(where)
    if grades:
        conditions.append(Score.grade.in_(list(grades)))
    if min_score is not None:
        conditions.append(Score.score >= min_score)
    if adcode_prefix:
        conditions.append(Score.adcode.startswith(adcode_prefix, autoescape=True))
    total = session.execute(sa.select(sa.func.count()).select_from(Score).where(*conditions))
    page = session.scalars(
        sa.select(Score)
        .where(*conditions)
        .order_by(Score.score.desc(), Score.subject_id)
        .limit(limit)
        .offset(offset)
    )
    return list(page), int(total.scalar_one())


def grade_counts(
    session: Session,
    *,
    scorecard_id: str,
    as_of: date,
    where: sa.ColumnElement[bool] | None = None,
) -> dict[str, int]:
    """How many subjects are at each grade on that day (non-shadow scores)."""
    conditions = [Score.scorecard_id == scorecard_id, Score.as_of == as_of, Score.shadow.is_(False)]
    if where is not None:
        conditions.append(where)
    rows = session.execute(
        sa.select(Score.grade, sa.func.count()).where(*conditions).group_by(Score.grade)
    )
    return {str(grade): int(count) for grade, count in rows}


def score_history(
    session: Session, subject_id: str, *, scorecard_id: str | None = None, shadow: bool = False
) -> list[Score]:
    """Every stored score of a subject, oldest first (one per scorecard and day)."""
    params = {"subject_id": subject_id, "shadow": shadow}
    if scorecard_id is None:
        return list(session.scalars(_HISTORY, params))
    return list(session.scalars(_CARD_HISTORY, {**params, "scorecard_id": scorecard_id}))


# Statements of the hot reads (an entity profile), built once: building an expression costs
# more than running it on an indexed table.
_HISTORY: Final = (
    sa.select(Score)
    .where(Score.subject_id == sa.bindparam("subject_id"), Score.shadow == sa.bindparam("shadow"))
    .order_by(Score.as_of, Score.scorecard_id)
)
_CARD_HISTORY: Final = _HISTORY.where(Score.scorecard_id == sa.bindparam("scorecard_id"))
_WATCH_ENTRIES: Final = sa.select(WatchlistEntry).where(
    WatchlistEntry.subject_id == sa.bindparam("subject_id"),
    WatchlistEntry.removed_at.is_(None),
    sa.or_(WatchlistEntry.expires_on.is_(None), WatchlistEntry.expires_on >= sa.bindparam("on")),
)


def scores_for_evaluation(
    session: Session, scorecard_id: str
) -> list[tuple[str, date, float, str]]:
    """``(subject_id, as_of, score, grade)`` of every non-shadow score of a scorecard."""
    rows = session.execute(
        sa.select(Score.subject_id, Score.as_of, Score.score, Score.grade).where(
            Score.scorecard_id == scorecard_id, Score.shadow.is_(False)
        )
    )
    return [(str(s), d, float(v), str(g)) for s, d, v, g in rows]


# -- alerts ---------------------------------------------------------------------------------


def alerts_by_subject(session: Session, scorecard_id: str, subject_table: str) -> dict[str, Alert]:
    """Every alert of a scorecard on subjects of one table, by subject id."""
    query = sa.select(Alert).where(
        Alert.scorecard_id == scorecard_id, Alert.subject_table == subject_table
    )
    return {alert.subject_id: alert for alert in session.scalars(query)}


def get_alert(session: Session, alert_id: str) -> Alert:
    """One alert.

    Raises:
        NotFound: no alert has this id.
    """
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id!r}")
    return alert


def add_alert_event(
    session: Session,
    alert_id: str,
    kind: AlertEventKind | str,
    *,
    grade: str | None = None,
    score: float | None = None,
    run_id: str | None = None,
    actor: str | None = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> AlertEvent:
    """Append one step to an alert's history."""
    event = AlertEvent(
        alert_id=alert_id,
        kind=AlertEventKind(kind),
        at=at or _now(),
        grade=grade,
        score=score,
        run_id=run_id,
        actor=actor,
        reason=reason,
    )
    session.add(event)
    return event


def alert_events(session: Session, alert_id: str) -> list[AlertEvent]:
    """An alert's history, oldest first."""
    query = sa.select(AlertEvent).where(AlertEvent.alert_id == alert_id)
    return list(session.scalars(query.order_by(AlertEvent.at, AlertEvent.id)))


@dataclass(frozen=True, slots=True)
class Region:
    """Where a user sees routed rows, as data (built by ``services.visibility.region_of``).

    ``everything``: no restriction. Otherwise ``prefix`` is the division-code prefix of the
    territory (``None``: the user sees nothing) and ``sectors``, when given, the sector
    prefixes (rows without a sector are seen too).
    """

    everything: bool = False
    prefix: str | None = None
    sectors: tuple[str, ...] = ()


def _like_prefix(value: str) -> str:
    """``value`` escaped for ``LIKE value || '%' ESCAPE '/'`` (what ``autoescape`` does)."""
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _starts(column: Any, name: str) -> sa.ColumnElement[bool]:
    bound: sa.ColumnElement[bool] = column.startswith(
        sa.bindparam(name, type_=sa.String(), required=True), escape="/"
    )
    return bound


@dataclass(frozen=True, slots=True)
class _AlertQuery:
    """Which filters an alert-list query has (the values are bound at execution)."""

    region: str  # "everything", "nothing" or "territory"
    sectors: int
    acknowledged: bool | None
    statuses: bool
    grades: bool
    adcode: bool
    sector: bool
    scorecard: bool
    assignee: bool


@functools.lru_cache(maxsize=512)
def _alert_statements(shape: _AlertQuery) -> tuple[sa.Select[Alert, int], sa.Select[int]]:
    """The page (with a window count) and the count statements of one shape, built once.

    Building an expression costs more than SQLite running it on the demo's tables; every value
    is a required bind parameter, so a cached statement cannot carry another user's values.
    """
    conditions: list[sa.ColumnElement[bool]] = []
    if shape.region == "nothing":
        conditions.append(sa.false())
    elif shape.region == "territory":
        conditions.append(_starts(Alert.adcode, "region_prefix"))
        if shape.sectors:
            sectors = [_starts(Alert.sector, f"region_sector_{i}") for i in range(shape.sectors)]
            conditions.append(sa.or_(Alert.sector.is_(None), *sectors))
    if shape.acknowledged is not None:
        column = Alert.acknowledged_at
        conditions.append(column.is_not(None) if shape.acknowledged else column.is_(None))
    if shape.statuses:
        conditions.append(Alert.status.in_(sa.bindparam("statuses", expanding=True)))
    if shape.grades:
        conditions.append(Alert.grade.in_(sa.bindparam("grades", expanding=True)))
    if shape.adcode:
        conditions.append(_starts(Alert.adcode, "adcode_prefix"))
    if shape.sector:
        conditions.append(Alert.sector == sa.bindparam("sector", required=True))
    if shape.scorecard:
        conditions.append(Alert.scorecard_id == sa.bindparam("scorecard_id", required=True))
    if shape.assignee:
        conditions.append(Alert.assignee == sa.bindparam("assignee", required=True))
    page = (
        sa.select(Alert, sa.func.count().over())
        .where(*conditions)
        .order_by(Alert.updated_at.desc(), Alert.score.desc(), Alert.id)
        .limit(sa.bindparam("limit", type_=sa.Integer(), required=True))
        .offset(sa.bindparam("offset", type_=sa.Integer(), required=True))
    )
    count = sa.select(sa.func.count()).select_from(Alert).where(*conditions)
    return page, count


def list_alerts(
    session: Session,
    *,
    statuses: Sequence[AlertStatus | str] | None = None,
    grades: Sequence[str] | None = None,
    adcode_prefix: str | None = None,
    sector: str | None = None,
    scorecard_id: str | None = None,
    acknowledged: bool | None = None,
    region: Region | None = None,
    limit: int = 100,
    offset: int = 0,
    assignee: str | None = None,
) -> tuple[list[Alert], int]:
    """Alerts matching the filters, most recently updated first, and how many match.

    ``region`` restricts them to the rows a user may see (``None``: no restriction).
    """
    _page(limit, offset)
    region = region or Region(everything=True)
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if region.prefix is not None and not region.everything:
        params["region_prefix"] = _like_prefix(region.prefix)
        for i, prefix in enumerate(region.sectors):
            params[f"region_sector_{i}"] = _like_prefix(prefix)
    if statuses:
        params["statuses"] = [AlertStatus(s) for s in statuses]
    if grades:
        params["grades"] = list(grades)
    if adcode_prefix:
        params["adcode_prefix"] = _like_prefix(adcode_prefix)
    for key, value in (("sector", sector), ("scorecard_id", scorecard_id), ("assignee", assignee)):
        if value:
            params[key] = value
    page, count = _alert_statements(
        _AlertQuery(
            region="everything"
            if region.everything
            else ("nothing" if region.prefix is None else "territory"),
            sectors=0 if region.everything else len(region.sectors),
            acknowledged=acknowledged,
            statuses=bool(statuses),
            grades=bool(grades),
            adcode=bool(adcode_prefix),
            sector=bool(sector),
            scorecard=bool(scorecard_id),
            assignee=bool(assignee),
        )
    )
    # The page and the count in one statement (a window count); past the end, count alone.
    rows = session.execute(page, params).all()
    if rows:
        return [row[0] for row in rows], int(rows[0][1])
    del params["limit"], params["offset"]
    return [], int(session.execute(count, params).scalar_one())


# -- watch lists ----------------------------------------------------------------------------


def _active(on: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        WatchlistEntry.removed_at.is_(None),
        sa.or_(WatchlistEntry.expires_on.is_(None), WatchlistEntry.expires_on >= on),
    )


def add_watch(
    session: Session,
    *,
    list_id: str,
    subject_id: str,
    subject_table: str,
    subject_name: str | None,
    reason: str,
    added_by: str,
    expires_on: date | None = None,
    today: date | None = None,
) -> WatchlistEntry:
    """Put a subject on a list.

    Raises:
        InvalidInput: no reason, or an expiry in the past.
        Conflict: the subject is already on the list (an active entry exists).
    """
    day = today or _now().date()
    if not reason.strip():
        raise InvalidInput("a reason is required to put a subject on a watch list")
    if expires_on is not None and expires_on < day:
        raise InvalidInput(f"the expiry {expires_on} is in the past")
    current = session.scalars(
        sa.select(WatchlistEntry).where(
            WatchlistEntry.list_id == list_id,
            WatchlistEntry.subject_id == subject_id,
            _active(day),
        )
    ).first()
    if current is not None:
        raise Conflict(f"{subject_id} is already on {list_id} (entry {current.id})")
    entry = WatchlistEntry(
        list_id=list_id,
        subject_id=subject_id,
        subject_table=subject_table,
        subject_name=subject_name,
        reason=reason.strip(),
        added_by=added_by,
        added_at=_now(),
        expires_on=expires_on,
    )
    session.add(entry)
    session.flush()
    return entry


def remove_watch(
    session: Session, *, list_id: str, subject_id: str, removed_by: str, reason: str
) -> WatchlistEntry:
    """Take a subject off a list; the entry is kept with who removed it and why.

    Raises:
        InvalidInput: no reason.
        NotFound: the subject is not on the list.
    """
    if not reason.strip():
        raise InvalidInput("a reason is required to take a subject off a watch list")
    entry = session.scalars(
        sa.select(WatchlistEntry).where(
            WatchlistEntry.list_id == list_id,
            WatchlistEntry.subject_id == subject_id,
            WatchlistEntry.removed_at.is_(None),
        )
    ).first()
    if entry is None:
        raise NotFound(f"{subject_id} is not on {list_id}")
    entry.removed_at = _now()
    entry.removed_by = removed_by
    entry.removal_reason = reason.strip()
    session.flush()
    return entry


def list_watch(
    session: Session, *, list_id: str | None = None, on: date | None = None, history: bool = False
) -> list[WatchlistEntry]:
    """Entries of a list (all lists when ``None``): active ones on ``on``, or every entry."""
    conditions: list[sa.ColumnElement[bool]] = []
    if list_id is not None:
        conditions.append(WatchlistEntry.list_id == list_id)
    if not history:
        conditions.append(_active(on or _now().date()))
    query = sa.select(WatchlistEntry).where(*conditions)
    return list(session.scalars(query.order_by(WatchlistEntry.list_id, WatchlistEntry.added_at)))


def watch_entries_for(
    session: Session, subject_id: str, *, on: date | None = None
) -> list[WatchlistEntry]:
    """The active entries of one subject on every list."""
    params = {"subject_id": subject_id, "on": on or _now().date()}
    return list(session.scalars(_WATCH_ENTRIES, params))


__all__ = [
    "Region",
    "add_alert_event",
    "add_watch",
    "alert_events",
    "alerts_by_subject",
    "get_alert",
    "grade_counts",
    "latest_as_of",
    "list_alerts",
    "list_scores",
    "list_watch",
    "publish_scorecard_version",
    "remove_watch",
    "replace_scores",
    "score_history",
    "scores_for_evaluation",
    "watch_entries_for",
]
