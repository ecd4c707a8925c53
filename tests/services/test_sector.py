"""Sector statistics: institutions, balance and participants by month, and their declines."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from smokewatch.errors import InvalidInput
from smokewatch.services.ingest import ingest
from smokewatch.services.orgs import exits
from smokewatch.services.sector import declines, sector_stats, write_xlsx
from smokewatch.services.workspace import init_workspace, open_engine
from smokewatch.settings import Settings, load_settings
from tests.model.builders import typed_table

PRESETS = Path(__file__).resolve().parents[2] / "src/smokewatch/ingest/presets/wdzj_sources"


@pytest.fixture
def ws(tmp_path: Path) -> Settings:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200")
    return load_settings(root)


def test_streaks_count_consecutive_declines_and_a_gap_restarts_them() -> None:
    months = declines(
        [
            ("2024-01", 10, 100.0, 50, 60),
            ("2024-02", 9, 90.0, 45, 60),
            ("2024-03", 8, 95.0, 40, 55),
            ("2024-05", 7, 80.0, 30, 50),  # April is missing
            ("2024-06", 6, 70.0, 20, 40),
        ]
    )
    streaks = [
        (m.declining["institutions"], m.declining["balance"], m.declining["participants"])
        for m in months
    ]
    assert streaks == [(0, 0, 0), (1, 1, 1), (2, 0, 2), (0, 0, 0), (1, 1, 1)]
    assert [m.three_drops for m in months] == [False, True, False, False, True]


def test_a_local_organisation_kind_is_summed_from_the_periodic_reports(ws: Settings) -> None:
    orgs = [
        {
            "id": f"m{i}",
            "uscc": f"U{i}",
            "name": f"小贷{i}",
            "kind": "microcredit",
            "status": "operating",
        }
        for i in (1, 2)
    ] + [
        {
            "id": "g1",
            "uscc": "G1",
            "name": "担保1",
            "kind": "financing_guarantee",
            "status": "operating",
        }
    ]
    reports = [
        {
            "id": "a",
            "org_uscc": "U1",
            "period_end": date(2025, 1, 31),
            "outstanding_balance": 100,
            "lenders": 0,
            "borrowers": 10,
        },
        {
            "id": "b",
            "org_uscc": "U2",
            "period_end": date(2025, 1, 31),
            "outstanding_balance": 50,
            "borrowers": 5,
        },
        {
            "id": "c",
            "org_uscc": "U1",
            "period_end": date(2025, 2, 28),
            "outstanding_balance": 80,
            "borrowers": 8,
        },
        {
            "id": "d",
            "org_uscc": "G1",
            "period_end": date(2025, 2, 28),
            "outstanding_balance": 999,
            "borrowers": 99,
        },
    ]
    with open_engine(ws) as engine:
        engine.replace_tables(
            {
                "local_org": typed_table("local_org", orgs),
                "org_report": typed_table("org_report", reports),
            }
        )
    stats = sector_stats(ws, "microcredit")
    rows = [(m.month, m.institutions, m.balance, m.borrowers) for m in stats.months]
    assert rows == [("2025-01", 2, 150.0, 15), ("2025-02", 1, 80.0, 8)]
    assert stats.months[1].three_drops
    assert stats.label_zh == "小额贷款公司"


def test_unknown_sectors_bad_months_and_missing_data_are_clear_errors(ws: Settings) -> None:
    with pytest.raises(InvalidInput, match="unknown sector"):
        sector_stats(ws, "casino")
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        sector_stats(ws, "microcredit", start="2025/01")
    with pytest.raises(InvalidInput, match="ingest it first"):
        sector_stats(ws, "online_lending")


def test_the_real_platform_figures_of_2017(ws: Settings, shared_data: Path, tmp_path: Path) -> None:
    source = ws.workspace / "sources" / "wdzj_metrics"
    source.mkdir(parents=True)
    shutil.copy(PRESETS / "wdzj_metrics" / "source.yml", source / "source.yml")
    ingest(ws, ["wdzj_metrics"], file=shared_data / "p2p-platforms-wdzj" / "platData.csv")
    stats = sector_stats(ws, "online_lending", start="2017-01", end="2017-06")
    assert [m.month for m in stats.months] == [f"2017-0{i}" for i in range(1, 7)]
    assert all(400 < m.institutions < 700 for m in stats.months)
    assert all(m.balance > 1e11 and m.lenders > 0 and m.borrowers > 0 for m in stats.months)
    book = load_workbook(write_xlsx(stats, tmp_path / "stats.xlsx"))
    sheet = book.active
    assert sheet is not None
    assert [c.value for c in sheet["A"]][2:] == [m.month for m in stats.months]


def test_exits_show_repayment_progress_and_exited_but_not_cleared(ws: Settings) -> None:
    orgs = [
        {
            "id": "w1",
            "uscc": "W1",
            "name": "易贷网",
            "kind": "online_lending_exit",
            "status": "exited",
        },
        {
            "id": "w2",
            "uscc": "W2",
            "name": "安心贷",
            "kind": "online_lending_exit",
            "status": "exiting",
        },
        {
            "id": "w3",
            "uscc": "W3",
            "name": "清零网",
            "kind": "online_lending_exit",
            "status": "exited",
        },
        {"id": "m1", "uscc": "M1", "name": "小贷", "kind": "microcredit", "status": "operating"},
        {
            "id": "m2",
            "uscc": "M2",
            "name": "失联小贷",
            "kind": "microcredit",
            "status": "lost_contact",
        },
    ]
    reports = [
        {
            "id": "1",
            "org_uscc": "W1",
            "period_end": date(2025, 3, 31),
            "outstanding_balance": 3_000_000,
            "repaid_to_lenders": 7_000_000,
            "lenders": 100,
            "lenders_repaid": 300,
        },
        {
            "id": "2",
            "org_uscc": "W2",
            "period_end": date(2025, 3, 31),
            "outstanding_balance": 50_000_000,
            "repaid_to_lenders": 0,
            "lenders": 2000,
            "lenders_repaid": 0,
        },
        {
            "id": "3",
            "org_uscc": "W2",
            "period_end": date(2025, 6, 30),
            "outstanding_balance": 40_000_000,
            "repaid_to_lenders": 10_000_000,
            "lenders": 1500,
            "lenders_repaid": 500,
        },
        {
            "id": "4",
            "org_uscc": "W3",
            "period_end": date(2025, 3, 31),
            "outstanding_balance": 0,
            "repaid_to_lenders": 9_000_000,
            "lenders": 0,
            "lenders_repaid": 400,
        },
    ]
    with open_engine(ws) as engine:
        engine.replace_tables(
            {
                "local_org": typed_table("local_org", orgs),
                "org_report": typed_table("org_report", reports),
            }
        )
    found = {e.org_id: e for e in exits(ws, as_of=date(2025, 4, 30))}
    assert set(found) == {"w1", "w2", "w3", "m2"}
    assert (found["w1"].repaid_share, found["w1"].lenders_repaid_share) == (0.7, 0.75)
    assert found["w1"].exited_not_cleared
    assert not found["w3"].exited_not_cleared  # exited and cleared
    assert found["w2"].period_end == date(2025, 3, 31)  # the June report is after the day
    assert found["m2"].no_report and found["m2"].repaid_share is None
    assert next(e.org_id for e in exits(ws)) == "w2"  # most still owed first
