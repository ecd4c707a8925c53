"""Band conditions and reason templates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlglot.errors import ParseError

from smokewatch.detect.compile import (
    band_condition,
    banded_query,
    condition_columns,
    condition_parameters,
    json_ready,
    render_reason,
    template_fields,
)
from smokewatch.detect.spec import RuleSpec


def test_band_conditions_expose_their_columns_and_parameters() -> None:
    condition = band_condition("capital >= 10 * :min_capital and n_words > 0")
    assert condition_columns(condition) == {"capital", "n_words"}
    assert condition_parameters(condition) == {"min_capital"}


def test_a_condition_that_is_not_sql_raises() -> None:
    with pytest.raises(ParseError):
        band_condition("capital >>> (")


def test_banded_query_tries_bands_in_order_and_drops_unbanded_rows(
    sql_rule_spec: dict[str, Any],
) -> None:
    sql = banded_query(RuleSpec.model_validate(sql_rule_spec), "body").sql("duckdb")
    assert sql.index("'huge'") < sql.index("'high'")
    assert "NOT band IS NULL" in sql


def test_template_fields_ignore_format_specs() -> None:
    assert template_fields("资本{capital:,.0f}元，词“{words}”") == {"capital", "words"}


def test_reasons_join_lists_per_language() -> None:
    values = {"words": ["理财", "金融"], "capital": 1234567.0}
    assert render_reason("含“{words}”", values, "zh") == "含“理财、金融”"
    assert render_reason("has {words}; {capital:,.0f}", values, "en") == "has 理财, 金融; 1,234,567"


def test_missing_values_render_visibly_rather_than_crash() -> None:
    assert render_reason("{nothing} {none}", {"none": None}, "zh") == "{nothing} —"


def test_metrics_become_plain_json_values_with_sorted_word_lists() -> None:
    value = {"a": Decimal("100.00"), "b": Decimal("1.50"), "d": date(2026, 1, 2), "w": ["甲", "乙"]}
    # 乙 (U+4E59) sorts before 甲 (U+7532): lists from engines come back in a stable order.
    assert json_ready(value) == {"a": 100, "b": 1.5, "d": "2026-01-02", "w": ["乙", "甲"]}
