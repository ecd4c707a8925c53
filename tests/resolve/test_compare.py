"""Comparing two organisation names: scores with contributions that add up."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.resolve.compare import THRESHOLD, compare_names

SAME = [
    ("陆金服", "上海陆金所互联网金融信息服务有限公司"),  # platform name → operator
    ("红岭创投", "红岭创投电子商务股份有限公司"),
    ("团贷网", "东莞团贷网互联网科技服务有限公司"),
    ("微贷网", "微贷（杭州）金融信息服务有限公司"),
    ("中国工商银行股份有限公司", "工商銀行"),  # short, traditional
    ("招商银行股份有限公司", "招 商 银 行"),
    ("北京银行股份有限公司", "北京银行"),
    ("深圳市鑫源投资管理有限责任公司", "鑫源投资管理（深圳）有限公司"),  # region moved, 有限公司
    ("工行", "中国工商银行股份有限公司"),  # a known alias
    ("中国工商银行北京分行", "中国工商银行股份有限公司北京市分行"),  # one branch, two spellings
]
DIFFERENT = [
    ("北京银行", "北京农商银行"),  # the trade name is only a place: the industry decides
    ("上海银行股份有限公司", "上海华瑞银行股份有限公司"),
    ("中国银行股份有限公司", "中国工商银行股份有限公司"),
    ("中国工商银行股份有限公司北京分行", "中国工商银行股份有限公司"),  # a branch has its own USCC
    ("芜湖鑫源投资管理有限公司", "上海鑫源投资管理有限公司"),
    ("融信宝", "上海乐信金融信息服务有限公司"),  # 融信 only across 金融|信息
    ("交通银行股份有限公司", "宁波通商银行股份有限公司"),
    ("中国工商银行北京分行", "中国工商银行股份有限公司上海市分行"),
]


@pytest.mark.parametrize(("left", "right"), SAME)
def test_names_of_one_organisation_match(left: str, right: str) -> None:
    result = compare_names(left, right)
    assert result.match, result.contributions


@pytest.mark.parametrize(("left", "right"), DIFFERENT)
def test_names_of_different_organisations_do_not_match(left: str, right: str) -> None:
    result = compare_names(left, right)
    assert not result.match, result.contributions


def test_every_score_is_the_logistic_of_its_contributions() -> None:
    for left, right in SAME + DIFFERENT:
        result = compare_names(left, right)
        assert result.score == pytest.approx(1 / (1 + math.exp(-result.logit)), abs=1e-4)
        assert all(line.reason for line in result.contributions)


def test_the_threshold_decides_the_match() -> None:
    result = compare_names("鑫源理财", "芜湖鑫源资产管理有限公司")
    assert compare_names("鑫源理财", "芜湖鑫源资产管理有限公司", result.score).match
    assert not compare_names("鑫源理财", "芜湖鑫源资产管理有限公司", result.score + 0.01).match
    assert 0.0 < THRESHOLD < 1.0


names = st.text(alphabet="鑫源汇盈芜湖上海银行投资理财有限公司（）贷网", max_size=14)


@given(names, names)
def test_comparison_is_symmetric_and_bounded(left: str, right: str) -> None:
    forward, backward = compare_names(left, right), compare_names(right, left)
    assert forward.score == backward.score
    assert 0.0 <= forward.score <= 1.0


def test_a_missing_name_matches_nothing() -> None:
    assert not compare_names("", "").match
    assert not compare_names(None, "芜湖鑫源投资管理有限公司").match
