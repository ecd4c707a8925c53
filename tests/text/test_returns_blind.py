"""The blind case table (``returns_cases_blind.yml``): written before the extractor was read.

The table is split once, by a stable hash of each text, into ``tune`` (about 70 %) and
``holdout`` (about 30 %). The extractor was improved on the ``tune`` cases only: each of them
must be read exactly — annual rates, low ends of ranges and negation — unless it is marked
``xfail`` with its reason. The ``holdout`` cases were never looked at one by one; their share
of exactly right annual rates is the estimate of how the extractor does on texts it was not
tuned on. The target is 95 % (issue 3); the floor below is the measured level, so that a change
can only raise it — raise the floor whenever a round of work raises the estimate.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from smokewatch.text.returns import extract_returns

CASES_FILE = Path(__file__).with_name("returns_cases_blind.yml")
TUNE_SHARE_BYTE = 179
"""A case is ``tune`` when the first byte of sha256(text) is below this (179/256 ≈ 70 %)."""
TARGET_HOLDOUT_AGREEMENT = 0.95
"""What issue 3 asks for."""
REQUIRED_HOLDOUT_AGREEMENT = 1.0
"""The measured level, a regression floor: 70/82 = 85.4 % after the first blind round; 82/82
after the second round, which tuned on this whole table (it is no longer blind: the estimate
for unseen texts is now the holdout of ``returns_cases_blind2.yml``)."""


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


def _rate(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.0001"))


def _expected(case: dict[str, Any]) -> list[tuple[Decimal | None, Decimal | None, bool]]:
    return [
        (_rate(item["rate"]), _rate(item.get("low")), bool(item.get("negated", False)))
        for item in case["returns"]
    ]


def _found(text: str) -> list[tuple[Decimal | None, Decimal | None, bool]]:
    return [(r.annual_rate, r.low, r.negated) for r in extract_returns(text)]


def _param(index: int, case: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
    return pytest.param(case, id=f"{index:03d}-{case['text'][:14]}", marks=marks)


# ---------------------------------------------------------------- the table


def test_the_table_has_at_least_200_varied_cases_with_near_misses() -> None:
    assert len(CASES) >= 200
    assert len({case["text"] for case in CASES}) == len(CASES)
    assert len({case["genre"] for case in CASES}) >= 10
    assert sum(1 for case in CASES if not case["returns"]) >= 40
    assert sum(1 for case in CASES for r in case["returns"] if r.get("negated")) >= 10


def test_the_split_is_the_recorded_stable_hash_of_each_text() -> None:
    assert [case["split"] for case in CASES] == [_split_of(case["text"]) for case in CASES]


def test_the_split_is_about_seventy_to_thirty() -> None:
    assert 0.6 <= len(TUNE) / len(CASES) <= 0.8


def test_only_tune_cases_may_be_marked_as_known_misses() -> None:
    assert all("xfail" not in case for case in HOLDOUT)


# ---------------------------------------------------------------- tune: every case


@pytest.mark.parametrize("case", [_param(i, c) for i, c in enumerate(TUNE)])
def test_tune_case(case: dict[str, Any]) -> None:
    assert _found(case["text"]) == _expected(case)


def test_spans_of_every_case_point_into_the_text() -> None:
    for case in CASES:
        text = case["text"]
        for r in extract_returns(text):
            assert text[r.start : r.end] == r.text


# ---------------------------------------------------------------- holdout: the estimate


def test_holdout_annual_rate_agreement_does_not_fall_below_the_measured_level() -> None:
    agree = sum(
        1
        for case in HOLDOUT
        if [r.annual_rate for r in extract_returns(case["text"])]
        == [_rate(item["rate"]) for item in case["returns"]]
    )
    score = agree / len(HOLDOUT)
    print(f"holdout annual-rate agreement: {agree}/{len(HOLDOUT)} = {score:.1%}")
    assert score >= REQUIRED_HOLDOUT_AGREEMENT
