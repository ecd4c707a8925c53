"""Sector statistics and the "three drops" (三降): institutions, balance and participants by month.

The leadership tracks, for each sector being supervised or wound down, month by month: how many
institutions are active, the outstanding balance, and the participants (lenders and borrowers)
— and for how many consecutive months each has fallen. Two sources feed it:

* ``online_lending`` — the platforms' monthly figures (``platform_metric``: one row per platform
  and month; a platform is active in a month when it arranged loans or still owes a balance);
* every kind of licensed local financial organisation (``microcredit``, ``financing_guarantee``
  … — the ``local_org_kind`` vocabulary) — their periodic reports (``org_report`` joined with
  ``local_org``; an organisation is active when it reports a balance).

A month missing from the data breaks a streak (nothing is assumed about it). The same numbers go
to the terminal, to ``--json`` and to an XLSX workbook for the report to the leadership.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smokewatch.engine import Engine
from smokewatch.errors import InvalidInput
from smokewatch.model.vocab import get_vocabulary
from smokewatch.services.workspace import open_engine
from smokewatch.settings import Settings

ONLINE_LENDING = "online_lending"
MEASURES = ("institutions", "balance", "lenders", "borrowers")
"""What is counted each month; the "three drops" are institutions, balance and participants
(lenders + borrowers)."""


@dataclass(frozen=True, slots=True)
class MonthStats:
    """One month of a sector."""

    month: str
    institutions: int
    balance: float
    """Outstanding balance in yuan."""
    lenders: int
    borrowers: int
    declining: dict[str, int] = field(default_factory=dict)
    """Measure (and ``participants``) → consecutive months of decline ending this month."""

    @property
    def participants(self) -> int:
        """Lenders and borrowers."""
        return self.lenders + self.borrowers

    @property
    def three_drops(self) -> bool:
        """Institutions, balance and participants all fell from the month before."""
        return all(
            self.declining.get(m, 0) > 0 for m in ("institutions", "balance", "participants")
        )


@dataclass(frozen=True, slots=True)
class SectorStats:
    """A sector month by month."""

    sector: str
    label_zh: str
    label_en: str
    source: str
    months: tuple[MonthStats, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with the derived fields."""
        return {
            "sector": self.sector,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "source": self.source,
            "months": [
                {
                    "month": m.month,
                    "institutions": m.institutions,
                    "balance": m.balance,
                    "lenders": m.lenders,
                    "borrowers": m.borrowers,
                    "participants": m.participants,
                    "declining": m.declining,
                    "three_drops": m.three_drops,
                }
                for m in self.months
            ],
        }


def sectors() -> dict[str, tuple[str, str]]:
    """Sector id → (zh, en) labels: online lending and every local organisation kind."""
    vocab = get_vocabulary("local_org_kind")
    found = {ONLINE_LENDING: ("网络借贷（P2P）平台", "Online lending (P2P) platforms")}
    found.update({k: (t.label_zh, t.label_en) for k, t in vocab.terms.items()})
    return found


def sector_stats(
    settings: Settings, sector: str, *, start: str | None = None, end: str | None = None
) -> SectorStats:
    """Month-by-month statistics of ``sector`` between months ``start`` and ``end`` (YYYY-MM).

    Raises:
        InvalidInput: an unknown sector, a malformed month, or a sector without data.
    """
    known = sectors()
    if sector not in known:
        raise InvalidInput(f"unknown sector {sector!r}; known: {', '.join(known)}")
    for month in (start, end):
        if month is not None and not _is_month(month):
            raise InvalidInput(f"months are written YYYY-MM, not {month!r}")
    with open_engine(settings) as engine:
        if sector == ONLINE_LENDING:
            source = "platform_metric"
            rows = _platform_months(engine) if engine.has_table(source) else []
        else:
            source = "org_report"
            has = engine.has_table(source) and engine.has_table("local_org")
            rows = _report_months(engine, sector) if has else []
    rows = [r for r in rows if (start is None or r[0] >= start) and (end is None or r[0] <= end)]
    if not rows:
        raise InvalidInput(f"no monthly data for sector {sector!r} in {source} (ingest it first)")
    zh, en = known[sector]
    return SectorStats(sector, zh, en, source, tuple(declines(rows)))


def declines(rows: Sequence[tuple[str, int, float, int, int]]) -> list[MonthStats]:
    """Months in order with, per measure, the consecutive months of decline ending there.

    A gap in the months (a month absent from the data) restarts every streak.
    """
    out: list[MonthStats] = []
    previous: MonthStats | None = None
    for month, institutions, balance, lenders, borrowers in sorted(rows):
        current = MonthStats(month, institutions, balance, lenders, borrowers)
        streaks: dict[str, int] = {}
        follows = previous is not None and _next_month(previous.month) == month
        for measure in (*MEASURES, "participants"):
            value = getattr(current, measure)
            if follows and previous is not None and value < getattr(previous, measure):
                streaks[measure] = previous.declining.get(measure, 0) + 1
            else:
                streaks[measure] = 0
        current = MonthStats(month, institutions, balance, lenders, borrowers, streaks)
        out.append(current)
        previous = current
    return out


def write_xlsx(stats: SectorStats, path: Path) -> Path:
    """The statistics as a workbook (one sheet, Chinese and English headers), written atomically."""
    from openpyxl import Workbook  # noqa: PLC0415 - only this export needs it

    if not path.parent.is_dir():
        raise InvalidInput(f"the output folder does not exist: {path.parent}")
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = stats.sector[:31]
    sheet.append([f"{stats.label_zh} / {stats.label_en}", f"source: {stats.source}"])
    sheet.append(
        [
            "月份 month",
            "机构数 institutions",
            "余额（元） balance (yuan)",
            "出借人 lenders",
            "借款人 borrowers",
            "参与人数 participants",
            "机构数连降月数 institutions falling (months)",
            "余额连降月数 balance falling (months)",
            "参与人数连降月数 participants falling (months)",
            "三降 three drops",
        ]
    )
    for m in stats.months:
        sheet.append(
            [
                m.month,
                m.institutions,
                round(m.balance, 2),
                m.lenders,
                m.borrowers,
                m.participants,
                m.declining["institutions"],
                m.declining["balance"],
                m.declining["participants"],
                "是 yes" if m.three_drops else "",
            ]
        )
    partial = path.with_name(f".{path.name}.partial")
    try:
        book.save(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _platform_months(engine: Engine) -> list[tuple[str, int, float, int, int]]:
    m = engine.table("platform_metric")
    active = (m.volume_wan.fill_null(0) > 0) | (m.outstanding_wan.fill_null(0) > 0)
    per = (
        m.filter(active)
        .group_by(m.month)
        .aggregate(
            institutions=m.platform_name.nunique(),
            balance=(m.outstanding_wan.fill_null(0).sum() * 10_000),
            lenders=m.investors.fill_null(0).sum(),
            borrowers=m.borrowers.fill_null(0).sum(),
        )
    )
    return _rows(engine.to_arrow(per, step="sector_stats").to_pylist())


def _report_months(engine: Engine, kind: str) -> list[tuple[str, int, float, int, int]]:
    r = engine.table("org_report")
    o = engine.table("local_org")
    joined = r.inner_join(o, r.org_uscc == o.uscc).filter(
        o.kind == kind, r.outstanding_balance.fill_null(0) > 0
    )
    month = joined.period_end.strftime("%Y-%m")
    per = joined.group_by(month=month).aggregate(
        institutions=joined.org_uscc.nunique(),
        balance=joined.outstanding_balance.cast("float64").sum(),
        lenders=joined.lenders.fill_null(0).sum(),
        borrowers=joined.borrowers.fill_null(0).sum(),
    )
    return _rows(engine.to_arrow(per, step="sector_stats").to_pylist())


def _rows(records: list[dict[str, Any]]) -> list[tuple[str, int, float, int, int]]:
    return [
        (
            str(r["month"]),
            int(r["institutions"]),
            float(r["balance"] or 0),
            int(r["lenders"] or 0),
            int(r["borrowers"] or 0),
        )
        for r in records
    ]


def _is_month(text: str) -> bool:
    return len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit()


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


__all__ = ["ONLINE_LENDING", "MonthStats", "SectorStats", "declines", "sector_stats", "sectors"]
