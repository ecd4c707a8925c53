"""Lint checks: each kind of mistake in a rule is caught and named."""

from __future__ import annotations

from typing import Any

from smokewatch.detect.lint import LintContext, lint_rules
from smokewatch.detect.rules import load_rule
from tests.detect.conftest import NEGATIVE, POSITIVE, SQL_BODY, WriteRule


def _codes(
    write_rule: WriteRule, spec: dict[str, Any], body: str = SQL_BODY, **fx: Any
) -> set[str]:
    fixtures = {"positive": POSITIVE, "negative": NEGATIVE, **fx}
    rule = load_rule(write_rule(spec, body=("query.sql", body), **fixtures))
    issues = lint_rules([rule], LintContext.default(lexicons=[]))
    return {i.code for i in issues if i.severity == "error"}


def test_a_clean_rule_has_no_errors(write_rule: WriteRule, sql_rule_spec: dict[str, Any]) -> None:
    assert _codes(write_rule, sql_rule_spec) == set()


def test_active_rules_need_references(write_rule: WriteRule, sql_rule_spec: dict[str, Any]) -> None:
    assert "references" in _codes(write_rule, dict(sql_rule_spec, references=[]))


def test_unknown_typologies_are_errors(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    assert "typology" in _codes(write_rule, dict(sql_rule_spec, typology=["fraud.adivsor"]))


def test_sql_may_read_only_declared_inputs(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    body = SQL_BODY.replace("from enterprise", "from enterprise join licence on true")
    assert "sql" in _codes(write_rule, sql_rule_spec, body)


def test_sql_may_bind_only_declared_parameters(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    body = SQL_BODY.replace(":min_capital", ":minimum")
    assert "sql" in _codes(write_rule, sql_rule_spec, body)


def test_band_conditions_may_use_only_metrics(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    sql_rule_spec["bands"][0]["when"] = "paid_in < 1"
    assert "bands" in _codes(write_rule, sql_rule_spec)


def test_reasons_may_use_only_known_fields(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    sql_rule_spec["bands"][0]["reason"]["en"] = "capital {capitol}"
    assert "reasons" in _codes(write_rule, sql_rule_spec)


def test_parameter_defaults_must_lie_within_bounds(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    sql_rule_spec["parameters"]["min_capital"]["min"] = 200000000
    assert "parameters" in _codes(write_rule, sql_rule_spec)


def test_rules_need_both_kinds_of_fixture(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    assert "fixtures" in _codes(write_rule, sql_rule_spec, negative=None)


def test_fixture_rows_must_use_real_columns(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    bad = {"description": "x", "tables": {"enterprise": [{"id": "e", "colour": "red"}]}}
    assert "fixtures" in _codes(write_rule, sql_rule_spec, negative=bad)
