"""Expectations for SW-R-0005, 0105 and 0106, and the cases planted for them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from smokewatch.demo import PlantContext, Planter, RuleFacts, attribution, builtin_planters
from smokewatch.demo.attribution import (
    Attributed,
    ComplaintFacts,
    SpreadFacts,
    complaint_facts,
    complete_cases,
    licence_expectation,
    read_documents,
    spread_facts,
)
from smokewatch.demo.city import City, generate_city
from smokewatch.demo.planters.attention import COMPLAINT_CASES, OTHER_CITY_ADCODE, SPREAD_CASES
from smokewatch.demo.planting import Expectation, Plantation
from smokewatch.demo.pools import load_pools
from smokewatch.demo.records import DocumentRecord, LicenceRecord
from smokewatch.demo.registry import RegistryGenerator
from smokewatch.detect.rules import load_rules
from smokewatch.errors import InvalidInput

AS_OF = date(2026, 11, 1)
USCC = "91340200MA2N0XQ01A"
NAME = "芜湖鑫源商务信息咨询有限公司"


def _doc(kind: str, days: int, **extra: Any) -> Attributed:
    fields: dict[str, Any] = {
        "outlet": "微信公众号",
        "adcode": "340202",
        "subject_name": NAME,
        "subject_uscc": USCC,
    }
    return Attributed(kind, AS_OF - timedelta(days=days), **(fields | extra))


# ---------------------------------------------------------------- the rules' own parameters


@pytest.mark.parametrize(
    ("rule", "parameter", "constant"),
    [
        ("SW-R-0105", "lookback_days", "COMPLAINT_WINDOW_DAYS"),
        ("SW-R-0105", "min_complaints", "MIN_COMPLAINTS"),
        ("SW-R-0105", "many_complaints", "MANY_COMPLAINTS"),
        ("SW-R-0106", "lookback_days", "SPREAD_WINDOW_DAYS"),
        ("SW-R-0106", "min_outlets", "MIN_OUTLETS"),
        ("SW-R-0106", "min_cities", "MIN_CITIES"),
        ("SW-R-0106", "min_recent", "MIN_RECENT"),
    ],
)
def test_expectations_count_with_the_rules_default_parameters(
    rule: str, parameter: str, constant: str
) -> None:
    (spec,) = [r.spec for r in load_rules() if r.id == rule]
    assert spec.parameters[parameter].default == getattr(attribution, constant)


# ---------------------------------------------------------------- SW-R-0105


@pytest.mark.parametrize(
    ("ages", "band"),
    [
        ([10], None),
        ([10, 365], "several"),
        ([10, 366], None),
        ([1, 50, 100, 200, 300], "many"),
        ([400, 500, 600], None),
    ],
)
def test_complaints_count_within_the_year(ages: list[int], band: str | None) -> None:
    facts = complaint_facts([_doc("complaint", a) for a in ages], AS_OF)
    assert facts.expectation() == Expectation("SW-R-0105", band is not None, band)


def test_only_complaints_count_as_complaints() -> None:
    facts = complaint_facts([_doc("ad", 10), _doc("news", 20), _doc("complaint", 30)], AS_OF)
    assert facts == ComplaintFacts(complaints=1, recent=1)


def test_documents_reach_an_enterprise_by_uscc_else_by_exact_name() -> None:
    assert _doc("complaint", 1).about(USCC, NAME)
    assert not _doc("complaint", 1, subject_uscc="91340200MA2N0XQ02Y").about(USCC, NAME)
    assert _doc("complaint", 1, subject_uscc=None).about(USCC, NAME)
    assert not _doc("complaint", 1, subject_uscc=None, subject_name="鑫源理财").about(USCC, NAME)


# ---------------------------------------------------------------- SW-R-0106


@pytest.mark.parametrize(
    ("docs", "band"),
    [
        ([("ad", 10, "a"), ("ad", 20, "b"), ("sms", 30, "c")], "wide_and_growing"),
        ([("ad", 10, "a"), ("ad", 100, "b"), ("ad", 150, "c")], "wide"),
        ([("sms", 10, "a"), ("sms", 20, "a"), ("sms", 90, "a")], "growing"),
        ([("sms", 10, "a"), ("sms", 20, "a"), ("sms", 91, "a")], None),
        ([("sms", 10, "a"), ("sms", 20, "a"), ("sms", 30, "a"), ("sms", 100, "a")], "growing"),
        ([("ad", 181, "a"), ("ad", 200, "b"), ("ad", 250, "c")], None),
        ([("notice", 10, "a"), ("notice", 20, "b"), ("notice", 30, "c")], None),
        ([("ad", 10, "a")], None),
    ],
)
def test_spread_is_wide_on_outlets_and_growing_on_the_last_90_days(
    docs: list[tuple[str, int, str]], band: str | None
) -> None:
    facts = spread_facts([_doc(k, d, outlet=o) for k, d, o in docs], AS_OF)
    assert facts.expectation() == Expectation("SW-R-0106", band is not None, band)


def test_two_cities_are_a_wide_spread() -> None:
    docs = [_doc("ad", 10), _doc("ad", 120, adcode=OTHER_CITY_ADCODE)]
    assert spread_facts(docs, AS_OF) == SpreadFacts(2, 1, 2, 1, 1)
    assert spread_facts(docs, AS_OF).expectation().band == "wide"


def test_growth_needs_twice_the_90_days_before() -> None:
    assert SpreadFacts(promotions=5, outlets=1, recent=3, before=2).expectation().fires is False
    assert SpreadFacts(promotions=4, outlets=1, recent=3, before=1).expectation().band == "growing"


def test_export_rows_resolve_their_kind_wording() -> None:
    hotline = "12345政务服务便民热线"
    record = DocumentRecord("TS-1", "complaint", "举报", "……", AS_OF, outlet=hotline)
    (read,) = read_documents([record.to_row()])
    assert (read.kind, read.published_on, read.outlet) == ("complaint", AS_OF, hotline)


# ---------------------------------------------------------------- SW-R-0005


def _licence(**extra: Any) -> LicenceRecord:
    fields: dict[str, Any] = {
        "holder_name": NAME,
        "holder_uscc": USCC,
        "kind": "microcredit",
        "number": "1",
        "issuer": "安徽省地方金融管理局",
        "valid_from": AS_OF - timedelta(days=400),
        "valid_to": None,
    }
    return LicenceRecord(**(fields | extra))


@pytest.mark.parametrize(
    ("licences", "fires"),
    [
        ([_licence()], True),
        ([_licence(status="expired")], False),
        ([_licence(status="suspended")], False),
        ([_licence(valid_to=AS_OF - timedelta(days=1))], False),
        ([_licence(valid_to=AS_OF)], True),
        ([_licence(valid_from=AS_OF + timedelta(days=1))], False),
        ([_licence(status="expired"), _licence(number="2")], True),
        ([_licence(holder_uscc=None)], True),
        ([_licence(holder_uscc="91340200MA2N0XQ02Y")], False),
    ],
)
def test_a_valid_licence_on_the_as_of_date_fires_the_qualifier(
    licences: list[LicenceRecord], fires: bool
) -> None:
    assert licence_expectation(licences, USCC, NAME, AS_OF).fires is fires


# ---------------------------------------------------------------- completing the cases


def _context(plantation: Plantation) -> PlantContext:
    pools = load_pools()
    city = RegistryGenerator(pools, seed=1, as_of=AS_OF).city
    return PlantContext(
        planter="probe", seed=1, as_of=AS_OF, pools=pools, city=city, plantation=plantation
    )


def test_every_enterprise_case_gets_the_three_expectations_in_rule_order() -> None:
    plantation = Plantation()
    ctx = _context(plantation)
    ctx.plant("probe", ctx.enterprise(name=NAME, business_scope="软件开发"), RuleFacts(), "-")
    (case,) = complete_cases(plantation, AS_OF)
    assert [e.rule_id for e in case.expect] == [
        "SW-R-0001",
        "SW-R-0002",
        "SW-R-0003",
        "SW-R-0004",
        "SW-R-0005",
        "SW-R-0105",
        "SW-R-0106",
    ]
    assert not any(e.fires for e in case.expect)


def test_a_stated_expectation_the_documents_contradict_is_refused() -> None:
    plantation = Plantation()
    ctx = _context(plantation)
    record = ctx.enterprise(name=NAME, business_scope="软件开发")
    wrong = Expectation("SW-R-0105", True, "many")
    ctx.plant("probe", record, RuleFacts(), "-", expect=(wrong,))
    with pytest.raises(InvalidInput, match="SW-R-0105"):
        complete_cases(plantation, AS_OF)


# ---------------------------------------------------------------- the planted cases


def _new_planters() -> tuple[Planter, ...]:
    wanted = {"licence_qualifier", "complaints", "spread"}
    return tuple(p for p in builtin_planters() if p.name in wanted)


@pytest.fixture(scope="module")
def city() -> City:
    """A small city with only the planters of this issue (they need no other planter)."""
    return generate_city(enterprises=600, seed=4, planters=_new_planters())


def _band(city: City, pattern: str, rule: str) -> list[tuple[bool, str | None]]:
    return [
        (e.fires, e.band)
        for c in city.cases
        if c.pattern == pattern
        for e in c.expect
        if e.rule_id == rule
    ]


@pytest.mark.parametrize(
    ("cases", "rule"), [(COMPLAINT_CASES, "SW-R-0105"), (SPREAD_CASES, "SW-R-0106")]
)
def test_every_case_reaches_the_band_it_was_designed_for(city: City, cases: Any, rule: str) -> None:
    for case in cases:
        assert _band(city, case.pattern, rule) == [(case.band is not None, case.band)]


def test_every_band_is_planted_with_near_misses() -> None:
    bands = {c.band for c in COMPLAINT_CASES} | {c.band for c in SPREAD_CASES}
    assert bands == {"many", "several", "wide_and_growing", "wide", "growing", None}
    assert sum(c.band is None for c in COMPLAINT_CASES) >= 3
    assert sum(c.band is None for c in SPREAD_CASES) >= 3


@pytest.mark.parametrize(
    ("pattern", "fires"),
    [
        ("licensed.qualifier_expired", False),
        ("licensed.qualifier_suspended", False),
        ("licensed.qualifier_not_yet", False),
        ("licensed.qualifier_renewed", True),
    ],
)
def test_licence_qualifier_cases(city: City, pattern: str, fires: bool) -> None:
    assert _band(city, pattern, "SW-R-0005") == [(fires, "licensed" if fires else None)]


def test_unknown_name_complaints_carry_no_uscc_and_no_registered_name(city: City) -> None:
    (case,) = [c for c in city.cases if c.pattern == "complaints.unknown_name"]
    names = set(city.enterprises.column("企业名称").to_pylist())
    rows = [r for r in city.documents.to_pylist() if r["相关主体"] and r["相关主体"] not in names]
    assert len(rows) == 3
    assert all(r["主体信用代码"] is None and r["相关主体"] in r["正文"] for r in rows)
    assert case.fires("SW-R-0105") is False


def test_the_new_planters_are_deterministic(city: City) -> None:
    again = generate_city(enterprises=600, seed=4, planters=_new_planters())
    assert [c.to_json() for c in again.cases] == [c.to_json() for c in city.cases]
    assert again.documents.equals(city.documents)
    other = generate_city(enterprises=600, seed=5, planters=_new_planters())
    assert [c.name for c in other.cases] != [c.name for c in city.cases]


def test_adding_the_new_planters_changes_nothing_the_others_planted() -> None:
    planters = builtin_planters()
    first = next(i for i, p in enumerate(planters) if p.name == "licence_qualifier")
    before = generate_city(enterprises=1_000, seed=3, planters=planters[:first])
    after = generate_city(enterprises=1_000, seed=3)
    same = after.cases[: len(before.cases)]
    assert [replace(c, expect=c.expect[:4]) for c in same] == [
        replace(c, expect=c.expect[:4]) for c in before.cases
    ]
    assert after.documents.slice(0, before.documents.num_rows).equals(before.documents)
