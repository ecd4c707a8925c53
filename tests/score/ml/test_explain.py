"""Explanations name the feature, its value in words and its contribution, in zh and en."""

from __future__ import annotations

from typing import Any

import numpy as np

from smokewatch.score.ml.explain import describe_value, join_reasons, top_reasons
from smokewatch.score.ml.features import FeatureKind, FeatureSet


def _set() -> FeatureSet:
    fs = FeatureSet("demo", keys=("id",), base="subject")

    @fs.row(zh="注册资本", en="registered capital", inputs=(), unit=("万元", "× 10k CNY"))
    def capital(t: Any) -> Any:
        """Registered capital."""
        return t

    @fs.row(zh="有纳税记录", en="has tax records", inputs=(), kind=FeatureKind.FLAG)
    def taxed(t: Any) -> Any:
        """Tax records on file."""
        return t

    @fs.row(
        zh="行业门类", en="industry section", inputs=(), kind=FeatureKind.CATEGORY,
        values={10: ("金融业", "finance")},
    )  # fmt: skip
    def section(t: Any) -> Any:
        """Industry section."""
        return t

    @fs.row(zh="实缴比例", en="paid-in share", inputs=(), percent=True)
    def paid_share(t: Any) -> Any:
        """Paid-in share."""
        return t

    fs.encoded("section_risk", of="section", zh="同行业涉险率", en="industry risk", description="x")
    return fs


def test_values_are_worded_by_kind() -> None:
    fs = _set()
    assert describe_value(fs.get("capital"), None) == ("注册资本为空", "registered capital missing")
    assert describe_value(fs.get("capital"), 5000.0) == (
        "注册资本为5000万元",
        "registered capital 5000 × 10k CNY",
    )
    assert describe_value(fs.get("taxed"), 0.0) == ("有纳税记录：否", "has tax records: no")
    assert describe_value(fs.get("section"), 10.0) == (
        "行业门类为金融业",
        "industry section: finance",
    )
    assert describe_value(fs.get("section"), 12.0) == ("行业门类为12", "industry section: 12")
    assert describe_value(fs.get("paid_share"), 0.25)[0] == "实缴比例为25.0%"


def test_the_largest_contributions_come_first_and_a_category_joins_its_encoding() -> None:
    fs = _set()
    values = np.array([np.nan, 0.0, 10.0, 0.5, 0.73])
    contrib = np.array([0.42, -0.05, 0.0, -0.31, 1.2, -3.0])  # last: base value
    reasons = top_reasons(fs, values, contrib, top=3)
    assert [r.feature for r in reasons] == ["section", "capital", "paid_share"]
    assert reasons[1].text_zh == "注册资本为空（+0.42）"
    assert reasons[2].text_en == "paid-in share 50.0% (-0.31)"
    assert reasons[0].text_zh == "行业门类为金融业，同行业涉险率为73.0%（+1.20）"
    assert join_reasons(reasons[1:], "zh") == "注册资本为空（+0.42）；实缴比例为50.0%（-0.31）"


def test_features_that_did_not_contribute_are_left_out() -> None:
    reasons = top_reasons(_set(), np.zeros(5), np.array([0.0, 0.0, 0.2, 0.0, 0.0, 0.0]), top=3)
    assert [r.feature for r in reasons] == ["section"]
