"""The amount involved (涉案金额) of a case: parsed to the fen, recorded in the history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smokewatch.errors import Conflict, Forbidden, InvalidInput
from smokewatch.services import cases, dashboard
from smokewatch.services.case_intake import parse_amount, update_case
from tests.api.world import IN, World, referred_case
from tests.services.monitored import world  # noqa: F401


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1234567.8", "1234567.80"),
        ("¥1,234,567.80", "1234567.80"),
        ("￥ 3,000 元", "3000.00"),
        ("１２３４．５", "1234.50"),
        ("0", "0.00"),
        (2500, "2500.00"),
    ],
)
def test_amounts_are_read_as_typed_in_china(typed: str | int, amount: str) -> None:
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("一百万", "number"),
        ("", "number"),
        ("-1", "zero or more"),
        ("NaN", "zero or more"),
        ("12.345", "two decimals"),
        ("1e15", "below"),
    ],
)
def test_bad_amounts_are_refused_with_the_reason(typed: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        parse_amount(typed)


def test_recording_an_amount_is_a_step_of_the_history(world: World) -> None:  # noqa: F811
    case_id = referred_case(world, IN)
    lead = world.actors["lead"]
    version = cases.get_case(world.store, lead, case_id)["version"]
    first = update_case(
        world.store, lead, case_id, amount_involved="800000", expected_version=version
    )
    second = update_case(world.store, lead, case_id, amount_involved="1,200,000.5")
    assert first["amount_involved"] == Decimal("800000.00")
    assert second["amount_involved"] == Decimal("1200000.50")
    steps = [
        e for e in cases.get_case(world.store, lead, case_id)["history"] if e["action"] == "update"
    ]
    assert [s["data"] for s in steps] == [
        {"before": {"amount_involved": None}, "after": {"amount_involved": "800000.00"}},
        {"before": {"amount_involved": "800000.00"}, "after": {"amount_involved": "1200000.50"}},
    ]
    with pytest.raises(Conflict):
        update_case(world.store, lead, case_id, amount_involved="1", expected_version=version)


def test_only_case_workers_record_amounts(world: World) -> None:  # noqa: F811
    case_id = referred_case(world, IN)
    with pytest.raises(Forbidden):
        update_case(world.store, world.actors["viewer"], case_id, amount_involved="1")


def test_the_overview_sums_the_recorded_amounts_and_counts_the_cases(world: World) -> None:  # noqa: F811
    lead = world.actors["lead"]
    update_case(world.store, lead, referred_case(world, IN), amount_involved="1000.25")
    update_case(world.store, lead, referred_case(world, IN), amount_involved="2000.50")
    referred_case(world, IN)  # no amount recorded
    figure = dashboard.seed_figures(world.store, lead)["amount_involved"]
    assert figure["value"] == Decimal("3000.75")
    assert (figure["cases"], figure["of"]) == (2, 3)
