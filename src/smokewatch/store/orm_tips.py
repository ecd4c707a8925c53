"""Store tables of the public tip portal: tips, their files and history, rewards, warnings.

A tip (举报线索) arrives anonymously from the portal; the reporter keeps only a tracking code,
of which the store keeps the SHA-256 (``tracking_hash``) — never the code. Files are kept by
content hash under ``<workspace>/tips/<sha[:2]>/<sha256>`` and listed in ``tip_attachment``;
``tip_event`` is the tip's append-only history (events marked ``public`` are what the reporter
sees on the tracking page). Reward schemes are per province; a reward decision is recorded
once per tip, with approver and reason, and its payment status moves on. Public risk warnings
(风险提示) are written and approved inside, and published on the portal.
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


class Tip(Base):
    """One report from the public, as submitted, with what processing found and decided."""

    __tablename__ = "tip"
    __table_args__ = (
        sa.Index(None, "status", "adcode"),
        sa.Index(None, "agency_id", "status"),
        sa.Index(None, "target_key"),
        sa.Index(None, "entity_id"),
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    """``TIP-`` + 12 random hex characters (internal; never enough to read the tip publicly)."""
    tracking_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    """SHA-256 of the tracking code the reporter holds."""
    status: Mapped[str] = mapped_column(sa.String(16))
    """received, triaged, converted, duplicate, spam, dismissed or closed."""
    target_name: Mapped[str] = mapped_column(sa.Text())
    target_url: Mapped[str | None] = mapped_column(sa.Text())
    target_wechat: Mapped[str | None] = mapped_column(sa.String(64))
    target_phone: Mapped[str | None] = mapped_column(sa.String(32))
    target_address: Mapped[str | None] = mapped_column(sa.Text())
    target_key: Mapped[str] = mapped_column(sa.String(64))
    """Hash of the target read as an organisation name (same target → same key; dedupe)."""
    description: Mapped[str] = mapped_column(sa.Text())
    amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(20, 2))
    """Yuan the reporter says are involved."""
    happened_on: Mapped[date | None] = mapped_column(sa.Date())
    learnt_via: Mapped[str] = mapped_column(sa.String(16))
    contact: Mapped[str | None] = mapped_column(sa.Text())
    """Optional contact (PII: shown to PII roles only); ``None`` for anonymous tips."""
    locale: Mapped[str] = mapped_column(sa.String(8))
    adcode: Mapped[str | None] = mapped_column(sa.String(12))
    """County (or wider division) in charge, from the address or the entity's registration."""
    agency_id: Mapped[str | None] = mapped_column(sa.String(64))
    """Lead department the tip was routed to (``None``: no agency covers the place)."""
    routed_by: Mapped[str] = mapped_column(sa.String(16))
    """``address``, ``entity`` or ``default`` (the workspace's own division)."""
    entity_id: Mapped[str | None] = mapped_column(sa.String(128))
    entity_name: Mapped[str | None] = mapped_column(sa.Text())
    duplicate_of: Mapped[str | None] = mapped_column(sa.String(32))
    spam_reasons: Mapped[list[str]] = mapped_column(sa.JSON())
    risk_score: Mapped[float] = mapped_column(sa.Float())
    analysis: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    """The text module's record of the description (signals, returns, mentions, explanation)."""
    case_id: Mapped[str | None] = mapped_column(sa.String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TipAttachment(Base):
    """An evidence file of a tip (stored by hash, never rendered inline)."""

    __tablename__ = "tip_attachment"
    __table_args__ = (sa.UniqueConstraint("tip_id", "sha256"),)

    id: Mapped[int] = _serial()
    tip_id: Mapped[str] = mapped_column(sa.ForeignKey("tip.id"))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger())
    media_type: Mapped[str] = mapped_column(sa.String(64))
    original_name: Mapped[str] = mapped_column(sa.Text())
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TipEvent(Base):
    """One step of a tip's history (append-only); ``public`` steps are shown to the reporter."""

    __tablename__ = "tip_event"
    __table_args__ = (sa.UniqueConstraint("tip_id", "seq"),)

    id: Mapped[int] = _serial()
    tip_id: Mapped[str] = mapped_column(sa.ForeignKey("tip.id"))
    seq: Mapped[int] = mapped_column(sa.Integer())
    action: Mapped[str] = mapped_column(sa.String(32))
    actor: Mapped[str] = mapped_column(sa.String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    public: Mapped[bool] = mapped_column(sa.Boolean())
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON())


class RewardScheme(Base):
    """A province's reward rule: a share of the illegal amount established, floor and cap."""

    __tablename__ = "reward_scheme"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text())
    province: Mapped[str] = mapped_column(sa.String(12))
    """Province adcode (``340000``) the scheme applies in."""
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(8, 6))
    """Share of the established illegal amount (0.01 = 1%)."""
    floor: Mapped[Decimal] = mapped_column(sa.Numeric(20, 2))
    cap: Mapped[Decimal] = mapped_column(sa.Numeric(20, 2))
    valid_from: Mapped[date] = mapped_column(sa.Date())
    valid_to: Mapped[date | None] = mapped_column(sa.Date())
    created_by: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RewardDecision(Base):
    """The reward decided for a tip whose case closed with illegal activity confirmed."""

    __tablename__ = "reward_decision"

    tip_id: Mapped[str] = mapped_column(sa.ForeignKey("tip.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(sa.String(64))
    scheme_id: Mapped[str] = mapped_column(sa.ForeignKey("reward_scheme.id"))
    illegal_amount: Mapped[Decimal] = mapped_column(sa.Numeric(20, 2))
    computed: Mapped[Decimal] = mapped_column(sa.Numeric(20, 2))
    """What the scheme gives (share, then floor and cap)."""
    awarded: Mapped[Decimal] = mapped_column(sa.Numeric(20, 2))
    """What the approver decided (equal to ``computed`` unless the reason says why not)."""
    explanation: Mapped[list[Any]] = mapped_column(sa.JSON())
    approver: Mapped[str] = mapped_column(sa.String(128))
    reason: Mapped[str] = mapped_column(sa.Text())
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payment_status: Mapped[str] = mapped_column(sa.String(16))
    """``pending``, ``paid``, ``unclaimed`` or ``withheld``."""
    payment_ref: Mapped[str | None] = mapped_column(sa.Text())
    payment_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PublicWarning(Base):
    """A public risk warning (风险提示): drafted and approved inside, published on the portal."""

    __tablename__ = "public_warning"
    __table_args__ = (sa.Index(None, "status", "published_on"),)

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    """``W-`` + date + number, e.g. ``W-20261121-001``."""
    title: Mapped[str] = mapped_column(sa.Text())
    body: Mapped[str] = mapped_column(sa.Text())
    about: Mapped[str | None] = mapped_column(sa.Text())
    """The company or platform warned about (``None`` for a warning about a typology)."""
    typology: Mapped[str | None] = mapped_column(sa.String(64))
    issuing_agency: Mapped[str] = mapped_column(sa.Text())
    adcode: Mapped[str] = mapped_column(sa.String(12))
    status: Mapped[str] = mapped_column(sa.String(16))
    """``draft``, ``published`` or ``withdrawn``."""
    published_on: Mapped[date | None] = mapped_column(sa.Date())
    created_by: Mapped[str] = mapped_column(sa.String(128))
    approved_by: Mapped[str | None] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = [
    "PublicWarning",
    "RewardDecision",
    "RewardScheme",
    "Tip",
    "TipAttachment",
    "TipEvent",
]
