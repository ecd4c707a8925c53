"""The shipped division table: complete, consistent, and with the demo city in it."""

from __future__ import annotations

from smokewatch.model.divisions import Level, load_divisions


def test_every_parent_exists_and_none_is_its_own_parent() -> None:
    divisions = load_divisions()
    for division in divisions:
        assert division.parent != division.code
        assert division.parent is None or division.parent in divisions


def test_levels_have_the_expected_sizes() -> None:
    counts: dict[Level, int] = {}
    for division in load_divisions():
        if division.is_current:
            counts[division.level] = counts.get(division.level, 0) + 1
    assert counts[Level.PROVINCE] == 31
    assert 330 <= counts[Level.CITY] <= 342
    assert counts[Level.COUNTY] > 2900
    assert counts[Level.TOWNSHIP] > 40000


def test_wuhu_has_its_current_counties() -> None:
    divisions = load_divisions()
    current = {d.name for d in divisions.children("340200") if d.is_current}
    assert {"镜湖区", "鸠江区", "弋江区", "湾沚区", "繁昌区", "南陵县", "无为市"} <= current


def test_obsolete_counties_still_resolve_to_their_city() -> None:
    divisions = load_divisions()
    wuhu_county = next(d for d in divisions.children("340200") if d.name == "芜湖县")
    assert wuhu_county.status == "obsolete"
    assert [d.name for d in divisions.ancestors(wuhu_county.code)] == ["安徽省", "芜湖市", "芜湖县"]


def test_cities_without_counties_hold_their_townships() -> None:
    divisions = load_divisions()
    dongguan = divisions["441900"]
    assert dongguan.level is Level.CITY
    assert all(d.level is Level.TOWNSHIP for d in divisions.children("441900"))


def test_municipalities_do_not_repeat_their_name() -> None:
    assert load_divisions().full_name("110101") == "北京市东城区"
