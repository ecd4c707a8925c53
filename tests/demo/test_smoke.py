"""Smoke-index cases: designed grades, how they are written down, and how the demo checks them."""

from __future__ import annotations

from typing import Any

import pytest

from smokewatch.demo import GradeExpectation, PlantedCase, builtin_planters
from smokewatch.demo.city import City, generate_city
from smokewatch.demo.grades import SMOKE_GRADES
from smokewatch.demo.planters.smoke import SMOKE_CASES
from smokewatch.demo.pools import load_pools
from smokewatch.errors import InvalidInput
from smokewatch.score.index import RuleHit, smoke_index
from smokewatch.score.scorecard import load_scorecards
from smokewatch.services.demo_grades import NO_GRADE, GradeCheck, compare_grades
from smokewatch.text.lexicon import load_lexicon
from tests.demo.oracle import strip_clauses

CARD = load_scorecards()["SW-S-0001"].spec


@pytest.fixture(scope="module")
def city() -> City:
    """A small city with the smoke cases only (the planter needs no other)."""
    planters = tuple(p for p in builtin_planters() if p.name == "smoke_index")
    return generate_city(enterprises=500, seed=6, planters=planters)


def _smoke(city: City) -> list[PlantedCase]:
    return [c for c in city.cases if c.grade is not None]


# ---------------------------------------------------------------- grade expectations


def test_a_grade_is_met_by_itself_and_a_floor_by_anything_higher() -> None:
    assert GradeExpectation("yellow").met_by("yellow")
    assert not GradeExpectation("yellow").met_by("orange")
    assert not GradeExpectation("yellow").met_by("blue")
    floor = GradeExpectation("orange", at_least=True)
    assert floor.met_by("orange") and floor.met_by("red")
    assert not floor.met_by("yellow") and not floor.met_by(NO_GRADE) and not floor.met_by(None)


def test_unknown_grades_are_refused() -> None:
    with pytest.raises(InvalidInput, match="purple"):
        GradeExpectation("purple")


def test_every_grade_is_planted_and_a_licensed_case_too() -> None:
    grades = {c.grade.grade for c in SMOKE_CASES}
    assert grades == set(SMOKE_GRADES)
    assert any(c.grade.at_least for c in SMOKE_CASES)
    assert any(e.rule_id == "SW-R-0005" and e.fires for c in SMOKE_CASES for e in c.expect)


def test_smoke_cases_write_their_grade_into_planted_jsonl(city: City) -> None:
    objects = [c.to_json() for c in _smoke(city)]
    assert [o["pattern"] for o in objects] == [c.pattern for c in SMOKE_CASES]
    assert objects[0]["grade"] == {"scorecard": "SW-S-0001", "grade": "red", "at_least": False}
    assert list(objects[0])[-1] == "grade"


def test_the_smoke_planter_is_deterministic(city: City) -> None:
    planters = tuple(p for p in builtin_planters() if p.name == "smoke_index")
    again = generate_city(enterprises=500, seed=6, planters=planters)
    assert [c.to_json() for c in again.cases] == [c.to_json() for c in city.cases]
    assert again.documents.equals(city.documents)


# ---------------------------------------------------------------- the design, by the scorecard


def _tier(text: str) -> str:
    """The strongest tier of the restricted words in ``text`` (binding > rectification > notice)."""
    lexicon = load_lexicon("restricted_financial_words")
    tiers = {str(t.tier) for t in lexicon.terms if any(s in text for s in t.surfaces)}
    return next(t for t in ("binding", "rectification", "notice") if t in tiers)


def _registry_band(rule: str, row: dict[str, Any]) -> str:
    if rule == "SW-R-0001":
        return f"{_tier(row['企业名称'])}_word"
    if rule == "SW-R-0002":
        scope = strip_clauses(row["经营范围"])
        activities = "".join(a for a in load_pools().restricted_activities if a in scope)
        return f"{_tier(activities)}_activity"
    raise AssertionError(f"smoke cases are not designed around {rule}")


def _hits(city: City, case: PlantedCase) -> list[RuleHit]:
    """The findings a smoke case is expected to collect: its own and its documents'."""
    (row,) = [r for r in city.enterprises.to_pylist() if r["统一社会信用代码"] == case.uscc]
    hits = [
        RuleHit(e.rule_id, 1, e.band or _registry_band(e.rule_id, row), f"{e.rule_id}", "", "")
        for e in case.expect
        if e.fires
    ]
    by_reference = {c.reference: c for c in city.cases if c.subject_table == "document"}
    for document in city.documents.to_pylist():
        attributed = document["主体信用代码"] == case.uscc
        mentioned = document["相关主体"] is None and case.name in document["正文"]
        for e in by_reference[document["编号"]].expect:
            # A news item reaches the company it names only through SW-R-0104's mention.
            if e.fires and (attributed or (mentioned and e.rule_id == "SW-R-0104")):
                assert e.band is not None, (case.pattern, document["编号"], e.rule_id)
                finding = f"{document['编号']}:{e.rule_id}"
                hits.append(RuleHit(e.rule_id, 1, e.band, finding, "", "", via="document"))
    return hits


def test_each_smoke_case_reaches_its_grade_by_the_scorecard(city: City) -> None:
    reached = {
        c.pattern: smoke_index(CARD, c.key, rules=_hits(city, c)).grade for c in _smoke(city)
    }
    assert all(c.grade is not None and c.grade.met_by(reached[c.pattern]) for c in _smoke(city))
    assert reached["smoke.orange_case"] == "orange"


def test_smoke_cases_keep_a_margin_from_the_next_grade(city: City) -> None:
    minimum = {g.code: g.min for g in CARD.grades}
    for case in _smoke(city):
        index = float(smoke_index(CARD, case.key, rules=_hits(city, case)).index)
        grade = case.grade.grade if case.grade else ""
        higher = SMOKE_GRADES[SMOKE_GRADES.index(grade) - 1] if grade != "red" else None
        if case.grade and not case.grade.at_least:
            assert index >= minimum[grade] + 5, case.pattern
        if higher is not None and case.grade and not case.grade.at_least:
            assert index <= minimum[higher] - 5, case.pattern


def test_the_licence_keeps_the_licensed_case_a_grade_lower(city: City) -> None:
    (case,) = [c for c in _smoke(city) if c.pattern == "smoke.licensed"]
    hits = _hits(city, case)
    unlicensed = [h for h in hits if h.rule_id != "SW-R-0005"]
    assert smoke_index(CARD, case.key, rules=hits).grade == "blue"
    assert smoke_index(CARD, case.key, rules=unlicensed).grade == "yellow"


# ---------------------------------------------------------------- the demo's grade check


def _planted(pattern: str, uscc: str, grade: str, *, at_least: bool = False) -> dict[str, Any]:
    return {
        "pattern": pattern,
        "uscc": uscc,
        "name": f"芜湖{pattern}有限公司",
        "expect": [],
        "note": "-",
        "grade": {"scorecard": "SW-S-0001", "grade": grade, "at_least": at_least},
    }


def test_the_grade_check_reports_met_and_missed_expectations() -> None:
    cases = [
        _planted("smoke.a", "U1", "red"),
        _planted("smoke.b", "U2", "yellow"),
        _planted("smoke.c", "U3", "orange", at_least=True),
        _planted("smoke.d", "U4", "blue"),
        {"pattern": "name.x", "uscc": "U5", "name": "x", "expect": [], "note": "-"},
    ]
    reached = {
        "enterprise:U1": ("red", 88.0),
        "enterprise:U2": ("blue", 20.0),
        "enterprise:U3": ("red", 90.0),
        "enterprise:U5": ("red", 99.0),
    }
    compared = compare_grades(cases, reached)
    assert [(c.pattern, c.reached, c.met) for c in compared] == [
        ("smoke.a", "red", True),
        ("smoke.b", "blue", False),
        ("smoke.c", "red", True),
        ("smoke.d", NO_GRADE, False),
    ]
    check = GradeCheck("SW-S-0001", {"red": 3, "blue": 1}, {"raised": 3}, compared, unplanted=0)
    assert check.met == 2
    assert check.misses == (
        "smoke.b 芜湖smoke.b有限公司: reached blue (20), expected yellow",
        "smoke.d 芜湖smoke.d有限公司: reached none (0), expected blue",
    )
    stats = check.stats()
    assert (stats["expected"], stats["met"], stats["alerts"]) == (4, 2, {"raised": 3})
    assert stats["cases"][2]["expected"] == "≥ orange"
