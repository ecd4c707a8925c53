"""The true yearly cost of a loan from its cash flows.

Cases computed by hand (the arithmetic is in each test); properties for the rest.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smokewatch.detect.loans.cost import (
    DAYS_PER_YEAR,
    CostStatus,
    apr_from_effective,
    loan_cost,
    solve_costs,
)

MONTH = DAYS_PER_YEAR / 12


def test_an_annuity_at_one_percent_a_month_costs_twelve_percent_apr() -> None:
    # 12,000 over 12 months at 1 % a month: payment = P·r / (1 − (1 + r)^−12) = 1,066.19.
    payment = 12_000 * 0.01 / (1 - 1.01**-12)
    days = np.array([[0.0] + [MONTH * m for m in range(1, 13)]])
    amounts = np.array([[-12_000.0] + [payment] * 12])
    rates, status = solve_costs(days, amounts)
    assert status.tolist() == [CostStatus.OK.value]
    assert float(apr_from_effective(rates[0])) == pytest.approx(0.12, abs=1e-9)
    assert rates[0] == pytest.approx(1.01**12 - 1, abs=1e-9)


def test_a_fee_deducted_up_front_is_paid_on_money_never_received() -> None:
    # 10,000 lent for a year at 10 %, 2,000 砍头息 kept back: 8,000 out, 11,000 back.
    # effective = 11,000 / 8,000 − 1 = 37.5 %; apr = 12 · (1.375^(1/12) − 1) = 32.27 %.
    cost = loan_cost([(date(2023, 1, 1), -8_000.0), (date(2024, 1, 1), 11_000.0)])
    assert cost.status is CostStatus.OK
    assert cost.effective == pytest.approx(0.375, abs=1e-9)
    assert cost.apr == pytest.approx(12 * (1.375 ** (1 / 12) - 1), abs=1e-9)
    assert (cost.received, cost.paid, cost.days) == (8_000.0, 11_000.0, 365)


def test_early_repayment_with_a_service_fee_on_day_one() -> None:
    # 10,000 out on 2024-03-01 and a 500 service fee back the same day; on 2024-06-01
    # (92 days) 10,600 back (2 % a month for 3 months). Net 9,500 out for 92 days:
    # effective = (10,600 / 9,500)^(365/92) − 1 = 54.45 %.
    flows = [
        (date(2024, 3, 1), -10_000.0),
        (date(2024, 3, 1), 500.0),
        (date(2024, 6, 1), 10_600.0),
    ]
    cost = loan_cost(flows)
    expected = (10_600 / 9_500) ** (365 / 92) - 1
    assert cost.effective == pytest.approx(expected, abs=1e-9)
    assert cost.apr == pytest.approx(12 * ((1 + expected) ** (1 / 12) - 1), abs=1e-9)


def test_irregular_schedule_matches_the_defining_equation() -> None:
    start = date(2022, 5, 17)
    flows = [
        (start, -50_000.0),
        (start + timedelta(days=13), 3_000.0),
        (start + timedelta(days=75), 9_000.0),
        (start + timedelta(days=200), 20_000.0),
        (start + timedelta(days=401), 30_000.0),
    ]
    cost = loan_cost(flows)
    value = sum(a * (1 + cost.effective) ** (-(d - start).days / 365) for d, a in flows)
    assert cost.status is CostStatus.OK
    assert abs(value) < 1e-6


@pytest.mark.parametrize(
    ("flows", "status"),
    [
        ([], CostStatus.NO_FLOWS),
        ([(date(2024, 1, 1), -1_000.0)], CostStatus.NO_FLOWS),
        ([(date(2024, 1, 1), -1_000.0), (date(2024, 2, 1), 0.0)], CostStatus.NO_FLOWS),
        # Money back before money out, or out–back–out: no unique rate.
        ([(date(2024, 1, 1), 1_000.0), (date(2024, 2, 1), -1_100.0)], CostStatus.NOT_CONVENTIONAL),
        (
            [
                (date(2024, 1, 1), -1_000.0),
                (date(2024, 2, 1), 1_500.0),
                (date(2024, 3, 1), -600.0),
            ],
            CostStatus.NOT_CONVENTIONAL,
        ),
        # Everything on one day: no time for a rate to act on.
        ([(date(2024, 1, 1), -1_000.0), (date(2024, 1, 1), 1_100.0)], CostStatus.OUT_OF_RANGE),
    ],
)
def test_flows_without_one_rate_are_reported_not_guessed(
    flows: list[tuple[date, float]], status: CostStatus
) -> None:
    cost = loan_cost(flows)
    assert cost.status is status
    assert math.isnan(cost.effective)
    assert math.isnan(cost.apr)


def test_a_loan_never_repaid_in_full_has_a_negative_cost() -> None:
    cost = loan_cost([(date(2023, 1, 1), -1_000.0), (date(2024, 1, 1), 500.0)])
    assert cost.status is CostStatus.OK
    assert cost.effective == pytest.approx(-0.5, abs=1e-9)


# -- properties ------------------------------------------------------------------------

loans = st.tuples(
    st.floats(1_000, 1_000_000),  # principal handed over
    st.lists(
        st.tuples(st.integers(1, 1_500), st.floats(0.0, 1.0)), min_size=1, max_size=24
    ),  # (day, share of principal paid back)
    st.floats(1.0, 3.0),  # total paid back over principal
)


def _flows(loan: tuple[float, list[tuple[int, float]], float]) -> tuple[list[float], list[float]]:
    principal, schedule, multiple = loan
    total = sum(share for _, share in schedule)
    shares = (
        [share / total for _, share in schedule] if total else [1 / len(schedule)] * len(schedule)
    )
    days = [0.0] + [float(day) for day, _ in schedule]
    return days, [-principal] + [principal * multiple * share for share in shares]


def _pad(rows: list[tuple[list[float], list[float]]]) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(d) for d, _ in rows)
    days = np.zeros((len(rows), width))
    amounts = np.zeros((len(rows), width))
    for i, (d, a) in enumerate(rows):
        days[i, : len(d)] = d
        amounts[i, : len(a)] = a
    return days, amounts


@settings(max_examples=200, deadline=None)
@given(st.lists(loans, min_size=1, max_size=8))
def test_the_rate_zeroes_the_present_value_and_a_batch_equals_its_loans(
    batch: list[tuple[float, list[tuple[int, float]], float]],
) -> None:
    rows = [_flows(loan) for loan in batch]
    days, amounts = _pad(rows)
    rates, status = solve_costs(days, amounts)
    for i, (d, a) in enumerate(rows):
        alone, alone_status = solve_costs(*_pad([(d, a)]))
        assert status[i] == alone_status[0]
        if status[i] != CostStatus.OK.value:
            continue
        assert rates[i] == pytest.approx(alone[0], rel=1e-9, abs=1e-12)
        value = sum(x * (1 + rates[i]) ** (-t / DAYS_PER_YEAR) for t, x in zip(d, a, strict=True))
        assert abs(value) <= 1e-6 * a[0] * -1


@settings(max_examples=200, deadline=None)
@given(loans, st.floats(0.01, 0.5))
def test_deducting_more_up_front_never_lowers_the_cost(
    loan: tuple[float, list[tuple[int, float]], float], deducted: float
) -> None:
    days, amounts = _flows(loan)
    less = list(amounts)
    less[0] = amounts[0] * (1 - deducted)
    (before, after), status = solve_costs(*_pad([(days, amounts), (days, less)]))
    if (status == CostStatus.OK.value).all():
        assert after >= before - 1e-12
        assert float(apr_from_effective(after)) <= after + 1e-12


@given(st.floats(-0.99, 100.0))
def test_apr_never_exceeds_the_effective_rate(effective: float) -> None:
    assert float(apr_from_effective(effective)) <= effective + 1e-12
