from __future__ import annotations

import pytest

from smokewatch.demo.city import City
from smokewatch.demo.pools import load_pools

POOLS = load_pools()


def _names(city: City, prefix: str) -> list[str]:
    return [c.name for c in city.cases if c.pattern.startswith(prefix)]


def _scopes(city: City, prefix: str) -> list[str]:
    planted = {c.uscc for c in city.cases if c.pattern.startswith(prefix)}
    rows = city.enterprises.select(["统一社会信用代码", "经营范围"]).to_pylist()
    return [r["经营范围"] for r in rows if r["统一社会信用代码"] in planted]


@pytest.mark.parametrize("word", POOLS.restricted_binding)
def test_every_binding_word_is_planted_in_an_unlicensed_name(small_city: City, word: str) -> None:
    assert any(word in n for n in _names(small_city, "name.binding_word_unlicensed"))


@pytest.mark.parametrize("word", [w for w in POOLS.restricted_2016 if w != "P2P"])
def test_every_2016_word_is_planted_in_an_unlicensed_name(small_city: City, word: str) -> None:
    assert any(word in n for n in _names(small_city, "name.list2016_word_unlicensed"))


def test_p2p_is_planted_in_a_scope_because_names_cannot_carry_latin_letters(
    small_city: City,
) -> None:
    assert any("P2P" in s for s in _scopes(small_city, "scope.activity_unlicensed"))


@pytest.mark.parametrize("activity", POOLS.restricted_activities)
def test_every_restricted_activity_is_planted_in_a_scope(small_city: City, activity: str) -> None:
    assert any(activity in s for s in _scopes(small_city, "scope.activity_unlicensed"))


@pytest.mark.parametrize(
    "text", ["理发店", "财富广场物业", "二手车交易市场", "资产评估事务所", "投资咨询"]
)
def test_near_miss_names_are_planted(small_city: City, text: str) -> None:
    assert any(text in n for n in _names(small_city, "near_miss."))


def test_own_funds_investment_is_planted_in_a_near_miss_scope(small_city: City) -> None:
    assert any("以自有资金从事投资活动" in s for s in _scopes(small_city, "near_miss."))


@pytest.mark.parametrize(
    "pattern",
    [
        "name.licence_expired",
        "name.licence_lapsed_by_date",
        "name.licence_revoked",
        "name.licence_wrong_kind",
        "name.licensed",
    ],
)
def test_licence_patterns_come_with_a_licence_of_the_holder(small_city: City, pattern: str) -> None:
    holders = set(small_city.licences.column("统一社会信用代码").to_pylist())
    cases = [c for c in small_city.cases if c.pattern == pattern]
    assert cases
    assert all(c.uscc in holders for c in cases)


def test_planted_uscc_values_are_unique(small_city: City) -> None:
    codes = [c.uscc for c in small_city.cases if c.subject_table == "enterprise"]
    assert len(set(codes)) == len(codes)


def test_platforms_carry_the_division_code_of_their_office(small_city: City) -> None:
    rows = small_city.extra_tables["platform"].to_pylist()
    counties = {c.code: c.name for c in POOLS.counties}
    assert all(counties[r["行政区划代码"]] in r["办公地址"] for r in rows)
    assert len({r["行政区划代码"] for r in rows}) > 1  # they route to several counties
