"""The smoke index: contributions add up, caps and qualifiers explain themselves, monotone."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from smokewatch.score.index import ModelHit, RuleHit, smoke_index
from smokewatch.score.scorecard import ScorecardSpec, load_scorecards

CARD: ScorecardSpec = load_scorecards()["SW-S-0001"].spec


def _hit(rule: str, band: str, finding: str, via: str = "document") -> RuleHit:
    return RuleHit(rule, 1, band, finding, f"{rule} {band}", f"{rule} {band}", via=via)  # type: ignore[arg-type]


def _total(result: object) -> Decimal:
    return sum((c.points for c in result.contributions), Decimal(0))  # type: ignore[attr-defined]


def test_nothing_known_is_zero_without_a_grade() -> None:
    result = smoke_index(CARD, "e1")
    assert result.index == 0
    assert result.grade == "none"
    assert result.contributions == ()


def test_the_strongest_band_counts_then_each_more_up_to_the_component_max() -> None:
    hits = [_hit("SW-R-0102", "return_promise", f"f{i}") for i in range(3)]
    hits.append(_hit("SW-R-0102", "guarantee", "g1"))
    result = smoke_index(CARD, "e1", rules=hits)
    lure = [c for c in result.contributions if c.dimension == "lure"]
    assert [c.points for c in lure] == [Decimal(18), Decimal(2)]  # 18 + 2 = max 20
    assert lure[0].evidence == ("g1",)
    assert result.dimensions["lure"] == 20


def test_a_dimension_over_its_cap_says_so() -> None:
    hits = [
        _hit("SW-R-0001", "binding_word", "a", via="subject"),
        _hit("SW-R-0002", "binding_activity", "b", via="subject"),
        _hit("SW-R-0003", "capital_and_staff", "c", via="subject"),
    ]
    result = smoke_index(CARD, "e1", rules=hits)
    (cap,) = [c for c in result.contributions if c.kind == "cap"]
    assert cap.points == Decimal(30) - Decimal(42)
    assert result.dimensions["compliance"] == 30
    assert result.index == _total(result) == 30


def test_a_qualifier_lowers_its_dimensions_with_its_reason() -> None:
    hits = [
        _hit("SW-R-0101", "above_legal_ceiling", "r1"),
        _hit("SW-R-0005", "licensed", "l1", via="subject"),
    ]
    result = smoke_index(CARD, "e1", rules=hits)
    (qualifier,) = [c for c in result.contributions if c.kind == "qualifier"]
    assert qualifier.points == Decimal(-11)
    assert qualifier.evidence == ("l1",)
    assert "许可证" in qualifier.reason_zh
    assert result.index == 11


def test_a_reported_case_puts_the_entity_at_least_at_orange() -> None:
    result = smoke_index(CARD, "e1", rules=[_hit("SW-R-0104", "case_or_collapse", "n1")])
    assert result.grade == "orange"
    assert result.index == 55
    assert [c.kind for c in result.contributions] == ["component", "floor"]
    assert result.index == _total(result)


def test_model_points_follow_the_probability_above_its_minimum() -> None:
    low = smoke_index(CARD, "e1", models=[ModelHit("enterprise-risk", "v", 0.1)])
    assert low.index == 0
    high = smoke_index(CARD, "e1", models=[ModelHit("enterprise-risk", "v", 0.8, ("资本高",))])
    assert high.index == 16
    assert "80%" in high.contributions[0].reason_zh
    assert "资本高" in high.contributions[0].reason_zh


RULE_HITS = st.lists(
    st.sampled_from(
        [
            ("SW-R-0001", "binding_word", "subject"),
            ("SW-R-0001", "notice_word", "subject"),
            ("SW-R-0002", "licence_lapsed", "subject"),
            ("SW-R-0003", "staff", "subject"),
            ("SW-R-0004", "name_pivot", "subject"),
            ("SW-R-0101", "high", "document"),
            ("SW-R-0101", "above_legal_ceiling", "document"),
            ("SW-R-0102", "guarantee", "document"),
            ("SW-R-0103", "pyramid", "document"),
            ("SW-R-0104", "case_or_collapse", "document"),
            ("SW-R-0104", "closure_or_complaints", "document"),
            ("SW-R-0105", "many", "subject"),
            ("SW-R-0106", "wide", "subject"),
            ("SW-R-0005", "licensed", "subject"),
        ]
    ),
    max_size=12,
)


def _rules(raw: list[tuple[str, str, str]]) -> list[RuleHit]:
    return [_hit(rule, band, f"f{i}", via) for i, (rule, band, via) in enumerate(raw)]


@settings(max_examples=300, deadline=None)
@given(
    RULE_HITS,
    st.sampled_from(
        [
            ("SW-R-0102", "return_promise", "document"),
            ("SW-R-0101", "elevated", "document"),
            ("SW-R-0001", "rectification_word", "subject"),
            ("SW-R-0104", "case_or_collapse", "document"),
            ("SW-R-0106", "growing", "subject"),
        ]
    ),
    st.one_of(st.none(), st.floats(0, 1)),
)
def test_adding_a_risk_finding_never_lowers_the_index_or_the_grade(
    raw: list[tuple[str, str, str]], extra: tuple[str, str, str], probability: float | None
) -> None:
    models = [] if probability is None else [ModelHit("enterprise-risk", "v", probability)]
    before = smoke_index(CARD, "e1", rules=_rules(raw), models=models)
    after = smoke_index(CARD, "e1", rules=_rules([*raw, extra]), models=models)
    assert after.index >= before.index
    order = ["none"] + [g.code for g in reversed(CARD.grades)]
    assert order.index(after.grade) >= order.index(before.grade)


@settings(max_examples=300, deadline=None)
@given(RULE_HITS, st.floats(0, 1), st.floats(0, 1))
def test_a_higher_probability_never_lowers_the_index(
    raw: list[tuple[str, str, str]], p: float, q: float
) -> None:
    low, high = sorted([p, q])
    rules = _rules(raw)
    first = smoke_index(CARD, "e", rules=rules, models=[ModelHit("enterprise-risk", "v", low)])
    second = smoke_index(CARD, "e", rules=rules, models=[ModelHit("enterprise-risk", "v", high)])
    assert second.index >= first.index


@settings(max_examples=300, deadline=None)
@given(RULE_HITS, st.one_of(st.none(), st.floats(0, 1)))
def test_the_contributions_always_add_up_to_the_index_within_0_to_100(
    raw: list[tuple[str, str, str]], probability: float | None
) -> None:
    models = [] if probability is None else [ModelHit("enterprise-risk", "v", probability)]
    result = smoke_index(CARD, "e1", rules=_rules(raw), models=models)
    assert result.index == _total(result)
    assert 0 <= result.index <= 100
    grade = CARD.grade_of(float(result.index))
    assert result.grade == (grade.code if grade else "none")
