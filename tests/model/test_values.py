"""Money, dates and phones as Chinese registries write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.model.types import ValueTypeError, clean_date, clean_money, clean_phone, fold_width


@pytest.mark.parametrize(
    ("raw", "amount", "currency"),
    [
        ("1000万元人民币", "10000000.00", "CNY"),
        ("500万美元", "5000000.00", "USD"),
        ("1.2亿", "120000000.00", "CNY"),
        ("1,000,000", "1000000.00", "CNY"),
        ("人民币50万元", "500000.00", "CNY"),
        ("３００万元", "3000000.00", "CNY"),
        ("200(万元)", "2000000.00", "CNY"),
    ],
)
def test_amounts_become_exact_units(raw: str, amount: str, currency: str) -> None:
    money = clean_money(raw)
    assert (money.amount, money.currency) == (Decimal(amount), currency)


def test_the_column_unit_applies_when_the_text_has_none() -> None:
    assert clean_money("50", default_unit="万元").amount == Decimal("500000.00")
    assert clean_money("50万", default_unit="万元").amount == Decimal("500000.00")


@given(st.integers(min_value=0, max_value=10**12))
def test_wan_is_ten_thousand(n: int) -> None:
    assert clean_money(f"{n}万元").amount == Decimal(n) * 10_000


@pytest.mark.parametrize("raw", ["约500万", "-5万", "五百万", "", "(abc)", "-"])
def test_non_amounts_are_rejected(raw: str) -> None:
    with pytest.raises(ValueTypeError):
        clean_money(raw)


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("-1,234.50", "-1234.50"),
        ("－1,234.50", "-1234.50"),
        ("\u22121234.5", "-1234.50"),
        ("(1,234.50)", "-1234.50"),
        ("（1,234.50）", "-1234.50"),
        ("负5万", "-50000.00"),
        ("-人民币100", "-100.00"),
        ("人民币-100", "-100.00"),
        ("+100", "100.00"),
        ("-0", "0.00"),
    ],
)
def test_signed_amounts_read_minus_signs_and_accounting_parentheses(raw: str, amount: str) -> None:
    assert clean_money(raw, signed=True).amount == Decimal(amount)


@pytest.mark.parametrize("raw", ["-5万", "(1,234.50)", "负100", "人民币-100"])
def test_an_unsigned_amount_refuses_a_negative_one_and_says_so(raw: str) -> None:
    with pytest.raises(ValueTypeError, match="negative amount"):
        clean_money(raw)


@given(st.decimals(min_value=0, max_value=10**12, places=2))
def test_a_minus_sign_and_parentheses_negate_the_same_amount(value: Decimal) -> None:
    text = f"{value:,.2f}"
    positive = clean_money(text).amount
    assert clean_money(f"-{text}", signed=True).amount == -positive
    assert clean_money(f"（{text}）", signed=True).amount == -positive


def test_a_native_negative_number_needs_a_signed_column() -> None:
    assert clean_money(Decimal("-2.5"), signed=True).amount == Decimal("-2.50")
    with pytest.raises(ValueTypeError, match="negative amount"):
        clean_money(-2.5)


@pytest.mark.parametrize(
    "raw", ["2019-05-06", "2019/5/6", "2019.5.6", "2019年5月6日", "20190506", "2019-05-06 00:00:00"]
)
def test_registry_date_spellings_parse(raw: str) -> None:
    assert clean_date(raw) == date(2019, 5, 6)


def test_open_ended_terms_are_no_date() -> None:
    assert clean_date("长期") is None


@pytest.mark.parametrize("raw", ["2019-02-30", "yesterday", "2019-13-01"])
def test_impossible_dates_are_rejected(raw: str) -> None:
    with pytest.raises(ValueTypeError):
        clean_date(raw)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("+86 139-1234-5678", "13912345678"),
        ("(0553)1234567", "0553-1234567"),
        ("0553-12345678", "0553-12345678"),
        ("4001234567", "4001234567"),
    ],
)
def test_phones_normalise(raw: str, clean: str) -> None:
    assert clean_phone(raw) == clean


def test_a_too_short_number_is_not_a_phone() -> None:
    with pytest.raises(ValueTypeError):
        clean_phone("12345")


@given(st.text())
def test_width_folding_keeps_length(text: str) -> None:
    assert len(fold_width(text)) == len(text)
