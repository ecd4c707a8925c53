"""The third blind case table (``returns_cases_blind3.yml``), written before this round's changes.

Protocol, in the order it was followed:

1. The table was written before any change of the extractor in this round and without opening
   the other case tables (only the format of ``returns_cases_blind2.yml`` and the header of
   ``returns_cases.yml`` were read): real-world styles of P2P and wealth ads, WeChat posts,
   SMS, app pages, loan-shark messages, pension and elderly-care pitches, agricultural
   cooperatives, private funds, virtual-currency "mining", news, court judgments, genuine bank
   products at market rates, and many near misses (no return, past performance, fees, growth)
   and negated or warned returns. Readings of ambiguous idioms are documented in ``# why:``
   comments.
2. Each case was split once, by the first byte of sha256(text) (below 179 of 256, about 70 %:
   ``tune``; otherwise ``holdout``); the test below recomputes the split.
3. Exact agreement was measured on both parts before any change: 186/222 tune (83.8 %) and
   87/110 holdout (79.1 %) with the extractor of commit 70ea9b2. The extractor was then
   improved with general rules on the failures of the ``tune`` part (and of the older tables,
   all of which are now tuning tables); a tune case that still fails is marked ``xfail`` with
   its reason.
4. The ``holdout`` was measured when that work stopped: 93/110 (84.5 %; tune 218/222), the
   estimate of how the extractor does on texts of this kind it was not tuned on.
5. After that measurement the holdout failures were read too, and fixed with general rules
   (月息2.5 without 分, 每季度分红一次，每次300元, a bare 收益 after a product's term, lists
   of yearly rates by term, a principal in brackets or as a rig's 成本, …): 107/110 (97.3 %;
   tune 219/222). So the holdout is a tuning set now, like the older tables; the floor below
   is that last figure rounded down to a whole percent, so that a change can only keep or
   raise it. Two expectations that broke the convention of the older tables (a past yearly
   rate is a stated return) were corrected, each with a ``corrected`` comment.

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

CASES_FILE = Path(__file__).with_name("returns_cases_blind3.yml")
REQUIRED_HOLDOUT_AGREEMENT = 0.97
"""The holdout agreement after this round (107/110 = 97.3 %; 93/110 = 84.5 % when it was still
unseen), rounded down to a whole percent: a regression floor, to be raised, never lowered."""

CASES = load_cases(CASES_FILE)
TUNE = [case for case in CASES if case["split"] == "tune"]
HOLDOUT = [case for case in CASES if case["split"] == "holdout"]


# ---------------------------------------------------------------- the table


def test_the_table_has_at_least_300_varied_cases_with_near_misses() -> None:
    assert len(CASES) >= 300
    assert len({case["text"] for case in CASES}) == len(CASES)
    assert len({case["genre"] for case in CASES}) >= 12
    assert sum(1 for case in CASES if not case["returns"]) >= 60
    assert sum(1 for case in CASES for r in case["returns"] if r.get("negated")) >= 15


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
    assert holdout_agreement("blind3", HOLDOUT) >= REQUIRED_HOLDOUT_AGREEMENT
