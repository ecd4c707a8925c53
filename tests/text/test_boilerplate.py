"""Boilerplate phrases may be stripped before the prefilter only because they name no activity."""

from __future__ import annotations

import pytest

from smokewatch.text.boilerplate import load_scope_boilerplate
from smokewatch.text.lexicon import load_lexicon
from smokewatch.text.scope import find_scope_activities

MATCHER = load_lexicon("restricted_financial_words").matcher("scope")
PHRASES = load_scope_boilerplate()


@pytest.mark.parametrize("phrase", PHRASES)
def test_a_phrase_alone_names_no_activity(phrase: str) -> None:
    assert find_scope_activities(phrase, MATCHER).activities == ()


@pytest.mark.parametrize("phrase", PHRASES)
@pytest.mark.parametrize(
    "template",
    ["软件开发；{}", "日用百货销售（{}）", "{}；资产管理", "企业管理咨询，{}。投资管理"],
)
def test_removing_a_phrase_never_changes_the_activities(phrase: str, template: str) -> None:
    scope = template.format(phrase)
    with_phrase = find_scope_activities(scope, MATCHER).terms
    without = find_scope_activities(scope.replace(phrase, ""), MATCHER).terms
    assert with_phrase == without


def test_both_printed_and_folded_forms_are_listed() -> None:
    assert any("（" in p for p in PHRASES)
    assert any("(" in p and "（" not in p for p in PHRASES)
