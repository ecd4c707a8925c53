"""The planted company families: members in the registry, people who cannot be strangers,
holdings and key personnel that name registry rows, and owners' shares that add up."""

from __future__ import annotations

import pytest

from smokewatch.demo.city import City
from smokewatch.demo.planters.families import FAMILY_TRUTH, owners_of, read_family_truth


@pytest.fixture(scope="module")
def truth(small_city: City) -> dict[str, dict[str, object]]:
    rows = small_city.extra_tables[FAMILY_TRUTH].to_pylist()
    return {str(f["family"]): f for f in read_family_truth(rows)}


def _members(family: dict[str, object]) -> list[str]:
    members = family["members"]
    assert isinstance(members, list)
    return [str(m) for m in members]


def test_every_member_is_a_registry_row(
    small_city: City, truth: dict[str, dict[str, object]]
) -> None:
    registry = set(small_city.enterprises.column("统一社会信用代码").to_pylist())
    for family in truth.values():
        assert set(_members(family)) <= registry


def test_holdings_and_key_personnel_name_registry_rows_and_identified_people(
    small_city: City,
) -> None:
    registry = set(small_city.enterprises.column("统一社会信用代码").to_pylist())
    holdings = small_city.extra_tables["shareholding"].to_pylist()
    officers = small_city.extra_tables["officer"].to_pylist()
    assert holdings and officers
    for row in holdings:
        assert row["企业统一社会信用代码"] in registry
        corporate = row["股东类型"] == "企业法人"
        assert (row["股东统一社会信用代码"] in registry) if corporate else row["股东证件标识"]
        assert 0 < float(row["持股比例"]) <= 1
    assert all(r["企业统一社会信用代码"] in registry and r["证件标识"] for r in officers)


def test_no_ordinary_legal_representative_shares_a_name_with_a_family_person(
    small_city: City, truth: dict[str, dict[str, object]]
) -> None:
    planted = {u for f in truth.values() for u in _members(f)}
    rows = small_city.enterprises.select(["统一社会信用代码", "法定代表人"]).to_pylist()
    ordinary = {r["法定代表人"] for r in rows if r["统一社会信用代码"] not in planted}
    people = {str(p) for f in truth.values() for p in f["people"]}  # type: ignore[attr-defined]
    seed_reps = {r["法定代表人"] for r in rows if r["统一社会信用代码"] in planted}
    assert not (people - seed_reps) & ordinary


def test_owners_shares_add_up_and_the_layered_controller_owns_every_member(
    truth: dict[str, dict[str, object]],
) -> None:
    layered = truth["family.layered"]
    ubo = layered["ubo"]
    assert isinstance(ubo, dict)
    for owners in ubo.values():
        assert sum(owners.values()) == pytest.approx(1.0)
        assert owners[layered["controller"]] >= 0.25


def test_owners_are_the_products_along_paths_summed_over_paths() -> None:
    holdings = [("s", "a", 0.5), ("s", "b", 0.5), ("a", "张三", 0.6), ("b", "张三", 0.2)]
    holdings.append(("b", "李四", 0.8))
    assert owners_of("s", holdings, {"张三", "李四"}) == {"张三": 0.4, "李四": 0.4}


def test_the_red_case_circle_states_what_the_network_rule_must_do(small_city: City) -> None:
    circle = [c for c in small_city.cases if c.pattern == "family.red_linked"]
    bands = sorted(
        (e.band or "quiet") for c in circle for e in c.expect if e.rule_id == "SW-R-0501"
    )
    assert bands == ["linked", "linked", "quiet", "strong", "strong"]
