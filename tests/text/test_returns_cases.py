"""The hand-written case table (``returns_cases.yml``): every case, and the agreement score.

Each case of the table is one test: the returns found must match the expected ones exactly —
annual rate (4 decimals), low end of a range, unit, qualifier, kind, negation and, where
given, the phrase. A case marked ``xfail`` records a known miss with its reason (strict:
it must keep failing until fixed). The agreement test reports the share of cases whose list
of annual rates is exactly right and requires at least 95 %.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from smokewatch.text.returns import PromisedReturn, extract_returns

CASES_FILE = Path(__file__).with_name("returns_cases.yml")
REQUIRED_AGREEMENT = 0.95


def _load() -> list[dict[str, Any]]:
    cases = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


CASES = _load()


def _rate(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.0001"))


def _expected(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "rate": _rate(item["rate"]),
            "low": _rate(item.get("low")),
            "unit": item["unit"],
            "qualifier": item.get("qualifier"),
            "kind": item.get("kind", "return"),
            "negated": item.get("negated", False),
            **({"phrase": item["phrase"]} if "phrase" in item else {}),
        }
        for item in case["returns"]
    ]


def _found(found: list[PromisedReturn], expected: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for i, r in enumerate(found):
        row = {
            "rate": r.annual_rate,
            "low": r.low,
            "unit": r.unit.value,
            "qualifier": r.qualifier.value if r.qualifier else None,
            "kind": r.kind.value,
            "negated": r.negated,
        }
        if i < len(expected) and "phrase" in expected[i]:
            row["phrase"] = r.text
        rows.append(row)
    return rows


def _param(index: int, case: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
    return pytest.param(case, id=f"{index:03d}-{case['text'][:14]}", marks=marks)


def test_the_table_has_at_least_150_cases_of_every_genre() -> None:
    assert len(CASES) >= 150
    genres = {case["genre"] for case in CASES}
    assert genres == {"ad", "loan", "news", "post", "sms"}
    assert sum(1 for case in CASES if not case["returns"]) >= 40  # near misses


@pytest.mark.parametrize("case", [_param(i, c) for i, c in enumerate(CASES)])
def test_case(case: dict[str, Any]) -> None:
    expected = _expected(case)
    assert _found(extract_returns(case["text"]), expected) == expected


def test_spans_of_every_case_point_into_the_text() -> None:
    for case in CASES:
        text = case["text"]
        for r in extract_returns(text):
            assert text[r.start : r.end] == r.text


def test_annual_rate_agreement_is_at_least_95_percent() -> None:
    agree = 0
    misses = []
    for case in CASES:
        expected = [_rate(item["rate"]) for item in case["returns"]]
        found = [r.annual_rate for r in extract_returns(case["text"])]
        if found == expected:
            agree += 1
        else:
            misses.append(case["text"])
    score = agree / len(CASES)
    print(f"annual-rate agreement: {agree}/{len(CASES)} = {score:.1%}")
    assert score >= REQUIRED_AGREEMENT, misses
