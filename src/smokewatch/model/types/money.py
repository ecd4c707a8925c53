"""Amounts as registries write them: 1000万元人民币, 500万美元, 1.2亿, 1,000,000.

Amounts are non-negative unless the caller asks for ``signed`` ones (a loss, negative net
assets): then a minus sign (``-``, full-width ``－``, ``−``), the word 负 or accounting
parentheses around the whole amount (``(1,234.50)``, ``（1,234.50）``) make it negative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from smokewatch.model.types.base import ValueTypeError
from smokewatch.model.types.text import fold_width

_UNITS = {
    "": 1,
    "元": 1,
    "千": 1_000,
    "千元": 1_000,
    "万": 10_000,
    "万元": 10_000,
    "亿": 100_000_000,
    "亿元": 100_000_000,
}
_CURRENCIES = {
    "人民币": "CNY",
    "元人民币": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "美元": "USD",
    "USD": "USD",
    "港元": "HKD",
    "港币": "HKD",
    "HKD": "HKD",
    "欧元": "EUR",
    "EUR": "EUR",
    "日元": "JPY",
    "JPY": "JPY",
    "英镑": "GBP",
    "GBP": "GBP",
}
_PATTERN = re.compile(
    r"^(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*"
    r"(?P<unit>千元|万元|亿元|千|万|亿|元)?\s*"
    r"(?P<cur>人民币|美元|港元|港币|欧元|日元|英镑|RMB|CNY|USD|HKD|EUR|JPY|GBP)?"
    r"(?:\s*[(（]?(?P<unit2>千元|万元|亿元|元)?[)）]?)?$"
)
_CENT = Decimal("0.01")
_NEGATIVE_SIGN = re.compile(r"^(?:-|\u2212|负)")
_PARENTHESISED = re.compile(r"^[(（](?P<inner>[^()（）]+)[)）]$")
_PREFIX_CURRENCY = re.compile(
    r"^(人民币|美元|港元|港币|欧元|日元|英镑|RMB|CNY|USD|HKD|EUR|JPY|GBP)\s*"
)


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in units of ``currency`` (yuan for CNY, never 万元)."""

    amount: Decimal
    currency: str


def clean_money(
    raw: str | int | float | Decimal,
    *,
    default_unit: str = "",
    default_currency: str = "CNY",
    signed: bool = False,
) -> Money:
    """Parse an amount with optional unit (万/亿) and currency into exact units.

    ``default_unit`` applies when the text has none, e.g. a column headed 注册资本(万元).
    A negative amount is an error unless ``signed`` (see the module docstring).

    Examples:
        >>> clean_money("1000万元人民币")
        Money(amount=Decimal('10000000.00'), currency='CNY')
        >>> clean_money("50", default_unit="万元").amount
        Decimal('500000.00')
        >>> clean_money("500万美元").currency
        'USD'
        >>> clean_money("（1,234.50）", signed=True).amount
        Decimal('-1234.50')
    """
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        amount = _to_decimal(str(raw), signed=signed) * _UNITS[default_unit]
        return Money(amount.quantize(_CENT), default_currency)
    text = fold_width(str(raw)).strip().replace(" ", "")
    text, negative = _split_sign(text)
    prefix = _PREFIX_CURRENCY.match(text)
    currency = default_currency
    if prefix:
        currency = _CURRENCIES[prefix.group(1)]
        text = text[prefix.end() :]
        if not negative:
            text, negative = _split_sign(text)
    match = _PATTERN.match(text)
    if not match:
        raise ValueTypeError(f"not an amount: {raw!r}")
    if negative and not signed:
        raise ValueTypeError(f"negative amount where only amounts of zero or more fit: {raw!r}")
    unit = match.group("unit") or match.group("unit2") or default_unit
    if match.group("cur"):
        currency = _CURRENCIES[match.group("cur")]
    amount = _to_decimal(match.group("num").replace(",", ""), signed=False) * _UNITS[unit]
    return Money((-amount if negative else amount).quantize(_CENT) + 0, currency)


def _split_sign(text: str) -> tuple[str, bool]:
    """The amount without its sign, and whether it was negative (minus, 负, parentheses)."""
    wrapped = _PARENTHESISED.match(text)
    if wrapped is not None:
        return wrapped.group("inner"), True
    sign = _NEGATIVE_SIGN.match(text)
    if sign is not None:
        return text[sign.end() :], True
    return text.removeprefix("+"), False


def _to_decimal(text: str, *, signed: bool) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueTypeError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ValueTypeError(f"amount must be a finite number: {text!r}")
    if value < 0 and not signed:
        raise ValueTypeError(f"negative amount where only amounts of zero or more fit: {text!r}")
    return value


__all__ = ["Money", "clean_money"]
