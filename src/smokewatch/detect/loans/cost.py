"""The true yearly cost of a loan, from the cash flows that actually changed hands.

A loan book states a nominal rate, but what the borrower pays is decided by the cash flows: the
amount actually handed over (less any 砍头息, service, guarantee or consulting fee deducted up
front), every fee paid on the side and every repayment, each on its day. The comprehensive
yearly cost (综合年化成本) is the internal rate of return of those flows:

* the flows are seen from the lender: what the borrower receives is negative, what the borrower
  pays back (principal, interest, fees) is positive;
* time is counted in days from the first flow and expressed in years of 365 days;
* ``effective`` is the rate ``e`` with ``Σ amount_i · (1 + e)^(−days_i / 365) = 0`` (the XIRR
  convention);
* ``apr`` is the same cost stated per year the way Chinese lenders disclose it, the monthly
  internal rate times twelve: ``apr = 12 · ((1 + e)^(1/12) − 1)``. It is never higher than
  ``effective``, so a loan whose ``apr`` is above the legal cap is above it under any convention.

Solving is vectorised: :func:`solve_costs` takes a batch of loans as two padded matrices (days
and amounts, zero-padded) and runs Newton's method on ``x = ln(1 + e)``, where the present value
of a conventional loan (money out first, money back after) falls strictly as ``x`` grows, with
bisection for the loans Newton does not settle. A loan whose flows do not change sign exactly
once has no unique rate; it is reported as such, never guessed.

Examples:
    Lend 10,000 for a year at 10 %, but hand over only 8,000 (2,000 砍头息 deducted):

    >>> from datetime import date
    >>> flows = [(date(2023, 1, 1), -8000.0), (date(2024, 1, 1), 11000.0)]
    >>> cost = loan_cost(flows)
    >>> round(cost.effective, 4), round(cost.apr, 4)
    (0.375, 0.3227)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import numpy.typing as npt

DAYS_PER_YEAR = 365.0
_NEWTON_STEPS = 30
_BISECTION_STEPS = 80
_TOLERANCE = 1e-10
# ln(1 + e) is searched between a 99.99 % yearly loss and a 10^8-fold yearly gain.
_X_LOW = float(np.log(1e-4))
_X_HIGH = float(np.log(1e8))

FloatArray = npt.NDArray[np.float64]


class CostStatus(StrEnum):
    """Whether a loan's cash flows determine one yearly cost."""

    OK = "ok"
    NO_FLOWS = "no_flows"
    """Fewer than two flows with a non-zero amount."""
    NOT_CONVENTIONAL = "not_conventional"
    """The flows do not change sign exactly once (money out, then money back)."""
    OUT_OF_RANGE = "out_of_range"
    """The cost lies outside −99.99 % … 10^10 % a year (or all flows fall on one day)."""


@dataclass(frozen=True, slots=True)
class LoanCost:
    """The yearly cost of one loan.

    Attributes:
        status: Whether the flows determine a cost; the rates are ``nan`` unless ``OK``.
        effective: Effective yearly rate (XIRR convention), as a fraction (0.36 = 36 %).
        apr: The monthly internal rate × 12, as a fraction: the disclosed-rate convention.
        received: What the borrower actually received (sum of the lender's outflows).
        paid: What the borrower paid back in all (principal, interest, fees).
        days: Days from the first to the last flow.
    """

    status: CostStatus
    effective: float
    apr: float
    received: float
    paid: float
    days: int


def apr_from_effective(effective: FloatArray | float) -> FloatArray:
    """The disclosed-rate convention: the monthly internal rate × 12."""
    return np.asarray(12.0 * np.expm1(np.log1p(effective) / 12.0), dtype=np.float64)


def solve_costs(days: FloatArray, amounts: FloatArray) -> tuple[FloatArray, npt.NDArray[np.str_]]:
    """Effective yearly rates of a batch of loans.

    Args:
        days: ``(n, k)`` days of each flow from the loan's first flow (padding: any value).
        amounts: ``(n, k)`` amounts from the lender's side; padding is ``0``.

    Returns:
        The effective rates (``nan`` where undetermined) and each loan's :class:`CostStatus`.
    """
    years = np.asarray(days, dtype=np.float64) / DAYS_PER_YEAR
    amounts = np.asarray(amounts, dtype=np.float64)
    n = amounts.shape[0]
    status = _classify(years, amounts)
    rates = np.full(n, np.nan)
    live = np.flatnonzero(status == CostStatus.OK.value)
    if live.size:
        x, settled = _newton(years[live], amounts[live])
        if not settled.all():
            redo = live[~settled]
            x[~settled] = _bisect(years[redo], amounts[redo])
        inside = (x > _X_LOW + 1e-9) & (x < _X_HIGH - 1e-9)
        rates[live[inside]] = np.expm1(x[inside])
        status[live[~inside]] = CostStatus.OUT_OF_RANGE.value
    return rates, status


def loan_cost(flows: Sequence[tuple[date, float]]) -> LoanCost:
    """The yearly cost of one loan from its dated flows (lender's side: out < 0, back > 0)."""
    kept = sorted((day, float(amount)) for day, amount in flows if amount != 0)
    received = -sum(a for _, a in kept if a < 0)
    paid = sum(a for _, a in kept if a > 0)
    if len(kept) < 2:
        return LoanCost(CostStatus.NO_FLOWS, np.nan, np.nan, received, paid, 0)
    start = kept[0][0]
    days = np.array([[(day - start).days for day, _ in kept]], dtype=np.float64)
    amounts = np.array([[amount for _, amount in kept]], dtype=np.float64)
    rates, status = solve_costs(days, amounts)
    effective = float(rates[0])
    apr = float(apr_from_effective(effective)) if not np.isnan(effective) else np.nan
    return LoanCost(CostStatus(str(status[0])), effective, apr, received, paid, int(days[0, -1]))


def _classify(years: FloatArray, amounts: FloatArray) -> npt.NDArray[np.str_]:
    n = amounts.shape[0]
    status = np.full(n, CostStatus.OK.value, dtype="<U16")
    nonzero = amounts != 0
    status[nonzero.sum(axis=1) < 2] = CostStatus.NO_FLOWS.value
    # Sign changes along the flows in time order, skipping zeros (padding included).
    order = np.argsort(np.where(nonzero, years, np.inf), axis=1, kind="stable")
    signs = np.take_along_axis(np.sign(amounts), order, axis=1)
    count = nonzero.sum(axis=1)
    first = signs[:, 0]
    changes = np.zeros(n, dtype=np.int64)
    prev = first.copy()
    for j in range(1, signs.shape[1]):
        s = signs[:, j]
        active = j < count
        changes += (active & (s != prev)).astype(np.int64)
        prev = np.where(active, s, prev)
    conventional = (changes == 1) & (first < 0)
    span = np.where(nonzero, years, -np.inf).max(axis=1) - np.where(nonzero, years, np.inf).min(
        axis=1
    )
    ok = status == CostStatus.OK.value
    status[ok & ~conventional] = CostStatus.NOT_CONVENTIONAL.value
    status[(status == CostStatus.OK.value) & (span <= 0)] = CostStatus.OUT_OF_RANGE.value
    return status


def _value(x: FloatArray, years: FloatArray, amounts: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Present value at log-rate ``x`` and its derivative in ``x``."""
    with np.errstate(over="ignore", invalid="ignore"):
        discount = np.exp(np.minimum(-x[:, None] * years, 700.0))
        present = amounts * discount
    return present.sum(axis=1), -(present * years).sum(axis=1)


def _newton(years: FloatArray, amounts: FloatArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    out = -np.minimum(amounts, 0).sum(axis=1)
    back = np.maximum(amounts, 0).sum(axis=1)
    weights = np.maximum(amounts, 0)
    mean_years = (weights * years).sum(axis=1) / np.maximum(back, 1e-300)
    # Start from the simple rate of "received now, paid back at the mean time".
    x = np.log(np.maximum(back, 1e-300) / np.maximum(out, 1e-300)) / np.maximum(mean_years, 1e-6)
    x = np.clip(x, _X_LOW, _X_HIGH)
    settled = np.zeros(x.shape[0], dtype=bool)
    scale = np.maximum(out, 1.0)
    for _ in range(_NEWTON_STEPS):
        value, slope = _value(x, years, amounts)
        step = np.where(slope != 0, value / np.where(slope != 0, slope, 1.0), 0.0)
        x = np.clip(x - step, _X_LOW, _X_HIGH)
        settled = np.abs(value) <= _TOLERANCE * scale
        if settled.all():
            break
    value, _ = _value(x, years, amounts)
    settled = np.abs(value) <= 1e-8 * scale
    return x, settled


def _bisect(years: FloatArray, amounts: FloatArray) -> FloatArray:
    low = np.full(amounts.shape[0], _X_LOW)
    high = np.full(amounts.shape[0], _X_HIGH)
    for _ in range(_BISECTION_STEPS):
        mid = (low + high) / 2
        value, _ = _value(mid, years, amounts)
        # A conventional loan's present value falls as the rate grows.
        above = value > 0
        low = np.where(above, mid, low)
        high = np.where(above, high, mid)
    middle: FloatArray = (low + high) / 2
    return middle
