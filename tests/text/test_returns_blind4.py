"""The fourth blind case table (``returns_cases_blind4.yml``), written before it was first run.

Protocol, in the order it was followed:

1. The table was written from knowledge of the genres (P2P and wealth ads, loan and loan-shark
   ads, SMS, WeChat chats, app forms, court judgments, police and news reports, pension,
   cooperative, franchise and crypto pitches, bank products at market rates) and of the
   conventions of ``returns_cases_blind3.yml``, before running the extractor on any of it;
   near misses (discounts, growth, fees, penalties, taxes, benchmark rates, coupons, cashbacks)
   and negated or warned returns included. Readings of ambiguous idioms are documented in
   ``# why:`` comments.
2. Each case was split once, by the first byte of sha256(text) (below 179 of 256: ``tune``;
   otherwise ``holdout``): 61 tune, 20 holdout; the test below recomputes the split.
3. First run, with the extractor of commit db46724: annual rates exactly right on 52/61 tune
   (85.2 %) and 17/20 holdout (85.0 %), 69/81 in all (85.2 %; 68/81 with ranges and negation
   flags too). The extractor of commit 70ea9b2 gets 65/81 (80.2 %).
4. The extractor was improved with general rules on the tune failures only (a shared amount
   after 稳赚, a rental yield 租金回报率 as yearly, a deduction up front 先扣…, 交 as paying in,
   allowances 补贴, 1000元一股, 赚了, 签到, a rate paid once a period 每周分红一次，每次按本金的
   2%, a bonus 额外年化1% as no return, 系诈骗 and 请勿相信 as warnings): 61/61 tune.
   Expectations were not changed.
5. The holdout was measured once, at the end: 17/20 (85.0 %; 20 cases, so a wide margin).
   The floor below is that figure rounded down to a whole percent.

Rates are compared at 0.01 percentage points: the table writes non-terminating rates (365/7)
rounded to two decimals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.text.blind_tables import (
    check_case,
    check_spans,
    holdout_agreement,
    load_cases,
    params,
    split_of,
)

CASES_FILE = Path(__file__).with_name("returns_cases_blind4.yml")
REQUIRED_HOLDOUT_AGREEMENT = 0.85
"""The holdout agreement measured once, after the fixes on the tune part (17/20 = 85.0 %),
rounded down to a whole percent: a regression floor, to be raised, never lowered."""

CASES = load_cases(CASES_FILE)
TUNE = [case for case in CASES if case["split"] == "tune"]
HOLDOUT = [case for case in CASES if case["split"] == "holdout"]


# ---------------------------------------------------------------- the table


def test_the_table_has_at_least_80_varied_cases_with_near_misses() -> None:
    assert len(CASES) >= 80
    assert len({case["text"] for case in CASES}) == len(CASES)
    assert len({case["genre"] for case in CASES}) >= 12
    assert sum(1 for case in CASES if not case["returns"]) >= 15
    assert sum(1 for case in CASES for r in case["returns"] if r.get("negated")) >= 5


def test_the_split_is_the_recorded_stable_hash_of_each_text() -> None:
    assert [case["split"] for case in CASES] == [split_of(case["text"]) for case in CASES]


def test_the_split_is_about_seventy_to_thirty() -> None:
    assert 0.6 <= len(TUNE) / len(CASES) <= 0.8


def test_only_tune_cases_may_be_marked_as_known_misses() -> None:
    assert all("xfail" not in case for case in HOLDOUT)


# ---------------------------------------------------------------- tune: every case


@pytest.mark.parametrize("case", params(TUNE))
def test_tune_case(case: dict[str, Any]) -> None:
    check_case(case)


def test_spans_of_every_case_point_into_the_text() -> None:
    check_spans(CASES)


# ---------------------------------------------------------------- holdout: the estimate


def test_holdout_annual_rate_agreement_does_not_fall_below_the_measured_level() -> None:
    assert holdout_agreement("blind4", HOLDOUT) >= REQUIRED_HOLDOUT_AGREEMENT
