"""Store table of the sector statistics the dashboard shows (the "three drops", 三降).

Same conventions as :mod:`smokewatch.store.orm`. The statistics are computed from the analytic
engine (``services/sector.py``); ``smokewatch sector publish`` copies them here, so the web
server reads them without touching the engine. A publication replaces a sector's months.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smokewatch.store.orm import Base, UTCDateTime


class SectorMonth(Base):
    """One month of a supervised sector: active institutions, balance, participants."""

    __tablename__ = "sector_month"

    sector: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    """``online_lending`` or a ``local_org_kind`` term."""
    month: Mapped[str] = mapped_column(sa.String(7), primary_key=True)
    """``YYYY-MM``."""
    institutions: Mapped[int] = mapped_column(sa.Integer())
    balance: Mapped[float] = mapped_column(sa.Float())
    """Outstanding balance in yuan."""
    lenders: Mapped[int] = mapped_column(sa.Integer())
    borrowers: Mapped[int] = mapped_column(sa.Integer())
    source: Mapped[str] = mapped_column(sa.String(64))
    """The engine table the month was computed from."""
    run_id: Mapped[str] = mapped_column(sa.ForeignKey("run.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = ["SectorMonth"]
