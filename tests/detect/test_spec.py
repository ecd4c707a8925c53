"""RuleSpec: the schema of rule.yml."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from smokewatch.detect.spec import Parameter, RuleSpec, Status


def test_a_valid_rule_parses_and_reports_its_ref(sql_rule_spec: dict[str, Any]) -> None:
    spec = RuleSpec.model_validate(sql_rule_spec)
    assert spec.ref == "SW-R-9001@1"
    assert spec.status is Status.ACTIVE


def test_unknown_keys_are_refused(sql_rule_spec: dict[str, Any]) -> None:
    sql_rule_spec["colour"] = "red"
    with pytest.raises(ValidationError, match="colour"):
        RuleSpec.model_validate(sql_rule_spec)


def test_rule_ids_follow_the_pattern(sql_rule_spec: dict[str, Any]) -> None:
    sql_rule_spec["id"] = "rule-1"
    with pytest.raises(ValidationError, match="SW-R-0001"):
        RuleSpec.model_validate(sql_rule_spec)


def test_logic_needs_exactly_one_body(sql_rule_spec: dict[str, Any]) -> None:
    sql_rule_spec["logic"] = {"sql": "q.sql", "python": "m:f"}
    with pytest.raises(ValidationError, match="exactly one"):
        RuleSpec.model_validate(sql_rule_spec)


def test_band_codes_must_be_unique(sql_rule_spec: dict[str, Any]) -> None:
    sql_rule_spec["bands"][1]["code"] = "huge"
    with pytest.raises(ValidationError, match="unique"):
        RuleSpec.model_validate(sql_rule_spec)


def test_reserved_metric_names_are_refused(sql_rule_spec: dict[str, Any]) -> None:
    sql_rule_spec["metrics"]["subject_id"] = {"type": "str", "doc": "x"}
    with pytest.raises(ValidationError, match="reserved"):
        RuleSpec.model_validate(sql_rule_spec)


def test_parameters_bind_defaults_and_coerce_overrides(sql_rule_spec: dict[str, Any]) -> None:
    spec = RuleSpec.model_validate(sql_rule_spec)
    assert spec.bind_parameters() == {"min_capital": Decimal("100000000")}
    assert spec.bind_parameters({"min_capital": "5"}) == {"min_capital": Decimal("5")}


def test_out_of_bounds_parameters_name_the_parameter(sql_rule_spec: dict[str, Any]) -> None:
    spec = RuleSpec.model_validate(sql_rule_spec)
    with pytest.raises(ValueError, match=r"min_capital.*below the minimum"):
        spec.bind_parameters({"min_capital": -1})


def test_unknown_parameter_overrides_are_refused(sql_rule_spec: dict[str, Any]) -> None:
    spec = RuleSpec.model_validate(sql_rule_spec)
    with pytest.raises(ValueError, match="unknown parameters"):
        spec.bind_parameters({"threshold": 1})


@pytest.mark.parametrize(
    ("kind", "value"),
    [("int", "3"), ("int", True), ("list[str]", ["a", 1]), ("bool", "yes"), ("str", 3)],
)
def test_parameter_types_are_enforced(kind: Any, value: Any) -> None:
    with pytest.raises(ValueError, match="expected"):
        Parameter(type=kind, default=None, doc="d").coerce(value)


def test_testing_rules_run_in_shadow_and_drafts_do_not_run(sql_rule_spec: dict[str, Any]) -> None:
    sql_rule_spec["status"] = "testing"
    assert RuleSpec.model_validate(sql_rule_spec).runs_in_production
    sql_rule_spec["status"] = "draft"
    assert not RuleSpec.model_validate(sql_rule_spec).runs_in_production
