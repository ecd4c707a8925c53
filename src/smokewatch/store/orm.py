"""Typed ORM of the operational store: runs, rejects, findings, registries, scores, alerts, lists.

Only portable column types are used (``sa.JSON``, never ``JSONB``), so the same schema runs on
SQLite and PostgreSQL. Timestamps are stored as UTC and always come back timezone-aware in
UTC on both backends (:class:`UTCDateTime`). Constraint and index names follow
:data:`NAMING_CONVENTION`, so migrations can refer to them by name on every backend.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from smokewatch.errors import InvalidInput

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Deterministic names for every constraint and index (Alembic needs names to alter them)."""


class RunKind(StrEnum):
    """What a run did."""

    INGEST = "ingest"
    DETECT = "detect"
    SCORE = "score"
    DEMO = "demo"
    RESOLVE = "resolve"
    GRAPH = "graph"
    PATROL = "patrol"
    """An online patrol: crawl, evidence, changes and the pages' document load."""


class RunStatus(StrEnum):
    """Where a run is in its life: ``running`` until it finishes one of the other ways."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    UNCHANGED = "unchanged"
    """The inputs were identical to the last successful run, so nothing was written."""


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware timestamp stored as UTC on every backend.

    SQLite has no timezone type, so the value is stored as naive UTC there and the timezone
    is re-attached when read; PostgreSQL stores ``timestamptz`` and the value is converted to
    UTC when read, whatever the session's ``TimeZone``. Naive datetimes are refused: their
    meaning depends on the machine that made them.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Check the value is aware and convert it to UTC (naive UTC on SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(f"timestamps must be timezone-aware, got naive {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored value as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _enum(enum: type[StrEnum]) -> sa.Enum:
    # Stored as the lowercase values in a VARCHAR (no native PostgreSQL ENUM type, which would
    # need its own migrations); the allowed values are enforced by an explicit CHECK below.
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def _one_of(column: str, enum: type[StrEnum]) -> sa.CheckConstraint:
    values = ", ".join(f"'{m.value}'" for m in enum)
    return sa.CheckConstraint(f"{column} IN ({values})", name=column)


def _json() -> sa.JSON:
    return sa.JSON()


def _nullable_json() -> sa.JSON:
    # Python None becomes SQL NULL, not the JSON literal 'null'.
    return sa.JSON(none_as_null=True)


class Base(DeclarativeBase):
    """Declarative base of every table of the operational store."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class Run(Base):
    """One ingest, detect, score or demo run, with what it read and what it did."""

    __tablename__ = "run"
    __table_args__ = (
        _one_of("kind", RunKind),
        _one_of("status", RunStatus),
        sa.Index(None, "kind", "started_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    """Run id made by the service layer, e.g. ``ing-20261121-093012-3f9a``."""
    kind: Mapped[RunKind] = mapped_column(_enum(RunKind))
    status: Mapped[RunStatus] = mapped_column(_enum(RunStatus))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    engine: Mapped[str | None] = mapped_column(sa.String(64))
    """Engine name and version, e.g. ``duckdb 1.4.4``."""
    source_id: Mapped[str | None] = mapped_column(sa.String(64))
    subject: Mapped[str | None] = mapped_column(sa.Text())
    """Free text saying what the run was about (a file name, a rule pack)."""
    inputs: Mapped[dict[str, Any]] = mapped_column(_json())
    """File path, content sha256, rule ids@versions with content hashes, settings digest..."""
    stats: Mapped[dict[str, Any]] = mapped_column(_json())
    """Read / loaded / rejected counts, per-rule counts..."""
    error: Mapped[str | None] = mapped_column(sa.Text())
    actor: Mapped[str | None] = mapped_column(sa.String(128))


class IngestReject(Base):
    """One source row an ingest run refused, with the reason and the row as read."""

    __tablename__ = "ingest_reject"
    __table_args__ = (sa.Index(None, "run_id", "row_number"),)

    # BIGINT on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is an auto-incrementing rowid.
    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    run_id: Mapped[str] = mapped_column(sa.ForeignKey("run.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(sa.String(64))
    row_number: Mapped[int] = mapped_column(sa.Integer())
    """1-based number of the row in the source file (header rows count)."""
    reason: Mapped[str] = mapped_column(sa.Text())
    column: Mapped[str | None] = mapped_column(sa.String(128))
    raw: Mapped[dict[str, Any] | None] = mapped_column(_nullable_json())


class Finding(Base):
    """One rule hit on one subject: the Finding contract (``model/tables/finding.yml``)."""

    __tablename__ = "finding"
    __table_args__ = (
        sa.Index(None, "rule_id", "rule_version"),
        sa.Index(None, "subject_id"),
        sa.Index(None, "run_id"),
        sa.Index(None, "adcode"),
    )

    id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    """Deterministic id: hash of rule id, version, subject and as-of date."""
    run_id: Mapped[str] = mapped_column(sa.ForeignKey("run.id"))
    """The last detect run that produced this finding."""
    subject_id: Mapped[str] = mapped_column(sa.String(128))
    subject_table: Mapped[str] = mapped_column(sa.String(64))
    subject_name: Mapped[str | None] = mapped_column(sa.Text())
    """Denormalised for listings; the subject's table is the truth."""
    rule_id: Mapped[str] = mapped_column(sa.String(64))
    rule_version: Mapped[int] = mapped_column(sa.Integer())
    severity: Mapped[str] = mapped_column(sa.String(16))
    band: Mapped[str] = mapped_column(sa.String(64))
    reason_zh: Mapped[str] = mapped_column(sa.Text())
    reason_en: Mapped[str] = mapped_column(sa.Text())
    metrics: Mapped[dict[str, Any]] = mapped_column(_json())
    evidence: Mapped[list[Any]] = mapped_column(_json())
    as_of: Mapped[date] = mapped_column(sa.Date())
    shadow: Mapped[bool] = mapped_column(sa.Boolean())
    engine: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    """When this finding was first stored; kept when later runs produce it again."""
    adcode: Mapped[str | None] = mapped_column(sa.String(12))
    """Routing: the division code of the subject when the finding was stored (属地)."""
    sector: Mapped[str | None] = mapped_column(sa.String(64))
    """Routing: the subject's industry code or sector (行业), if its table has one."""


class RuleVersion(Base):
    """A published rule version: the registry that keeps published logic immutable."""

    __tablename__ = "rule_version"

    rule_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    version: Mapped[int] = mapped_column(sa.Integer(), primary_key=True)
    content_hash: Mapped[str] = mapped_column(sa.String(128))
    status: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.Text())
    first_published_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ScorecardVersion(Base):
    """A published scorecard version: like rules, published content is immutable."""

    __tablename__ = "scorecard_version"

    scorecard_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    version: Mapped[int] = mapped_column(sa.Integer(), primary_key=True)
    content_hash: Mapped[str] = mapped_column(sa.String(128))
    status: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.Text())
    first_published_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Score(Base):
    """The smoke index of one subject by one scorecard version on one evaluation date."""

    __tablename__ = "score"
    __table_args__ = (
        sa.Index(None, "subject_id", "scorecard_id"),
        sa.Index(None, "scorecard_id", "as_of", "grade"),
        sa.Index(None, "run_id"),
    )

    id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    """Deterministic: hash of scorecard id, version, subject and as-of date (re-runs replace)."""
    run_id: Mapped[str] = mapped_column(sa.ForeignKey("run.id"))
    subject_id: Mapped[str] = mapped_column(sa.String(128))
    subject_table: Mapped[str] = mapped_column(sa.String(64))
    subject_name: Mapped[str | None] = mapped_column(sa.Text())
    scorecard_id: Mapped[str] = mapped_column(sa.String(64))
    scorecard_version: Mapped[int] = mapped_column(sa.Integer())
    as_of: Mapped[date] = mapped_column(sa.Date())
    score: Mapped[float] = mapped_column(sa.Float())
    """The smoke index, 0–100 (two decimals)."""
    grade: Mapped[str] = mapped_column(sa.String(32))
    dimensions: Mapped[dict[str, Any]] = mapped_column(_json())
    """Sub-score of every dimension of the scorecard."""
    contributions: Mapped[list[Any]] = mapped_column(_json())
    """Every line of the explanation; they add up to ``score``."""
    shadow: Mapped[bool] = mapped_column(sa.Boolean())
    """True when the scorecard version is in testing: no alert is raised from it."""
    adcode: Mapped[str | None] = mapped_column(sa.String(12))
    """The subject's division code: where an alert is routed."""
    sector: Mapped[str | None] = mapped_column(sa.String(64))
    """The subject's industry or licence kind: which member agency an alert concerns."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AlertStatus(StrEnum):
    """Where an alert is: open until closed; snoozed until its expiry."""

    OPEN = "open"
    SNOOZED = "snoozed"
    CLOSED = "closed"


class AlertEventKind(StrEnum):
    """What happened to an alert (its history)."""

    RAISED = "raised"
    ROSE = "rose"
    """The subject rose to a higher grade."""
    FELL = "fell"
    """The subject fell to a lower grade (recorded, never notified)."""
    SNOOZED = "snoozed"
    WOKE = "woke"
    """A snooze ended: expired, or lifted by hand."""
    CLOSED = "closed"
    REOPENED = "reopened"
    ACKNOWLEDGED = "acknowledged"
    """Someone took note of the alert at its current grade (a rise clears it)."""
    ASSIGNED = "assigned"
    """The alert was given to a person to triage (or taken back: assignee cleared)."""


class Alert(Base):
    """One alert per subject and scorecard (the dedupe key), with its current grade."""

    __tablename__ = "alert"
    __table_args__ = (
        _one_of("status", AlertStatus),
        sa.UniqueConstraint("subject_table", "subject_id", "scorecard_id"),
        sa.Index(None, "status", "grade"),
        sa.Index(None, "adcode"),
        sa.Index(None, "assignee"),
    )

    id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    """Deterministic: hash of subject table, subject id and scorecard id."""
    subject_id: Mapped[str] = mapped_column(sa.String(128))
    subject_table: Mapped[str] = mapped_column(sa.String(64))
    subject_name: Mapped[str | None] = mapped_column(sa.Text())
    scorecard_id: Mapped[str] = mapped_column(sa.String(64))
    scorecard_version: Mapped[int] = mapped_column(sa.Integer())
    grade: Mapped[str] = mapped_column(sa.String(32))
    """The highest grade reached since the alert was raised or reopened."""
    last_grade: Mapped[str] = mapped_column(sa.String(32))
    """The grade of the latest score run (``none`` when it no longer scores)."""
    score: Mapped[float] = mapped_column(sa.Float())
    """The index of the latest score run that reached the subject."""
    as_of: Mapped[date] = mapped_column(sa.Date())
    status: Mapped[AlertStatus] = mapped_column(_enum(AlertStatus))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    raised_run_id: Mapped[str] = mapped_column(sa.ForeignKey("run.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_run_id: Mapped[str] = mapped_column(sa.ForeignKey("run.id"))
    snoozed_until: Mapped[date | None] = mapped_column(sa.Date())
    snooze_reason: Mapped[str | None] = mapped_column(sa.Text())
    adcode: Mapped[str | None] = mapped_column(sa.String(12))
    sector: Mapped[str | None] = mapped_column(sa.String(64))
    reason_zh: Mapped[str] = mapped_column(sa.Text())
    """The strongest contributions when the alert last rose, for listings."""
    reason_en: Mapped[str] = mapped_column(sa.Text())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When someone took note of the alert at its current grade (cleared when it rises)."""
    acknowledged_by: Mapped[str | None] = mapped_column(sa.String(128))
    assignee: Mapped[str | None] = mapped_column(sa.String(128))
    """The user who triages the alert (``None``: the territory's inbox)."""
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AlertEvent(Base):
    """One step in an alert's history: raised, rose, fell, snoozed, woke, closed, reopened."""

    __tablename__ = "alert_event"
    __table_args__ = (
        _one_of("kind", AlertEventKind),
        sa.Index(None, "alert_id", "at"),
    )

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    alert_id: Mapped[str] = mapped_column(sa.ForeignKey("alert.id", ondelete="CASCADE"))
    kind: Mapped[AlertEventKind] = mapped_column(_enum(AlertEventKind))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    grade: Mapped[str | None] = mapped_column(sa.String(32))
    score: Mapped[float | None] = mapped_column(sa.Float())
    run_id: Mapped[str | None] = mapped_column(sa.ForeignKey("run.id"))
    actor: Mapped[str | None] = mapped_column(sa.String(128))
    reason: Mapped[str | None] = mapped_column(sa.Text())


class WatchlistEntry(Base):
    """A subject put on a watch list by hand, with the reason, who and until when."""

    __tablename__ = "watchlist_entry"
    __table_args__ = (sa.Index(None, "list_id", "subject_id"),)

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    list_id: Mapped[str] = mapped_column(sa.String(64))
    """``key_focus`` (重点关注名单) or a list the workspace names."""
    subject_id: Mapped[str] = mapped_column(sa.String(128))
    subject_table: Mapped[str] = mapped_column(sa.String(64))
    subject_name: Mapped[str | None] = mapped_column(sa.Text())
    reason: Mapped[str] = mapped_column(sa.Text())
    added_by: Mapped[str] = mapped_column(sa.String(128))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_on: Mapped[date | None] = mapped_column(sa.Date())
    """The entry lapses after this day (``None``: until removed)."""
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_by: Mapped[str | None] = mapped_column(sa.String(128))
    removal_reason: Mapped[str | None] = mapped_column(sa.Text())


__all__ = [
    "NAMING_CONVENTION",
    "Alert",
    "AlertEvent",
    "AlertEventKind",
    "AlertStatus",
    "Base",
    "Finding",
    "IngestReject",
    "RuleVersion",
    "Run",
    "RunKind",
    "RunStatus",
    "Score",
    "ScorecardVersion",
    "UTCDateTime",
    "WatchlistEntry",
]
