"""Scorecard lint: components read rules that exist, in their bands, about the right table."""

from __future__ import annotations

from smokewatch.detect.rules import load_rules
from smokewatch.score.lint import lint_scorecard
from smokewatch.score.scorecard import load_scorecards, parse_scorecard

RULES = {r.id: r for r in load_rules()}
CARD = """\
id: XX-S-0001
version: 1
name: t
status: active
subject: enterprise
title: {zh: 测试, en: Test}
grades: [{code: red, min: 40, label: {zh: 红, en: Red}}]
dimensions:
  - id: d
    title: {zh: 维, en: D}
    cap: 50
    components:
      - {id: a, title: {zh: 甲, en: A}, rule: SW-R-0001, bands: {binding_word: 20}}
      - {id: b, title: {zh: 乙, en: B}, rule: SW-R-0102, via: document, bands: {guarantee: 20}}
      - {id: m, title: {zh: 模, en: M}, model: enterprise-risk, points: 10}
"""


def _codes(text: str) -> list[str]:
    return [i.code for i in lint_scorecard(parse_scorecard(text, "c.yml"), RULES)]


def test_the_builtin_scorecards_lint_clean() -> None:
    for card in load_scorecards().values():
        assert lint_scorecard(card, RULES) == [], card.key


def test_a_clean_card_has_no_issue() -> None:
    assert _codes(CARD) == []


def test_unknown_rules_bands_and_models_are_reported() -> None:
    assert _codes(CARD.replace("SW-R-0001", "SW-R-9999")) == ["unknown-rule"]
    assert _codes(CARD.replace("binding_word", "bindingword")) == ["unknown-band"]
    assert _codes(CARD.replace("enterprise-risk", "crystal-ball")) == ["unknown-model"]


def test_via_must_match_what_the_rule_is_about() -> None:
    assert _codes(CARD.replace("via: document, ", "")) == ["wrong-subject"]
    wrong = CARD.replace("rule: SW-R-0001, bands", "rule: SW-R-0001, via: document, bands")
    assert _codes(wrong) == ["wrong-subject"]


def test_a_grade_the_points_cannot_reach_is_an_error() -> None:
    assert _codes(CARD.replace("min: 40", "min: 60")) == ["unreachable-grade"]
