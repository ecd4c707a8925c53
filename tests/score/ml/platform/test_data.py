"""Platform views see each evaluation date as it was: nothing from after it leaks in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from smokewatch.engine import Engine
from smokewatch.score.ml.platform import data
from tests.score.ml.builders import PROFILE_HEADER, write_csv


def _folder(root: Path) -> Path:
    folder = root / "wdzj"
    profile = ["公司", "2014-01-01", "广东", "深圳", 1000.0, 2, "粤ICP备1号", "9%"]
    write_csv(folder / "platDataDetail.csv", PROFILE_HEADER, [[1, "活着", *profile]])
    write_csv(
        folder / "problemPlatDetail.csv",
        [*PROFILE_HEADER, "problemTime", "platStatus"],
        [
            [2, "去年倒", *profile, "2016-03-01", 5],
            [3, "明年倒", *profile, "2017-02-01", 2],
            [4, "后年倒", *profile, "2018-01-01", 3],
            [5, "转型了", *profile, "2017-01-01", 8],
            [6, "空档案", None, *profile[1:4], None, 0, None, None, "2017-03-01", 5],
        ],
    )
    write_csv(
        folder / "problemPlat.csv",
        ["id", "area", "onlineTime", "platName", "problemTime", "regCapital", "type"],
        [
            [2, "广东", "2014-01-01 00:00:00", "去年倒", "2016-03-01 00:00:00", 1000, "跑路"],
            [3, "广东", "2014-01-01 00:00:00", "明年倒", "2017-02-01 00:00:00", 1000, "停业"],
            [4, "广东", "2014-01-01 00:00:00", "后年倒", "2018-01-01 00:00:00", 1000, "提现困难"],
            [5, "广东", "2014-01-01 00:00:00", "转型了", "2017-01-01 00:00:00", 1000, "转型"],
            [6, "广东", "2014-01-01 00:00:00", "空档案", "2017-03-01 00:00:00", None, "跑路"],
        ],
    )
    return folder


def _rows(
    engine: Engine, root: Path, as_of: date = date(2016, 6, 30)
) -> dict[str, dict[str, object]]:
    loaded = data.load(engine, _folder(root))
    view = data.views_for(engine, loaded, [as_of])["platform"]
    return {row["platName"]: row for row in engine.to_arrow(view).to_pylist()}


def test_only_platforms_operating_on_the_date_are_rows(engine: Engine, tmp_path: Path) -> None:
    rows = _rows(engine, tmp_path)
    # failed before; conversion left out; 空档案's profile was emptied after its failure
    assert set(rows) == {"活着", "明年倒", "后年倒"}


def test_the_label_is_a_failure_within_twelve_months(engine: Engine, tmp_path: Path) -> None:
    rows = _rows(engine, tmp_path)
    assert {name: row["failed"] for name, row in rows.items()} == {
        "活着": 0,
        "明年倒": 1,
        "后年倒": 0,
    }


def test_context_counts_only_failures_known_on_the_date(engine: Engine, tmp_path: Path) -> None:
    row = _rows(engine, tmp_path)["活着"]
    assert row["province_failures"] == 1  # 去年倒 (2016-03); not the 2017/2018 events
    assert row["city_failures"] == 1


def test_the_failure_of_a_platform_with_an_emptied_profile_still_counts_in_context(
    engine: Engine, tmp_path: Path
) -> None:
    rows = _rows(engine, tmp_path, as_of=date(2017, 6, 30))
    assert rows["活着"]["province_failures"] == 2  # 明年倒 (2017-02) and 空档案 (2017-03)
    assert rows["活着"]["city_failures"] == 2


def test_months_shift_keeps_month_ends() -> None:
    assert data.shift_months(date(2017, 6, 30), -12) == date(2016, 6, 30)
    assert data.shift_months(date(2016, 2, 29), 12) == date(2017, 2, 28)
