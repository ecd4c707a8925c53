"""Store table of the online patrol: change events on the entity timeline.

A patrol run compares its pages with the previous sealed run (:mod:`smokewatch.patrol.changes`);
what changed — a new page, a raised rate, a new guarantee, a page or a whole site taken down —
is written here as an event of the site's operator (the entity resolved by
:mod:`smokewatch.patrol.operator`), so the entity page's timeline and the API show it beside
scores, alerts and cases. The id is a hash of the run, kind, site and page, so writing a run's
events again changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smokewatch.store.orm import Base, UTCDateTime


class PatrolEvent(Base):
    """One change a patrol run saw on a site, with the evidence that fixes it."""

    __tablename__ = "patrol_event"
    __table_args__ = (
        sa.Index(None, "subject_id", "at"),
        sa.Index(None, "run_id"),
    )

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    """``pe-`` + sha256 of run, kind, site and page URL (40 hex characters)."""
    run_id: Mapped[str] = mapped_column(sa.ForeignKey("run.id"))
    """The patrol run that saw the change."""
    patrol_id: Mapped[str] = mapped_column(sa.String(64))
    site: Mapped[str] = mapped_column(sa.Text())
    kind: Mapped[str] = mapped_column(sa.String(32))
    """``page_new``, ``page_changed``, ``promise_raised``, ``guarantee_added``, ``page_gone``,
    ``site_gone``."""
    url: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    """The page (None for a whole site)."""
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    subject_id: Mapped[str | None] = mapped_column(sa.String(128), nullable=True)
    """The operator's entity id when it was resolved, else None (the event stays on the run)."""
    subject_table: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    subject_name: Mapped[str | None] = mapped_column(sa.Text(), nullable=True)
    summary_zh: Mapped[str] = mapped_column(sa.Text())
    summary_en: Mapped[str] = mapped_column(sa.Text())
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    """Before and after (text sha256, rates, terms, status), the runs compared, the operator's
    resolution and, for a takedown, the alert that preceded it."""


__all__ = ["PatrolEvent"]
