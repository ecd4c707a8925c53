"""Store table of the untrustworthy-borrower list (恶意逃废债名单).

One row per listing: a person or enterprise reported by a lender or organisation for evading
a debt. The identity number is never stored: ``subject_key`` is its keyed hash
(:func:`smokewatch.model.types.identity.subject_key`) and ``id_display`` its masked form.
Removal keeps the row (status ``removed`` with the reason); the audit log holds who did what.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smokewatch.store.orm import Base, UTCDateTime


class BlacklistEntry(Base):
    """A listed borrower (person or enterprise), as reported, with its status."""

    __tablename__ = "blacklist_entry"
    __table_args__ = (
        sa.Index(None, "subject_key"),
        sa.Index(None, "status", "adcode"),
    )

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    """``BL-`` + hash of (key fingerprint, subject key, reporter, listing date): stable."""
    subject_type: Mapped[str] = mapped_column(sa.String(16))
    """``person`` or ``enterprise``."""
    subject_key: Mapped[str] = mapped_column(sa.String(64))
    """HMAC-SHA256 of the identity's exchange hash under the workspace key (never the number)."""
    key_id: Mapped[str] = mapped_column(sa.String(16))
    """Fingerprint of the workspace key the subject key was made with."""
    id_kind: Mapped[str] = mapped_column(sa.String(16))
    """``id_number``, ``uscc`` or ``hash`` (the list gave only the sha256)."""
    id_display: Mapped[str | None] = mapped_column(sa.String(32))
    """The masked number (``110105********002X``); ``None`` when only a hash was given."""
    name: Mapped[str] = mapped_column(sa.Text())
    """Name as reported (PII for persons: masked for roles without the right to see it)."""
    reporter: Mapped[str] = mapped_column(sa.Text())
    """The lender or organisation that reported the evasion."""
    reporter_uscc: Mapped[str | None] = mapped_column(sa.String(18))
    amount_evaded: Mapped[Decimal] = mapped_column(sa.Numeric(20, 2))
    """Yuan."""
    evaded_on: Mapped[date | None] = mapped_column(sa.Date())
    listed_on: Mapped[date] = mapped_column(sa.Date())
    reason: Mapped[str] = mapped_column(sa.Text())
    evidence_ref: Mapped[str | None] = mapped_column(sa.Text())
    adcode: Mapped[str] = mapped_column(sa.String(12))
    """Division the listing belongs to (who may see it)."""
    status: Mapped[str] = mapped_column(sa.String(16))
    """``listed`` or ``removed``."""
    removed_on: Mapped[date | None] = mapped_column(sa.Date())
    removal_reason: Mapped[str | None] = mapped_column(sa.Text())
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    """Hash of the imported fields: a re-import of the same row changes nothing."""
    source_file: Mapped[str | None] = mapped_column(sa.Text())
    source_row: Mapped[int | None] = mapped_column(sa.Integer())
    created_by: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(sa.String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = ["BlacklistEntry"]
