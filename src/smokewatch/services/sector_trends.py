"""The "three drops" (三降) on the dashboard: sector statistics published to the store.

:func:`publish` computes every sector that has monthly data in the analytic engine
(:func:`smokewatch.services.sector.sector_stats`: active institutions, outstanding balance,
lenders and borrowers by month) and replaces its months in the store's ``sector_month`` table,
in one recorded run. The web server reads only the store (it never contends with batch runs
for the engine), so :func:`overview` answers from there: per sector, the last months, the
consecutive months of decline ending at the last one (recomputed with
:func:`~smokewatch.services.sector.declines`, so a missing month restarts a streak exactly as
``smokewatch sector stats`` says) and whether it was a "three drops" month.

``smokewatch sector publish`` runs :func:`publish`; ``demo init`` publishes the demo's sectors.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import sqlalchemy as sa

from smokewatch.cases.access import Actor
from smokewatch.errors import InvalidInput
from smokewatch.services.runs import recorded_run
from smokewatch.services.sector import SectorStats, declines, sector_stats, sectors
from smokewatch.services.visibility import require_analyst
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.store.orm_sector import SectorMonth

CHART_MONTHS: Final = 12
"""The overview charts the last this many months of a sector."""


@dataclass(frozen=True, slots=True)
class Published:
    """What :func:`publish` stored: the run and the months per sector."""

    run_id: str
    months: dict[str, int]


def publish(settings: Settings, store: Store, only: list[str] | None = None) -> Published:
    """Store the monthly statistics of every sector with data (or of ``only``).

    A sector's months are replaced as a whole, in one transaction.

    Raises:
        InvalidInput: a sector in ``only`` is unknown or has no data.
    """
    found: list[SectorStats] = []
    for sector in only or list(sectors()):
        try:
            found.append(sector_stats(settings, sector))
        except InvalidInput:
            if only:
                raise
    now = datetime.now(UTC)
    with recorded_run(store, "ingest", subject="sector statistics") as run:
        with store.unit_of_work() as session:
            for stats in found:
                session.execute(sa.delete(SectorMonth).where(SectorMonth.sector == stats.sector))
                session.add_all(
                    SectorMonth(
                        sector=stats.sector,
                        month=m.month,
                        institutions=m.institutions,
                        balance=m.balance,
                        lenders=m.lenders,
                        borrowers=m.borrowers,
                        source=stats.source,
                        run_id=run.run_id,
                        published_at=now,
                    )
                    for m in stats.months
                )
        run.stats = {"sectors": {s.sector: len(s.months) for s in found}}
    return Published(run.run_id, {s.sector: len(s.months) for s in found})


def _months(store: Store) -> dict[str, list[SectorMonth]]:
    by_sector: dict[str, list[SectorMonth]] = defaultdict(list)
    with store.read_session() as session:
        for row in session.scalars(sa.select(SectorMonth).order_by(SectorMonth.month)):
            by_sector[row.sector].append(row)
    return by_sector


def overview(store: Store, actor: Actor) -> list[dict[str, Any]]:
    """Per published sector: its last month, streaks of decline, and the recent months.

    Sectors in a "three drops" streak come first, then by their longest current decline (of
    any measure).

    Raises:
        Forbidden: the role does not read monitoring results.
    """
    require_analyst(actor)
    labels = sectors()
    out: list[tuple[tuple[int, int, str], dict[str, Any]]] = []
    for sector, rows in _months(store).items():
        months = declines(
            [(r.month, r.institutions, r.balance, r.lenders, r.borrowers) for r in rows]
        )
        last = months[-1]
        drops = 0
        for month in reversed(months):
            if not month.three_drops:
                break
            drops += 1
        recent = months[-CHART_MONTHS:]
        zh, en = labels.get(sector, (sector, sector))
        rank = (-drops, -max(last.declining.values(), default=0), sector)
        out.append(
            (
                rank,
                {
                    "sector": sector,
                    "label_zh": zh,
                    "label_en": en,
                    "source": rows[-1].source,
                    "month": last.month,
                    "institutions": last.institutions,
                    "balance": last.balance,
                    "participants": last.participants,
                    "declining": dict(last.declining),
                    "three_drops_months": drops,
                    "chart": {
                        "months": [m.month for m in recent],
                        "institutions": [m.institutions for m in recent],
                        "balance": [round(m.balance / 1e8, 2) for m in recent],
                        "participants": [m.participants for m in recent],
                    },
                },
            )
        )
    return [entry for _, entry in sorted(out, key=lambda pair: pair[0])]


def as_csv_rows(store: Store, actor: Actor, sector: str) -> list[list[Any]]:
    """Every published month of ``sector`` as the rows ``smokewatch sector stats`` prints.

    Raises:
        Forbidden: the role does not read monitoring results.
        InvalidInput: nothing is published for the sector.
    """
    require_analyst(actor)
    rows = _months(store).get(sector)
    if not rows:
        raise InvalidInput(f"no statistics are published for sector {sector!r}")
    return [
        [
            m.month,
            m.institutions,
            m.balance,
            m.lenders,
            m.borrowers,
            m.declining["institutions"],
            m.declining["balance"],
            m.declining["participants"],
            "yes" if m.three_drops else "",
        ]
        for m in declines(
            [(r.month, r.institutions, r.balance, r.lenders, r.borrowers) for r in rows]
        )
    ]


CSV_HEADER: Final = (
    "month",
    "institutions",
    "balance",
    "lenders",
    "borrowers",
    "institutions_falling_months",
    "balance_falling_months",
    "participants_falling_months",
    "three_drops",
)

__all__ = ["CHART_MONTHS", "CSV_HEADER", "Published", "as_csv_rows", "overview", "publish"]
