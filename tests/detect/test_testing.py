"""Fixtures as regression tests, on every engine."""

from __future__ import annotations

from typing import Any

from smokewatch.detect.rules import load_rule
from smokewatch.detect.testing import run_fixtures
from smokewatch.engine import Engine
from tests.detect.conftest import NEGATIVE, POSITIVE, WriteRule


def test_passing_fixtures_pass(
    engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    rule = load_rule(write_rule(sql_rule_spec, positive=POSITIVE, negative=NEGATIVE))
    outcomes = run_fixtures(engine, rule, {})
    assert [(o.kind, o.passed) for o in outcomes] == [("positive", True), ("negative", True)]


def test_a_wrong_expectation_fails_with_the_difference(
    duckdb_engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    wrong = {**POSITIVE, "expect": [{"subject_id": "e1", "band": "high"}]}
    rule = load_rule(write_rule(sql_rule_spec, positive=wrong))
    (outcome,) = run_fixtures(duckdb_engine, rule, {})
    assert not outcome.passed
    assert "missing findings [('e1', 'high')]" in outcome.problems[0]
    assert any("unexpected" in p for p in outcome.problems)


def test_a_reason_expectation_is_checked(
    duckdb_engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    expect = [dict(e) for e in POSITIVE["expect"]]
    expect[0]["reason_contains"] = {"zh": "不会出现的文字"}
    rule = load_rule(write_rule(sql_rule_spec, positive={**POSITIVE, "expect": expect}))
    (outcome,) = run_fixtures(duckdb_engine, rule, {})
    assert not outcome.passed and "不会出现的文字" in outcome.problems[0]


def test_a_negative_fixture_fails_when_the_rule_fires(
    duckdb_engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    firing = {"description": "x", "tables": POSITIVE["tables"]}
    rule = load_rule(write_rule(sql_rule_spec, negative=firing))
    (outcome,) = run_fixtures(duckdb_engine, rule, {})
    assert not outcome.passed and outcome.actual == (("e1", "huge"), ("e2", "high"))
