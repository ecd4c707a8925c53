"""Address → division code: real-looking registry addresses and the whole division table."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.model.divisions import Division, Level, load_divisions
from smokewatch.text.address import (
    AddressMatch,
    AddressResolver,
    get_address_resolver,
    short_form,
)


@pytest.fixture(scope="module")
def resolver() -> AddressResolver:
    return get_address_resolver()


def _code(resolver: AddressResolver, address: str, within: str | None = None) -> str | None:
    match = resolver.resolve(address, within=within)
    return None if match is None else match.code


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("安徽省芜湖市镜湖区北京路8号", "340202"),
        ("安徽省芜湖市镜湖区北京中路88号某某大厦15层", "340202"),
        ("芜湖市鸠江区湾里街道长江路12号", "340207004"),
        ("镜湖区赭山街道人民路5号", "340202016"),
        ("安徽芜湖镜湖区中山路", "340202"),
        ("芜湖经济技术开发区凤鸣湖北路", "340271"),
        ("安徽省合肥市蜀山区芜湖路100号", "340104"),
        ("北京市朝阳区建国路88号", "110105"),
        ("上海市浦东新区陆家嘴环路1000号", "310115"),
        ("广东省东莞市南城街道鸿福路", "441900004"),
        ("内蒙古呼和浩特市新城区", "150102"),
        ("延边州延吉市", "222401"),
        ("北京中关村大街1号", "110100"),
        ("河北石家庄桥西区中山西路", "130104"),
    ],
)
def test_registry_addresses_resolve_to_their_division(
    resolver: AddressResolver, address: str, code: str
) -> None:
    assert _code(resolver, address) == code


def test_a_road_named_after_another_city_does_not_move_the_address(
    resolver: AddressResolver,
) -> None:
    match = resolver.resolve("安徽省芜湖市镜湖区北京路8号")
    assert match is not None
    assert match.path_names == ("安徽省", "芜湖市", "镜湖区")


def test_the_match_spans_the_division_part_of_the_address(resolver: AddressResolver) -> None:
    address = "安徽省芜湖市镜湖区北京路8号"
    match = resolver.resolve(address)
    assert match is not None
    assert (address[match.start : match.end], match.level) == ("安徽省芜湖市镜湖区", Level.COUNTY)


def test_of_two_places_named_the_first_one_wins(resolver: AddressResolver) -> None:
    assert _code(resolver, "芜湖市鸠江区劳动路44号镜湖家园7栋") == "340207"


def test_a_county_that_does_not_belong_to_the_city_is_ignored(resolver: AddressResolver) -> None:
    assert _code(resolver, "芜湖市鼓楼区") == "340200"


def test_an_abolished_county_still_places_the_address(resolver: AddressResolver) -> None:
    match = resolver.resolve("芜湖县经济开发区")
    assert match is not None
    assert (match.code, match.is_current, match.path_names) == (
        "340221",
        False,
        ("安徽省", "芜湖市", "芜湖县"),
    )


def test_a_renamed_county_resolves_to_its_current_division(resolver: AddressResolver) -> None:
    assert _code(resolver, "安徽省芜湖市繁昌县繁阳镇") == "340212100"
    assert _code(resolver, "无为县无城镇") == "340281100"


def test_a_township_under_an_abolished_county_name_is_still_found(
    resolver: AddressResolver,
) -> None:
    assert _code(resolver, "芜湖县湾沚镇安徽新芜经济开发区") == "340210100"


@pytest.mark.parametrize(
    ("address", "within", "code"),
    [
        ("鼓楼区中山路1号", "320100", "320106"),
        ("鼓楼区中山路1号", "350100", "350102"),
        ("城关镇解放路12号", "120100", "120114110"),
        ("新华街道建设路", "110100", "110112002"),
    ],
)
def test_the_workspace_division_breaks_ties(
    resolver: AddressResolver, address: str, within: str, code: str
) -> None:
    assert _code(resolver, address, within) == code


@pytest.mark.parametrize("address", ["鼓楼区中山路1号", "城关镇解放路12号", "新华街道建设路"])
def test_a_name_found_in_many_places_alone_resolves_to_nothing(
    resolver: AddressResolver, address: str
) -> None:
    assert _code(resolver, address) is None


def test_an_ambiguous_short_form_needs_its_city(resolver: AddressResolver) -> None:
    assert _code(resolver, "河北石家庄桥西") == "130104"
    assert _code(resolver, "桥西人民路") is None


def test_a_generic_name_needs_its_city(resolver: AddressResolver) -> None:
    assert _code(resolver, "山西省长治市城区英雄路") == "140402"
    assert _code(resolver, "城区人民路") is None


@pytest.mark.parametrize("address", ["", "某某大厦15层", "中山路1号", "北京路8号"])
def test_an_address_without_a_place_resolves_to_nothing(
    resolver: AddressResolver, address: str
) -> None:
    assert resolver.resolve(address) is None


def test_text_beyond_the_basic_plane_keeps_positions_right(resolver: AddressResolver) -> None:
    address = "𠀀𠀀安徽省芜湖市镜湖区"
    match = resolver.resolve(address)
    assert match is not None
    assert address[match.start : match.end] == "安徽省芜湖市镜湖区"


@pytest.mark.parametrize(
    ("name", "level", "short"),
    [
        ("芜湖市", Level.CITY, "芜湖"),
        ("镜湖区", Level.COUNTY, "镜湖"),
        ("安徽省", Level.PROVINCE, "安徽"),
        ("广西壮族自治区", Level.PROVINCE, "广西"),
        ("延边朝鲜族自治州", Level.CITY, "延边"),
        ("长阳土家族自治县", Level.COUNTY, "长阳"),
        ("浦东新区", Level.COUNTY, "浦东"),
        ("和县", Level.COUNTY, None),
        ("芜湖经济技术开发区", Level.COUNTY, None),
        ("范罗山街道", Level.TOWNSHIP, None),
    ],
)
def test_short_forms(name: str, level: Level, short: str | None) -> None:
    assert short_form(name, level) == short


def _path(division: Division) -> tuple[str, ...]:
    names: list[str] = []
    for part in load_divisions().ancestors(division.code):
        if part.status != "placeholder" and (not names or names[-1] != part.name):
            names.append(part.name)
    return tuple(names)


def test_every_current_division_written_out_in_full_resolves_to_itself(
    resolver: AddressResolver,
) -> None:
    wrong = []
    for division in load_divisions():
        if not division.is_current or division.level is Level.PROVINCE:
            continue
        if division.parent == division.code:  # 东莞, 中山, 儋州: listed as their own county
            continue
        path = _path(division)
        match = resolver.resolve("".join(path) + "人民路1号")
        if match is None or match.path_names != path:
            wrong.append(division.code)
    assert wrong == []


FILLER = st.text(alphabet="路街号栋层室楼大厦人民解放建设中山0123456789", max_size=8)
TOWNSHIPS = [d for d in load_divisions() if d.level is Level.TOWNSHIP and d.code[:4] == "3402"]


@given(st.sampled_from(TOWNSHIPS), FILLER, st.sampled_from([0, 1, 2]))
def test_code_of_agrees_with_resolve(division: Division, filler: str, drop: int) -> None:
    resolver = get_address_resolver()
    address = "".join(_path(division)[drop:]) + filler
    match = resolver.resolve(address, within="340200")
    assert resolver.code_of(address, within="340200") == (match and match.code)


def _shifted(resolver: AddressResolver, text: str, lo: int, hi: int) -> AddressMatch | None:
    """``resolve`` of ``text[lo:hi]`` with its positions moved into ``text``."""
    match = resolver.resolve(text[lo:hi], within="340200")
    return None if match is None else replace(match, start=lo + match.start, end=lo + match.end)


@pytest.mark.parametrize(
    "text",
    [
        "芜湖市的张三和安徽省合肥市的李四在北京路见面",  # two places across words, a street
        "河北石家庄桥西区中山西路与桥西",  # an ambiguous short form, with and without its city
        "𠀀安徽省𠀀芜湖市镜湖区城区",  # characters beyond the basic plane, a generic name
        "北京中关村大街1号，上海浦东",
    ],
)
def test_resolving_a_range_of_a_scanned_text_is_resolving_that_range_alone(
    resolver: AddressResolver, text: str
) -> None:
    scan = resolver.scan(text)
    for lo in range(len(text)):
        for hi in range(lo + 1, len(text) + 1):
            expected = _shifted(resolver, text, lo, hi)
            assert resolver.resolve_in(scan, lo, hi, within="340200") == expected, (lo, hi)


PLACES = st.sampled_from(["安徽省", "芜湖市", "芜湖", "镜湖区", "桥西区", "北京", "城区", "合肥"])
WORDS = st.sampled_from(["路", "大道", "的", "和", "人民", "1号", "，", "𠀀", "广场"])


@given(st.lists(st.one_of(PLACES, WORDS), max_size=10), st.data())
def test_any_range_resolves_as_the_range_alone(parts: list[str], data: st.DataObject) -> None:
    resolver = get_address_resolver()
    text = "".join(parts)
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    assert resolver.resolve_in(resolver.scan(text), lo, hi, within="340200") == _shifted(
        resolver, text, lo, hi
    )
