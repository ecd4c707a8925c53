"""Units of stated returns and their simple annualisation, in exact decimal arithmetic.

:func:`annualise` turns a rate in percent per period into percent per year without
compounding: monthly × 12, weekly × 52, daily × 365, a total over a term × 12 / months or
× 365 / days. :func:`amount_rate` turns an amount earned on a principal into a percentage.
Both are exact (34 significant digits); rounding to :data:`ANNUAL_RATE_PLACES` happens once,
at the end, in :func:`round_annual`. Used by :mod:`smokewatch.text.returns`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum

from smokewatch.errors import InvalidInput


class ReturnUnit(StrEnum):
    """The period a stated return is given for."""

    YEAR = "year"
    MONTH = "month"
    WEEK = "week"
    DAY = "day"
    TERM = "term"
    """A total over a stated term (3个月收益15%, 一年后连本带息12万元, 三个月翻倍)."""
    MULTIPLE = "multiple"
    """A multiple of the principal with no term (翻倍 = 2, 5倍收益 = 5); not annualised."""


class Qualifier(StrEnum):
    """How the text bounds the rate."""

    MAX = "max"
    """An upper bound: 最高, 高达, 可达, 以内."""
    MIN = "min"
    """A lower bound: 不低于, 至少, 保底, 以上, 起, 超过, 低至 (a loan's lowest rate)."""
    APPROX = "approx"
    """An approximation: 约, 大约, 左右, 上下."""


ANNUAL_RATE_PLACES = Decimal("0.0001")
"""Annual rates are rounded to 4 decimal places (half up), once, after exact arithmetic."""

_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP)
_FACTORS = {"year": Decimal(1), "month": Decimal(12), "week": Decimal(52), "day": Decimal(365)}


def annualise(
    value: Decimal,
    unit: str,
    *,
    term_months: Decimal | None = None,
    term_days: Decimal | None = None,
) -> Decimal:
    """A rate in percent per ``unit`` as simple percent per year, exact (not rounded).

    ``year`` is returned as is; ``month`` × 12; ``week`` × 52; ``day`` × 365; ``term`` (a
    total over a term) × 12 / ``term_months`` or × 365 / ``term_days`` (give exactly one).

    Raises:
        InvalidInput: a negative value, an unknown unit, ``multiple`` (a multiple without a
            term has no yearly rate), or a missing, doubled or non-positive term.

    Examples:
        >>> annualise(Decimal("2"), "month")
        Decimal('24')
        >>> annualise(Decimal("100"), "term", term_months=Decimal(3))
        Decimal('400')
        >>> annualise(Decimal("0.05"), "day")
        Decimal('18.25')
    """
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"a rate must be a finite, non-negative number, not {value}")
    with localcontext(_CONTEXT):
        if unit in _FACTORS:
            if term_months is not None or term_days is not None:
                raise InvalidInput(f"a {unit}ly rate takes no term")
            return value * _FACTORS[unit]
        if unit == ReturnUnit.TERM:
            if term_months is not None and term_days is None:
                term, per_year = term_months, Decimal(12)
            elif term_days is not None and term_months is None:
                term, per_year = term_days, Decimal(365)
            else:
                raise InvalidInput(
                    "a total over a term needs exactly one of term_months, term_days"
                )
            if not term.is_finite() or term <= 0:
                raise InvalidInput(f"a term must be positive, not {term}")
            return value * per_year / term
    if unit == ReturnUnit.MULTIPLE:
        raise InvalidInput("a multiple without a term cannot be annualised")
    raise InvalidInput(f"unknown unit {unit!r}; use one of {', '.join(ReturnUnit)}")


def amount_rate(income: Decimal, principal: Decimal) -> Decimal:
    """An amount earned on a principal as a rate in percent, exact: 300 on 10,000 is 3.

    Raises:
        InvalidInput: a principal that is not positive.

    Examples:
        >>> amount_rate(Decimal(5), Decimal(10000))
        Decimal('0.05')
    """
    if principal <= 0:
        raise InvalidInput(f"a principal must be positive, not {principal}")
    with localcontext(_CONTEXT):
        return income * 100 / principal


def round_annual(rate: Decimal) -> Decimal:
    """Round a yearly rate to :data:`ANNUAL_RATE_PLACES` (4 decimals, half up).

    Examples:
        >>> round_annual(Decimal("1042.857142857142857142857142857143"))
        Decimal('1042.8571')
    """
    return rate.quantize(ANNUAL_RATE_PLACES, rounding=ROUND_HALF_UP)


__all__ = [
    "ANNUAL_RATE_PLACES",
    "Qualifier",
    "ReturnUnit",
    "amount_rate",
    "annualise",
    "round_annual",
]
