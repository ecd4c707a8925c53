"""Store table of entity resolution: analysts' judgements on pairs of records.

Same conventions as :mod:`smokewatch.store.orm`. Judgements are append-only: a new judgement
on the same pair supersedes the older one (the latest wins), and the history stays.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smokewatch.store.orm import Base, UTCDateTime


def _serial() -> Any:
    return mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)


class ResolveJudgement(Base):
    """An analyst's decision that two records are, or are not, the same entity."""

    __tablename__ = "resolve_judgement"
    __table_args__ = (sa.Index(None, "left_id", "right_id"),)

    id: Mapped[int] = _serial()
    left_id: Mapped[str] = mapped_column(sa.String(128))
    """The smaller record id of the pair."""
    right_id: Mapped[str] = mapped_column(sa.String(128))
    same: Mapped[bool] = mapped_column(sa.Boolean())
    actor: Mapped[str] = mapped_column(sa.String(128))
    note: Mapped[str | None] = mapped_column(sa.Text())
    judged_at: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = ["ResolveJudgement"]
