"""The "three drops" panel: sector statistics published to the store and read back."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from smokewatch.errors import Forbidden, InvalidInput
from smokewatch.services import sector_trends
from smokewatch.services.runs import recorded_run
from smokewatch.store.orm_sector import SectorMonth
from tests.api.world import World
from tests.services.monitored import world  # noqa: F401


def _months(into: World, sector: str, rows: list[tuple[str, int, float, int, int]]) -> None:
    """Publish these months of ``sector`` (as ``sector publish`` would from the engine)."""
    with (
        recorded_run(into.store, "ingest", subject="test") as run,
        into.store.unit_of_work() as session,
    ):
        session.execute(sa.delete(SectorMonth).where(SectorMonth.sector == sector))
        for month, institutions, balance, lenders, borrowers in rows:
            session.add(
                SectorMonth(
                    sector=sector,
                    month=month,
                    institutions=institutions,
                    balance=balance,
                    lenders=lenders,
                    borrowers=borrowers,
                    source="platform_metric",
                    run_id=run.run_id,
                    published_at=run.started_at,
                )
            )


def test_a_sector_in_three_drops_comes_first_with_its_streaks(world: World) -> None:  # noqa: F811
    _months(world, "microcredit", [("2026-08", 10, 5e8, 0, 90), ("2026-09", 10, 6e8, 0, 95)])
    _months(
        world,
        "online_lending",
        [
            ("2026-07", 9, 9e8, 900, 300),
            ("2026-08", 8, 8e8, 800, 250),
            ("2026-09", 6, 7e8, 700, 200),
        ],
    )
    panel = sector_trends.overview(world.store, world.actors["lead"])
    assert [s["sector"] for s in panel] == ["online_lending", "microcredit"]
    lending = panel[0]
    assert lending["three_drops_months"] == 2
    assert lending["declining"]["institutions"] == 2
    assert (lending["month"], lending["institutions"], lending["participants"]) == (
        "2026-09",
        6,
        900,
    )
    assert lending["chart"]["balance"] == [9.0, 8.0, 7.0]
    assert panel[1]["three_drops_months"] == 0


def test_a_missing_month_restarts_the_streak(world: World) -> None:  # noqa: F811
    _months(world, "pawnshop", [("2026-06", 5, 3e8, 0, 9), ("2026-08", 4, 2e8, 0, 8)])
    (pawnshops,) = sector_trends.overview(world.store, world.actors["lead"])
    assert pawnshops["three_drops_months"] == 0 and pawnshops["declining"]["balance"] == 0


def test_the_csv_rows_match_the_cli_columns(world: World) -> None:  # noqa: F811
    _months(world, "pawnshop", [("2026-07", 5, 3e8, 0, 9), ("2026-08", 4, 2e8, 0, 8)])
    rows = sector_trends.as_csv_rows(world.store, world.actors["lead"], "pawnshop")
    assert len(sector_trends.CSV_HEADER) == len(rows[0])
    assert rows[-1] == ["2026-08", 4, 2e8, 0, 8, 1, 1, 1, "yes"]
    with pytest.raises(InvalidInput):
        sector_trends.as_csv_rows(world.store, world.actors["lead"], "microcredit")


def test_police_do_not_read_sector_statistics(world: World) -> None:  # noqa: F811
    with pytest.raises(Forbidden):
        sector_trends.overview(world.store, world.actors["police"])
