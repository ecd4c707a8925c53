"""Store tables of the multi-agency workflow: agencies, users, tokens, cases, evidence, audit.

Same conventions as :mod:`smokewatch.store.orm` (portable types, UTC timestamps, named
constraints). The case history (``case_event``) and the audit log (``audit_entry``) are
append-only: the service layer only ever inserts into them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smokewatch.store.orm import Base, UTCDateTime


def _serial() -> Any:
    return mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)


class Agency(Base):
    """An agency of the joint mechanism, bound to a division and (for regulators) sectors."""

    __tablename__ = "agency"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text())
    kind: Mapped[str] = mapped_column(sa.String(32))
    """A term of the ``agency_kind`` vocabulary."""
    adcode: Mapped[str] = mapped_column(sa.String(12))
    sectors: Mapped[list[str]] = mapped_column(sa.JSON())
    active: Mapped[bool] = mapped_column(sa.Boolean())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class User(Base):
    """A person who signs in; roles decide what they may do, the agency where."""

    __tablename__ = "app_user"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    """The login name."""
    display_name: Mapped[str] = mapped_column(sa.Text())
    agency_id: Mapped[str | None] = mapped_column(sa.ForeignKey("agency.id"))
    roles: Mapped[list[str]] = mapped_column(sa.JSON())
    password_hash: Mapped[str] = mapped_column(sa.Text())
    """argon2id hash; never the password."""
    failed_logins: Mapped[int] = mapped_column(sa.Integer())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(sa.Boolean())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A bearer token or session of a user; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    __table_args__ = (sa.Index(None, "user_id"),)

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    """The token's public prefix (shown in listings, never enough to use it)."""
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("app_user.id"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.Text())
    kind: Mapped[str] = mapped_column(sa.String(16))
    """``api`` (long-lived, named) or ``session`` (from a sign-in)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Case(Base):
    """A case (线索/案件) about one entity, owned by a jurisdiction."""

    __tablename__ = "case_record"
    __table_args__ = (
        sa.Index(None, "jurisdiction", "status"),
        sa.Index(None, "subject_id"),
        sa.Index(None, "referred_to"),
    )

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    """``C-<jurisdiction>-<year>-<number>``, e.g. ``C-340202-2026-0001``."""
    title: Mapped[str] = mapped_column(sa.Text())
    subject_id: Mapped[str | None] = mapped_column(sa.String(128))
    subject_table: Mapped[str | None] = mapped_column(sa.String(64))
    subject_name: Mapped[str | None] = mapped_column(sa.Text())
    status: Mapped[str] = mapped_column(sa.String(16))
    jurisdiction: Mapped[str] = mapped_column(sa.String(12))
    opened_in: Mapped[str] = mapped_column(sa.String(12))
    """The jurisdiction the case was opened in (before any escalation)."""
    lead_adcode: Mapped[str | None] = mapped_column(sa.String(12))
    escalated: Mapped[bool] = mapped_column(sa.Boolean())
    sector: Mapped[str | None] = mapped_column(sa.String(64))
    assignee: Mapped[str | None] = mapped_column(sa.String(64))
    referred_to: Mapped[str | None] = mapped_column(sa.String(64))
    referral_receipt: Mapped[str | None] = mapped_column(sa.Text())
    referral_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    determination: Mapped[str | None] = mapped_column(sa.String(64))
    measures: Mapped[list[str]] = mapped_column(sa.JSON())
    resolution: Mapped[str | None] = mapped_column(sa.String(64))
    merged_into: Mapped[str | None] = mapped_column(sa.String(64))
    amount_involved: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 2))
    """The amount involved (涉案金额) in yuan, as last recorded on the case (``None``: unknown)."""
    reported_by: Mapped[str | None] = mapped_column(sa.String(64))
    """The reporting institution's agency id, for cases opened from a bank report."""
    opened_by: Mapped[str] = mapped_column(sa.String(128))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status_since: Mapped[datetime] = mapped_column(UTCDateTime())
    due_on: Mapped[date | None] = mapped_column(sa.Date())
    """Deadline of the current stage (``None`` once finished)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(sa.Integer())
    """Incremented on every change (optimistic concurrency for the API)."""


class CaseEvent(Base):
    """One step of a case's history (append-only)."""

    __tablename__ = "case_event"
    __table_args__ = (sa.UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = _serial()
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("case_record.id"))
    seq: Mapped[int] = mapped_column(sa.Integer())
    action: Mapped[str] = mapped_column(sa.String(32))
    actor: Mapped[str] = mapped_column(sa.String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON())


class CaseLink(Base):
    """Evidence attached to a case: an alert, finding, score, tip, report, entity or file."""

    __tablename__ = "case_link"
    __table_args__ = (sa.UniqueConstraint("case_id", "kind", "ref_id"),)

    id: Mapped[int] = _serial()
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("case_record.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    ref_id: Mapped[str] = mapped_column(sa.String(128))
    note: Mapped[str | None] = mapped_column(sa.Text())
    added_by: Mapped[str] = mapped_column(sa.String(128))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EvidenceFile(Base):
    """A file kept by content hash (stored on disk, never executed or rendered inline)."""

    __tablename__ = "evidence_file"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger())
    media_type: Mapped[str] = mapped_column(sa.String(128))
    original_name: Mapped[str] = mapped_column(sa.Text())
    stored_by: Mapped[str] = mapped_column(sa.String(128))
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """One entry of the hash-chained audit log (append-only; see smokewatch.cases.audit)."""

    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index(None, "object_type", "object_id"),)

    seq: Mapped[int] = mapped_column(sa.BigInteger(), primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(sa.String(128))
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[str] = mapped_column(sa.String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


__all__ = [
    "Agency",
    "ApiToken",
    "AuditEntry",
    "Case",
    "CaseEvent",
    "CaseLink",
    "EvidenceFile",
    "User",
]
