from __future__ import annotations

import re

from smokewatch.demo.pools import load_pools
from smokewatch.model._yaml import load_yaml_resource, package_dir
from smokewatch.model.divisions import Level, load_divisions
from smokewatch.model.vocab import get_vocabulary
from smokewatch.text.address import short_form
from tests.demo.oracle import scope_activities


def test_trade_names_are_unique_and_hundreds_strong() -> None:
    names = load_pools().trade_names
    assert len(names) == len(set(names)) > 1_000


def test_trade_names_carry_no_restricted_word() -> None:
    pools = load_pools()
    assert [n for n in pools.trade_names if any(w in n for w in pools.restricted_words)] == []


def test_no_combined_trade_name_spells_a_county_or_higher_division() -> None:
    """安 + 阳 would read 安阳, a city: the registry refuses such a 字号 and so does the pool."""
    raw = load_yaml_resource(package_dir("smokewatch.demo", "data") / "names.yml")
    listed = set(raw["trade_names"])
    places = {
        name
        for division in load_divisions()
        if division.level is not Level.TOWNSHIP
        for name in (division.name, short_form(division.name, division.level))
        if name is not None
    }
    combined = [n for n in load_pools().trade_names if n not in listed]
    assert "安阳" in places and len(combined) > 1000
    assert [n for n in combined if n in places] == []


def test_about_twenty_industries_each_with_a_gb4754_code() -> None:
    industries = load_pools().industries
    assert 18 <= len(industries) <= 30
    assert all(re.fullmatch(r"[A-T]\d{4}", i.code) for i in industries)


def test_industry_words_and_items_carry_no_restricted_word() -> None:
    pools = load_pools()
    texts = [
        t
        for i in pools.industries
        for t in (*i.words, *i.shops, *i.coops, *i.general, *i.adjacent, *i.licensed)
    ]
    assert [t for t in texts if any(w in t for w in pools.restricted_words)] == []


def test_industry_scope_items_list_no_restricted_activity() -> None:
    pools = load_pools()
    items = [t for i in pools.industries for t in (*i.general, *i.adjacent, *i.licensed)]
    assert [t for t in items if scope_activities(t)] == []


def test_the_prohibition_clause_mentions_finance() -> None:
    clause = load_pools().clauses.prohibition
    assert "金融" in clause
    assert clause.startswith("（")


def test_counties_are_current_divisions_of_wuhu() -> None:
    divisions = load_divisions()
    for county in load_pools().counties:
        assert divisions[county.code].is_current
        assert divisions[county.code].parent == "340200"


def test_townships_are_current_children_of_their_county() -> None:
    divisions = load_divisions()
    for county in load_pools().counties:
        assert county.townships
        assert all(divisions[t.code].parent == county.code for t in county.townships)
        assert all(divisions[t.code].is_current for t in county.townships)


def test_former_county_codes_are_obsolete_divisions_of_wuhu() -> None:
    divisions = load_divisions()
    former = [c.former_code for c in load_pools().counties if c.former_code]
    assert former
    assert all(divisions[code].parent == "340200" for code in former)
    assert not any(divisions[code].is_current for code in former)


def test_every_licence_style_names_a_licence_kind() -> None:
    kinds = get_vocabulary("licence_kind")
    assert all(kind in kinds for kind in load_pools().licence_styles)


def test_surnames_have_positive_weights() -> None:
    pools = load_pools()
    assert len(pools.surnames) == len(pools.surname_weights) > 50
    assert min(pools.surname_weights) > 0
