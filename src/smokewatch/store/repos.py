"""Repository functions: small queries and writes over a :class:`~sqlalchemy.orm.Session`.

They never commit: the service function that opened the unit of work decides. Bulk writes
(:func:`add_rejects`, :func:`replace_findings`) stream their rows (``executemany`` in chunks on
SQLite, ``COPY`` on PostgreSQL), so a generator of a million rows never sits in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Final, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.errors import Conflict, InvalidInput, NotFound
from smokewatch.store import _bulk
from smokewatch.store.orm import Base, Finding, IngestReject, RuleVersion, Run, RunKind, RunStatus

_E = TypeVar("_E", RunKind, RunStatus)

MAX_PAGE: Final = 10_000
"""Largest ``limit`` a listing accepts."""

_REJECT_KEYS: Final = ("source_id", "row_number", "reason")
_FINDING_KEYS: Final = (
    "id",
    "subject_id",
    "subject_table",
    "rule_id",
    "rule_version",
    "severity",
    "band",
    "reason_zh",
    "reason_en",
    "metrics",
    "evidence",
    "as_of",
    "shadow",
    "engine",
)
_FINDING_OPTIONAL: Final = ("subject_name", "adcode", "sector")
"""Finding columns a row may leave out: the name for listings, the routing (属地, 行业)."""
_FINDING_COLUMNS: Final = (*_FINDING_KEYS, *_FINDING_OPTIONAL, "run_id", "created_at")
_REJECT_COLUMNS: Final = ("run_id", "source_id", "row_number", "reason", "column", "raw")


def _now() -> datetime:
    return datetime.now(UTC)


def _table(model: type[Base]) -> sa.Table:
    return cast("sa.Table", model.__table__)


def _check_page(limit: int, offset: int) -> None:
    if not 0 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 0 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise InvalidInput(f"offset must not be negative, got {offset}")


def _missing(row: Mapping[str, Any], keys: tuple[str, ...], what: str, index: int) -> None:
    absent = [key for key in keys if key not in row]
    if absent:
        raise InvalidInput(f"{what} #{index}: missing {', '.join(absent)}")


# -- runs -----------------------------------------------------------------------------------


def add_run(
    session: Session,
    *,
    run_id: str,
    kind: RunKind | str,
    started_at: datetime | None = None,
    engine: str | None = None,
    source_id: str | None = None,
    subject: str | None = None,
    inputs: Mapping[str, Any] | None = None,
    actor: str | None = None,
) -> Run:
    """Record a new run in status ``running``.

    Raises:
        InvalidInput: ``kind`` is not a :class:`RunKind`.
        Conflict: (at commit or flush) a run with this id exists.
    """
    run = Run(
        id=run_id,
        kind=_as(RunKind, kind, "run kind"),
        status=RunStatus.RUNNING,
        started_at=started_at or _now(),
        engine=engine,
        source_id=source_id,
        subject=subject,
        inputs=dict(inputs or {}),
        stats={},
        actor=actor,
    )
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    run_id: str,
    *,
    status: RunStatus | str,
    stats: Mapping[str, Any] | None = None,
    error: str | None = None,
    finished_at: datetime | None = None,
) -> Run:
    """Close a running run with its final status, statistics and error.

    Raises:
        NotFound: No run has this id.
        InvalidInput: ``status`` is ``running`` or not a :class:`RunStatus`.
        Conflict: The run has already finished.
    """
    final = _as(RunStatus, status, "run status")
    if final is RunStatus.RUNNING:
        raise InvalidInput("a run cannot finish in status 'running'")
    run = get_run_or_raise(session, run_id)
    if run.status is not RunStatus.RUNNING:
        raise Conflict(f"run {run_id} already finished ({run.status})")
    run.status = final
    run.finished_at = finished_at or _now()
    run.stats = dict(stats or {})
    run.error = error
    session.flush()
    return run


def get_run_or_raise(session: Session, run_id: str) -> Run:
    """The run with this id.

    Raises:
        NotFound: No run has this id.
    """
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"no run {run_id!r}")
    return run


def list_runs(session: Session, *, kind: RunKind | str | None = None, limit: int = 50) -> list[Run]:
    """The latest runs first, optionally of one kind."""
    _check_page(limit, 0)
    query = sa.select(Run).order_by(Run.started_at.desc(), Run.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(Run.kind == _as(RunKind, kind, "run kind"))
    return list(session.scalars(query))


# -- rejects --------------------------------------------------------------------------------


def add_rejects(session: Session, run_id: str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Store the rows a run rejected; returns how many were stored.

    Each row has ``source_id``, ``row_number`` and ``reason``, and optionally ``column`` and
    ``raw`` (the row as read, a JSON object). ``rows`` may be a generator of any length.

    Raises:
        InvalidInput: A row lacks a required key.
        Conflict: (here or at commit) the run does not exist.
    """

    def prepared() -> Iterator[dict[str, Any]]:
        for index, row in enumerate(rows):
            _missing(row, _REJECT_KEYS, "reject", index)
            yield {
                "run_id": run_id,
                "source_id": row["source_id"],
                "row_number": row["row_number"],
                "reason": row["reason"],
                "column": row.get("column"),
                "raw": row.get("raw"),
            }

    return _bulk.insert(session, _table(IngestReject), _REJECT_COLUMNS, prepared())


def list_rejects(
    session: Session, run_id: str, *, limit: int = 100, offset: int = 0
) -> list[IngestReject]:
    """A page of a run's rejects in source-row order."""
    _check_page(limit, offset)
    query = (
        sa.select(IngestReject)
        .where(IngestReject.run_id == run_id)
        .order_by(IngestReject.row_number, IngestReject.id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def count_rejects(session: Session, run_id: str) -> int:
    """How many rejects a run stored."""
    query = sa.select(sa.func.count()).where(IngestReject.run_id == run_id)
    return int(session.execute(query).scalar_one())


# -- findings -------------------------------------------------------------------------------


def replace_findings(session: Session, run_id: str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Store findings of a detect run, replacing stored findings that have the same ids.

    Rows follow the Finding contract (``model/tables/finding.yml``); ``subject_name`` and
    the routing (``adcode``, ``sector``) are optional and ``run_id``, when present, must
    equal ``run_id``. A finding produced again
    (same deterministic id) is updated in place and moves to this run, keeping the time it
    was first stored, so writing the same rows twice changes nothing. Findings that this call
    does not mention are left alone. Returns the number of rows written.

    Raises:
        InvalidInput: A row lacks a contract column or belongs to another run.
        Conflict: (here or at commit) the run does not exist.
    """
    created_at = _now()

    def prepared() -> Iterator[dict[str, Any]]:
        for index, row in enumerate(rows):
            _missing(row, _FINDING_KEYS, "finding", index)
            if row.get("run_id", run_id) != run_id:
                raise InvalidInput(f"finding #{index} belongs to run {row['run_id']!r}")
            values = {key: row[key] for key in _FINDING_KEYS}
            for key in _FINDING_OPTIONAL:
                values[key] = row.get(key)
            values["run_id"] = run_id
            values["created_at"] = created_at
            yield values

    return _bulk.upsert(
        session,
        _table(Finding),
        _FINDING_COLUMNS,
        prepared(),
        key="id",
        keep=("created_at",),
    )


def list_findings(
    session: Session,
    *,
    rule_id: str | None = None,
    subject_id: str | None = None,
    band: str | None = None,
    severity: str | None = None,
    run_id: str | None = None,
    include_shadow: bool = False,
    where: sa.ColumnElement[bool] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Finding], int]:
    """A page of findings matching every given filter, and the total number that match.

    Shadow findings (rules in testing) are left out unless ``include_shadow``; ``where`` is
    one more condition (the caller's visibility). The order is stable for paging: newest
    evaluation date first, then rule, subject and id.
    """
    _check_page(limit, offset)
    conditions: list[sa.ColumnElement[bool]] = [] if where is None else [where]
    for column, value in (
        (Finding.rule_id, rule_id),
        (Finding.subject_id, subject_id),
        (Finding.band, band),
        (Finding.severity, severity),
        (Finding.run_id, run_id),
    ):
        if value is not None:
            conditions.append(column == value)
    if not include_shadow:
        conditions.append(Finding.shadow.is_(False))
    total = session.execute(
        sa.select(sa.func.count()).select_from(Finding).where(*conditions)
    ).scalar_one()
    page = session.scalars(
        sa.select(Finding)
        .where(*conditions)
        .order_by(
            Finding.as_of.desc(),
            Finding.rule_id,
            Finding.rule_version,
            Finding.subject_id,
            Finding.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return list(page), int(total)


# -- rule registry --------------------------------------------------------------------------


def get_rule_version(session: Session, rule_id: str, version: int) -> RuleVersion | None:
    """The published version of a rule, or ``None`` when it was never published."""
    return session.get(RuleVersion, (rule_id, version))


def publish_rule_version(
    session: Session,
    *,
    rule_id: str,
    version: int,
    content_hash: str,
    status: str,
    title: str,
    published_at: datetime | None = None,
) -> RuleVersion:
    """Record that ``rule_id@version`` with this content is published.

    Publishing the same content again is a no-op that returns the stored record unchanged.

    Raises:
        Conflict: This version was already published with different content; changing the
            logic needs a new version.
    """
    existing = get_rule_version(session, rule_id, version)
    if existing is not None:
        if existing.content_hash != content_hash:
            raise Conflict(
                f"{rule_id}@{version} is already published with content "
                f"{existing.content_hash[:12]}; bump the version to change it"
            )
        return existing
    record = RuleVersion(
        rule_id=rule_id,
        version=version,
        content_hash=content_hash,
        status=status,
        title=title,
        first_published_at=published_at or _now(),
    )
    session.add(record)
    session.flush()
    return record


def _as(enum: type[_E], value: _E | str, what: str) -> _E:
    try:
        return enum(value)
    except ValueError as error:
        allowed = ", ".join(member.value for member in enum)
        raise InvalidInput(f"unknown {what} {value!r} (one of: {allowed})") from error


__all__ = [
    "MAX_PAGE",
    "add_rejects",
    "add_run",
    "count_rejects",
    "finish_run",
    "get_rule_version",
    "get_run_or_raise",
    "list_findings",
    "list_rejects",
    "list_runs",
    "publish_rule_version",
    "replace_findings",
]
