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

import hashlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from smokewatch.text.returns import PromisedReturn, extract_returns

CASES_FILE = Path(__file__).with_name("returns_cases_blind4.yml")
TUNE_SHARE_BYTE = 179
"""A case is ``tune`` when the first byte of sha256(text) is below this (179/256 ≈ 70 %)."""
REQUIRED_HOLDOUT_AGREEMENT = 0.85
"""The holdout agreement measured once, after the fixes on the tune part (17/20 = 85.0 %),
rounded down to a whole percent: a regression floor, to be raised, never lowered."""
_CENT = Decimal("0.01")


def _load() -> list[dict[str, Any]]:
    cases = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


CASES = _load()
TUNE = [case for case in CASES if case["split"] == "tune"]
HOLDOUT = [case for case in CASES if case["split"] == "holdout"]


def _split_of(text: str) -> str:
    first_byte = hashlib.sha256(text.encode("utf-8")).digest()[0]
    return "tune" if first_byte < TUNE_SHARE_BYTE else "holdout"


def _cents(value: object) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _rates(found: list[PromisedReturn]) -> list[Decimal | None]:
    return [_cents(r.annual_rate) for r in found]


def _expected_rates(case: dict[str, Any]) -> list[Decimal | None]:
    return [_cents(item["rate"]) for item in case["returns"]]


def _param(index: int, case: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
    return pytest.param(case, id=f"{index:03d}-{case['text'][:14]}", marks=marks)


# ---------------------------------------------------------------- the table


def test_the_table_has_at_least_80_varied_cases_with_near_misses() -> None:
    assert len(CASES) >= 80
    assert len({case["text"] for case in CASES}) == len(CASES)
    assert len({case["genre"] for case in CASES}) >= 12
    assert sum(1 for case in CASES if not case["returns"]) >= 15
    assert sum(1 for case in CASES for r in case["returns"] if r.get("negated")) >= 5


def test_the_split_is_the_recorded_stable_hash_of_each_text() -> None:
    assert [case["split"] for case in CASES] == [_split_of(case["text"]) for case in CASES]


def test_the_split_is_about_seventy_to_thirty() -> None:
    assert 0.6 <= len(TUNE) / len(CASES) <= 0.8


def test_only_tune_cases_may_be_marked_as_known_misses() -> None:
    assert all("xfail" not in case for case in HOLDOUT)


# ---------------------------------------------------------------- tune: every case


@pytest.mark.parametrize("case", [_param(i, c) for i, c in enumerate(TUNE)])
def test_tune_case(case: dict[str, Any]) -> None:
    found = extract_returns(case["text"])
    assert _rates(found) == _expected_rates(case)
    for item, r in zip(case["returns"], found, strict=True):
        assert _cents(r.low) == _cents(item.get("low"))
        if "negated" in item:
            assert r.negated is item["negated"]


def test_spans_of_every_case_point_into_the_text() -> None:
    for case in CASES:
        text = case["text"]
        for r in extract_returns(text):
            assert text[r.start : r.end] == r.text


# ---------------------------------------------------------------- holdout: the estimate


def test_holdout_annual_rate_agreement_does_not_fall_below_the_measured_level() -> None:
    agree = sum(
        1 for case in HOLDOUT if _rates(extract_returns(case["text"])) == _expected_rates(case)
    )
    score = agree / len(HOLDOUT)
    print(f"blind4 holdout annual-rate agreement: {agree}/{len(HOLDOUT)} = {score:.2%}")
    assert score >= REQUIRED_HOLDOUT_AGREEMENT
