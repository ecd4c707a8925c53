"""``backtest p2p-wdzj`` end to end on a small 网贷之家-shaped folder.

The contract: one row per platform operating on the as-of date, the columns
platName,smoke_index,grade,<one per dimension>,top_reasons, the same bytes every run, and
nothing dated after the as-of date can change them.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.ingest.presets import wdzj
from smokewatch.score.scorecard import load_scorecards
from smokewatch.services import backtest
from tests.ingest.presets.builders import (
    EVENT_HEADER,
    METRIC_HEADER,
    PROFILE_HEADER,
    backtest_folder,
)
from tests.score.ml.builders import write_csv

pytest.importorskip("lightgbm")

AS_OF = date(2017, 4, 30)
PROFILES = date(2017, 5, 1)
"""The synthetic profiles count as taken the day after the as-of date."""


def _run(data: Path, out: Path) -> backtest.BacktestSummary:
    return backtest.p2p_wdzj(data, out, as_of=AS_OF, profiles_date=PROFILES)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return backtest_folder(tmp_path_factory.mktemp("wdzj"))


@pytest.fixture(scope="module")
def scored(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("out") / "scores.csv"
    return out, _run(folder, out)


def _append(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        existing = list(csv.reader(handle))[1:]
    write_csv(path, header, [*existing, *rows])


def test_one_row_per_platform_operating_on_the_day_with_the_column_contract(
    scored: tuple[Path, backtest.BacktestSummary],
) -> None:
    out, summary = scored
    card = load_scorecards()[backtest.SCORECARD].spec
    with out.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == [
        "platName", "smoke_index", "grade", *(d.id for d in card.dimensions), "top_reasons",
    ]  # fmt: skip
    rows = _read(out)
    assert len(rows) == summary.rows == summary.view.operating
    assert len({r["platName"] for r in rows}) == len(rows)
    indices = [float(r["smoke_index"]) for r in rows]
    assert indices == sorted(indices, reverse=True)
    grades = {g.code for g in card.grades} | {"none"}
    assert {r["grade"] for r in rows} <= grades
    for row in rows:
        grade = card.grade_of(float(row["smoke_index"]))
        assert row["grade"] == (grade.code if grade else "none")


def test_risky_platforms_rank_above_controlled_ones_and_say_why(
    scored: tuple[Path, backtest.BacktestSummary],
) -> None:
    rows = _read(scored[0])
    risky = [float(r["smoke_index"]) for r in rows if r["platName"].endswith("贷")]
    safe = [float(r["smoke_index"]) for r in rows if r["platName"].endswith("金服")]
    assert min(risky) > max(safe)
    top = rows[0]
    assert "银行存管" in top["top_reasons"] and float(top["compliance"]) > 0
    assert float(top["funds"]) > 0  # the risky ones lose money in the last months


def test_the_same_inputs_give_the_same_bytes(
    folder: Path, scored: tuple[Path, backtest.BacktestSummary], tmp_path: Path
) -> None:
    again = tmp_path / "again.csv"
    _run(folder, again)
    assert again.read_bytes() == scored[0].read_bytes()


def test_nothing_after_the_as_of_date_changes_the_output(
    folder: Path, scored: tuple[Path, backtest.BacktestSummary], tmp_path: Path
) -> None:
    later = tmp_path / "later"
    shutil.copytree(folder, later)
    operating = _read(later / wdzj.OPERATING_FILE)
    victim = operating[0]
    # A platform that fails after the as-of date, a launch after it, months and events after it.
    _append(
        later / wdzj.EVENTS_FILE,
        EVENT_HEADER,
        [[9001, victim["platId"], "广东", "2014-01-01 00:00:00", victim["platName"],
          "2017-05-20 00:00:00", "1000万元", "跑路"]],
    )  # fmt: skip
    _append(
        later / wdzj.OPERATING_FILE,
        PROFILE_HEADER,
        [[9002, "9002", "新上线贷", "新公司", "", "2017-05-15", "广东", "深圳", "", 1000.0, "",
          2, "民营系", 0, "", "", "", 0, "", "粤ICP备1", "", 0, 0.0, "平台垫付", "保本保息",
          "", "30%", "", 1, 0]],
    )  # fmt: skip
    _append(
        later / wdzj.METRICS_FILE,
        METRIC_HEADER,
        [[9003, "x", r["platName"], r["platId"], "2017-05", 1.0, 40.0, 0.1, 1, 1, 1, -9999.0,
          10.0, 10.0, 99.0, 99.0, 1.0, 1.0, 50] for r in operating]
        + [[9004, "x", victim["platName"], victim["platId"], "2017-07", 1.0, 40.0, 0.1, 1, 1, 1,
            -9999.0, 10.0, 10.0, 99.0, 99.0, 1.0, 1.0, 50]],
    )  # fmt: skip
    out = tmp_path / "later.csv"
    _run(later, out)
    assert out.read_bytes() == scored[0].read_bytes()


def test_the_output_is_replaced_whole_or_not_at_all(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="operating"):
        backtest.p2p_wdzj(folder, out, as_of=date(2009, 1, 1))
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]


def test_bad_options_are_refused(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        backtest.p2p_wdzj(tmp_path / "nowhere", tmp_path / "o.csv", as_of=AS_OF)
    with pytest.raises(InvalidInput, match="lang"):
        backtest.p2p_wdzj(folder, tmp_path / "o.csv", as_of=AS_OF, lang="fr")
    with pytest.raises(InvalidInput, match="folder"):
        backtest.p2p_wdzj(folder, tmp_path, as_of=AS_OF)


def test_the_513_platforms_of_mid_2017(shared_data: Path, tmp_path: Path) -> None:
    data = shared_data / "p2p-platforms-wdzj"
    out = tmp_path / "scores.csv"
    summary = backtest.p2p_wdzj(data, out, as_of=date(2017, 6, 30))
    rows = _read(out)
    assert summary.rows == len(rows) == 513
    assert summary.view.snapshot_fields and summary.view.months[-1] == "2017-06"
    assert sum(v["rejected"] for v in summary.ingested.values()) == 0
    assert {"red", "orange"} & {r["grade"] for r in rows}
