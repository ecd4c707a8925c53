"""The demo's smoke index against its planted truth: grades, reasons and clean controls.

The expectations come from the planting records the generator wrote (``demo/planted.jsonl``):
the grade a smoke case was designed for, the rules each enterprise case expects to fire, and
the documents that name each enterprise. The results come from the demo workspace's store.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from smokewatch.score.scorecard import load_scorecards
from smokewatch.services import sector_trends, users
from smokewatch.services.demo import DemoSummary, init_demo
from smokewatch.services.demo_grades import (
    NO_GRADE,
    Explained,
    GradeCheck,
    case_key,
    expected_reasons,
    explain,
    read_cases,
    scored_bands,
)
from smokewatch.services.workspace import open_store
from smokewatch.settings import load_settings
from smokewatch.store.orm import Finding, Score

CARD = load_scorecards()["SW-S-0001"].spec

DESIGNED = ("smoke.", "complaints.", "spread.", "licensed.")
"""Patterns of the cases built around the smoke index and the rules it reads beyond names."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    """``demo init`` of a 3,000-enterprise city (the whole pipeline), once for this module."""
    return init_demo(tmp_path_factory.mktemp("demo") / "demo", enterprises=3_000)


@pytest.fixture(scope="module")
def grades(demo: DemoSummary) -> GradeCheck:
    assert demo.grades is not None
    return demo.grades


@pytest.fixture(scope="module")
def planted(demo: DemoSummary) -> list[dict[str, Any]]:
    return read_cases(demo.workspace / "demo" / "planted.jsonl")


# ---------------------------------------------------------------- the demo city, scored


def test_every_smoke_case_reaches_the_grade_it_was_planted_for(
    grades: GradeCheck, planted: list[dict[str, Any]]
) -> None:
    designed = {
        c["pattern"]: c["grade"]
        for c in planted
        if "grade" in c and c["grade"]["scorecard"] == grades.scorecard
    }
    assert {c.pattern for c in grades.cases} == set(designed) and designed
    assert grades.misses == ()
    for case in grades.cases:
        wanted = designed[case.pattern]
        assert case.expected.grade == wanted["grade"]
        assert case.expected.met_by(case.reached), case


def test_the_city_has_red_orange_yellow_and_blue_entities_and_alerts_for_the_top_two(
    grades: GradeCheck,
) -> None:
    assert all(grades.by_grade.get(g, 0) >= 1 for g in ("red", "orange", "yellow", "blue"))
    assert grades.alerts["raised"] == grades.by_grade["red"] + grades.by_grade["orange"]


def test_designed_cases_are_explained_by_exactly_the_rules_planted_for_them(
    grades: GradeCheck,
) -> None:
    designed = [e for e in grades.explained if e.pattern.startswith(DESIGNED)]
    assert len(designed) >= 20
    assert [e.why() for e in designed if not e.met] == []
    smoke = [e for e in designed if e.pattern.startswith("smoke.")]
    assert all(e.reached and e.grade != NO_GRADE for e in smoke)


def test_controls_stay_clean_and_no_ordinary_enterprise_is_scored(grades: GradeCheck) -> None:
    controls = grades.controls
    assert len(controls) >= 20
    assert {e.pattern.split(".")[0] for e in controls} >= {"licensed", "near_miss", "scope"}
    assert [e.why() for e in controls if not e.met] == []
    assert all(e.grade == NO_GRADE and e.index == 0 for e in controls)
    assert grades.unplanted == 0


def test_every_planted_enterprise_is_explained_by_exactly_its_planted_rules(
    grades: GradeCheck,
) -> None:
    assert grades.reason_misses == ()


def test_the_top_entities_show_their_strongest_reasons_first(grades: GradeCheck) -> None:
    assert {t.grade for t in grades.top} == {"red", "orange", "yellow", "blue"}
    for top in grades.top:
        points = [p for p, _ in top.reasons]
        assert points == sorted(points, reverse=True) and 1 <= len(points) <= 3
        assert all(reason for _, reason in top.reasons)
    red = [t for t in grades.top if t.grade == "red"]
    assert [t.index for t in red] == sorted((t.index for t in red), reverse=True)


def test_the_check_is_recorded_with_the_demo_run(demo: DemoSummary, grades: GradeCheck) -> None:
    stats = grades.stats()
    assert (
        stats["explained"]
        == len(grades.explained)
        == stats["explained_met"] + len(stats["reason_misses"])
    )
    assert stats["controls_clean"] == stats["controls"] == len(grades.controls)
    assert demo.score is not None and demo.score.as_of == demo.as_of


# ---------------------------------------------------------------- the comparison itself


def _enterprise(pattern: str, uscc: str, *fires: str, band: str | None = None) -> dict[str, Any]:
    expect = [{"rule_id": r, "fires": True} | ({"band": band} if band else {}) for r in fires]
    expect.append({"rule_id": "SW-R-0003", "fires": False})
    return {"pattern": pattern, "uscc": uscc, "name": pattern, "expect": expect, "note": "-"}


def _document(reference: str, about: str | None, *fires: tuple[str, str]) -> dict[str, Any]:
    return {
        "pattern": "document.x",
        "subject_table": "document",
        "reference": reference,
        "about": about,
        "uscc": None,
        "name": reference,
        "expect": [{"rule_id": r, "fires": True, "band": b} for r, b in fires],
        "note": "-",
    }


def test_expected_reasons_join_the_enterprise_and_the_documents_naming_it() -> None:
    cases = [
        _enterprise("name.a", "U1", "SW-R-0001"),
        _enterprise("near_miss.b", "U2"),
        _document("D1", "U1", ("SW-R-0101", "high"), ("SW-R-0102", "guarantee")),
        _document("D2", None, ("SW-R-0104", "case_or_collapse")),
        _document("D3", "U2", ("SW-R-0104", "not_a_scored_band")),
    ]
    expected = expected_reasons(cases, scored_bands(CARD))
    assert expected == {
        "enterprise:U1": frozenset({"SW-R-0001", "SW-R-0101", "SW-R-0102"}),
        "enterprise:U2": frozenset(),
    }


def test_the_qualifier_is_no_reason_and_rules_outside_the_card_do_not_count() -> None:
    cases = [_enterprise("licensed.a", "U1", "SW-R-0005", "SW-R-9999", band="licensed")]
    assert expected_reasons(cases, scored_bands(CARD)) == {"enterprise:U1": frozenset()}


def _score(index: float, grade: str, *sources: str) -> Score:
    lines = [{"kind": "component", "source": f"{s}@1", "points": 1.0} for s in sources]
    lines.append({"kind": "cap", "source": None, "points": -1.0})
    return Score(score=index, grade=grade, contributions=lines)


def test_explain_reports_missing_and_unexpected_rules_and_unscored_controls() -> None:
    cases = [
        _enterprise("smoke.a", "U1", "SW-R-0001"),
        _enterprise("smoke.b", "U2", "SW-R-0001"),
        _enterprise("near_miss.c", "U3"),
        _enterprise("near_miss.d", "U4"),
    ]
    expected = expected_reasons(cases, scored_bands(CARD))
    scores = {
        case_key(cases[0]): _score(15, "blue", "SW-R-0001"),
        case_key(cases[1]): _score(30, "blue", "SW-R-0105"),
        case_key(cases[3]): _score(8, NO_GRADE, "SW-R-0106"),
    }
    explained = explain(cases, expected, scores)
    assert [(e.pattern, e.met, e.control) for e in explained] == [
        ("smoke.a", True, False),
        ("smoke.b", False, False),
        ("near_miss.c", True, True),
        ("near_miss.d", False, True),
    ]
    assert (
        explained[1].why() == "smoke.b smoke.b (blue 30): missing SW-R-0001; unexpected SW-R-0105"
    )
    assert explained[2] == Explained(
        "near_miss.c", "near_miss.c", frozenset(), frozenset(), NO_GRADE, 0.0
    )
    check = GradeCheck("SW-S-0001", {}, {}, (), unplanted=0, explained=explained)
    assert [e.pattern for e in check.controls] == ["near_miss.c", "near_miss.d"]
    assert check.stats()["controls_clean"] == 1


# ---------------------------------------------------------------- routing and the mechanism


def test_findings_are_routed_to_the_division_of_their_subject(demo: DemoSummary) -> None:
    with open_store(load_settings(demo.workspace)) as store, store.read_session() as session:
        rows = session.execute(
            sa.select(Finding.subject_table, Finding.adcode).where(
                Finding.run_id == demo.detect.run_id
            )
        ).all()
    enterprises = [adcode for table, adcode in rows if table == "enterprise"]
    assert enterprises and all(a is not None and a.startswith("3402") for a in enterprises)
    documents = [adcode for table, adcode in rows if table == "document"]
    # A document is routed to the place it names (an ad may name another city's office).
    assert any(a is not None and a.startswith("3402") for a in documents)


def test_demo_init_seeds_the_mechanism_with_cases_from_its_alerts(demo: DemoSummary) -> None:
    assert demo.mechanism is not None
    # Alerts first, then scored entities of the district: every planted case but the bank's
    # report is about an entity of the demo city.
    about = {c.key for c in demo.mechanism.cases if c.subject_id}
    assert about == {c.key for c in demo.mechanism.cases} - {"bank_report"}
    assert [c.key for c in demo.mechanism.cases if c.overdue] == ["overdue"]


# ---------------------------------------------------------------- the simulated past months


def test_the_demo_scores_six_month_starts_and_the_signals_accumulate(demo: DemoSummary) -> None:
    assert demo.history is not None
    settings = load_settings(demo.workspace)
    with open_store(settings) as store, store.read_session() as session:
        rows = session.execute(
            sa.select(Score.subject_id, Score.as_of, Score.score, Score.grade).where(
                Score.scorecard_id == CARD.id, Score.shadow.is_(False)
            )
        ).all()
    days = sorted({r.as_of for r in rows})
    assert days == [*demo.history.dates, demo.as_of]
    latest = {r.subject_id: r.score for r in rows if r.as_of == demo.as_of}
    earlier = [r for r in rows if r.as_of != demo.as_of]
    assert earlier and all(r.score <= latest[r.subject_id] for r in earlier)
    red = [sum(1 for r in rows if r.as_of == d and r.grade == "red") for d in days]
    assert red[0] < red[-1], red


def test_the_demo_publishes_its_sectors_for_the_overview(demo: DemoSummary) -> None:
    settings = load_settings(demo.workspace)
    with open_store(settings) as store:
        panel = sector_trends.overview(store, users.system_actor("tests"))
    assert {"online_lending", "microcredit"} <= {s["sector"] for s in panel}
    assert all(len(s["chart"]["months"]) >= 2 for s in panel)
