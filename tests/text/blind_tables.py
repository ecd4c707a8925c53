"""Shared by the blind case tables of promised returns (``test_returns_blind{2,3,4}.py``).

Each table is a YAML list of cases (``text``, ``genre``, ``returns``, ``split``, optional
``xfail``), split once by the first byte of sha256(text) into ``tune`` and ``holdout``. Rates
are compared at 0.01 percentage points: tables write non-terminating rates (365/7) rounded to
two decimals.
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from smokewatch.text.returns import PromisedReturn, extract_returns

TUNE_SHARE_BYTE = 179
"""A case is ``tune`` when the first byte of sha256(text) is below this (179/256 ≈ 70 %)."""
_CENT = Decimal("0.01")


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of one table."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


def split_of(text: str) -> str:
    """``tune`` or ``holdout``, from the stable hash of the text."""
    first_byte = hashlib.sha256(text.encode("utf-8")).digest()[0]
    return "tune" if first_byte < TUNE_SHARE_BYTE else "holdout"


def cents(value: object) -> Decimal | None:
    """A rate rounded to 0.01 percentage points (``None`` stays ``None``)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


def rates(found: list[PromisedReturn]) -> list[Decimal | None]:
    """The annual rates the extractor found, in cents."""
    return [cents(r.annual_rate) for r in found]


def expected_rates(case: dict[str, Any]) -> list[Decimal | None]:
    """The annual rates the case expects, in cents."""
    return [cents(item["rate"]) for item in case["returns"]]


def params(cases: list[dict[str, Any]]) -> list[Any]:
    """One pytest parameter per case; a known miss is a strict ``xfail`` with its reason."""
    out = []
    for index, case in enumerate(cases):
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        out.append(pytest.param(case, id=f"{index:03d}-{case['text'][:14]}", marks=marks))
    return out


def check_case(case: dict[str, Any]) -> None:
    """The extractor reads exactly the case's rates, lower bounds and negations."""
    found = extract_returns(case["text"])
    assert rates(found) == expected_rates(case)
    for item, r in zip(case["returns"], found, strict=True):
        assert cents(r.low) == cents(item.get("low"))
        if "negated" in item:
            assert r.negated is item["negated"]


def check_spans(cases: list[dict[str, Any]]) -> None:
    """Every span found points at the text it reports."""
    for case in cases:
        text = case["text"]
        for r in extract_returns(text):
            assert text[r.start : r.end] == r.text


def holdout_agreement(name: str, holdout: list[dict[str, Any]]) -> float:
    """Share of holdout cases whose annual rates are read exactly (printed with ``name``)."""
    agree = sum(
        1 for case in holdout if rates(extract_returns(case["text"])) == expected_rates(case)
    )
    score = agree / len(holdout)
    print(f"{name} holdout annual-rate agreement: {agree}/{len(holdout)} = {score:.2%}")
    return score
