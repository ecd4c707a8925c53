"""Every fixture of every built-in rule, on every engine: positives fire, negatives do not."""

from __future__ import annotations

import pytest

from smokewatch.detect.lint import LintContext, lint_rules
from smokewatch.detect.rules import Rule, load_rules
from smokewatch.detect.testing import run_fixture
from smokewatch.engine import Engine
from smokewatch.text.lexicon import load_lexicons

RULES = load_rules()
LEXICONS = load_lexicons()
CASES = [
    pytest.param(rule, index, id=f"{rule.id}-{fixture.kind}-{fixture.name}")
    for rule in RULES
    for index, fixture in enumerate(rule.fixtures)
]


@pytest.mark.parametrize(("rule", "index"), CASES)
def test_fixture(engine: Engine, rule: Rule, index: int) -> None:
    outcome = run_fixture(engine, rule, rule.fixtures[index], LEXICONS)
    assert outcome.passed, outcome.problems


def test_the_core_pack_lints_clean() -> None:
    issues = lint_rules(RULES, LintContext.default(LEXICONS))
    assert [str(i) for i in issues] == []


def test_every_core_rule_has_positive_and_negative_fixtures() -> None:
    for rule in RULES:
        assert {f.kind for f in rule.fixtures} == {"positive", "negative"}, rule.ref
