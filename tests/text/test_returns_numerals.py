"""Numbers as Chinese texts write them (the reader behind stated returns)."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.errors import InvalidInput
from smokewatch.text.numerals import parse_amount, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", "12"),
        ("18.5", "18.5"),
        ("1,000", "1000"),
        ("1.2万", "12000"),
        ("10万", "100000"),
        ("3千", "3000"),
        ("2亿", "200000000"),
        ("十二", "12"),
        ("两", "2"),
        ("一百二十", "120"),
        ("一万二", "12000"),
        ("两万五", "25000"),
        ("零点三", "0.3"),
        ("一点五", "1.5"),
        ("一点二万", "12000"),
    ],
)
def test_numbers_are_read_exactly(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(("text", "value"), [("300元", 300), ("十万元", 100000), ("万元", 10000)])
def test_amounts_are_read_in_yuan(text: str, value: int) -> None:
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", "百", "十二点", "点五", "abc", "一点x"])
def test_what_is_not_a_number_is_rejected(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_number(text)


@given(st.integers(min_value=0, max_value=99_999_999))
def test_chinese_numerals_round_trip(number: int) -> None:
    assert parse_number(cn2an.an2cn(number)) == number


@given(st.decimals(min_value=0, max_value=9_999, places=2, allow_nan=False))
def test_arabic_numbers_with_wan_are_ten_thousands(number: Decimal) -> None:
    assert parse_number(f"{number}万") == number * 10_000
