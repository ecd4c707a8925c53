"""Costing whole loan books through the Engine, and the cap in force on each contract date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest

from smokewatch.detect.loans.check import COST_SCHEMA, loan_costs, outgoing_kinds
from smokewatch.engine import Engine, connect
from smokewatch.settings import EngineSettings
from smokewatch.text.rates import load_benchmarks

LENDER = "91340200MA2N1GD013"
OTHER = "91340200MA2N2AX02D"


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = connect("duckdb://:memory:", EngineSettings(threads=1))
    yield engine
    engine.close()


def _book(engine: Engine, loans: list[dict[str, object]], flows: list[dict[str, object]]):
    money = pa.decimal128(20, 2)
    loan_table = pa.Table.from_pylist(
        loans,
        schema=pa.schema(
            [
                ("id", pa.string()),
                ("lender_uscc", pa.string()),
                ("contract_number", pa.string()),
                ("principal", money),
                ("contract_date", pa.date32()),
                ("nominal_rate", pa.float64()),
            ]
        ),
    )
    flow_table = pa.Table.from_pylist(
        flows,
        schema=pa.schema(
            [
                ("lender_uscc", pa.string()),
                ("contract_number", pa.string()),
                ("flow_date", pa.date32()),
                ("kind", pa.string()),
                ("amount", money),
            ]
        ),
    )
    costs = loan_costs(
        engine.register("loan", loan_table),
        engine.register("loan_flow", flow_table),
        lambda expr, fn, schema: engine.map_batches(expr, fn, schema, name="costs"),
    )
    table = engine.to_arrow(costs)
    assert table.schema.names == COST_SCHEMA.names
    return {row["loan_id"]: row for row in table.to_pylist()}


def _loan(loan_id: str, contract: str, day: date, lender: str = LENDER) -> dict[str, object]:
    return {
        "id": loan_id,
        "lender_uscc": lender,
        "contract_number": contract,
        "principal": Decimal(10000),
        "contract_date": day,
        "nominal_rate": 12.0,
    }


def _flow(contract: str, day: date, kind: str, amount: int, lender: str = LENDER):
    return {
        "lender_uscc": lender,
        "contract_number": contract,
        "flow_date": day,
        "kind": kind,
        "amount": Decimal(amount),
    }


def test_only_disbursements_go_out() -> None:
    assert outgoing_kinds() == {"disbursement"}


def test_a_deduction_up_front_is_costed_against_the_cap_of_the_contract_date(
    engine: Engine,
) -> None:
    # 10,000 lent with 2,000 kept back, 11,200 back a year later: 8,000 for a year →
    # 40 % effective, 12·(1.4^(1/12) − 1) = 33.98 % apr. The cap on 2023-09-01 is
    # 4 × the LPR then in force.
    rows = _book(
        engine,
        [_loan("l1", "C-1", date(2023, 9, 1))],
        [
            _flow("C-1", date(2023, 9, 1), "disbursement", 10_000),
            _flow("C-1", date(2023, 9, 1), "upfront_deduction", 2_000),
            _flow("C-1", date(2024, 8, 31), "principal", 10_000),
            _flow("C-1", date(2024, 8, 31), "interest", 1_200),
        ],
    )
    loan = rows["l1"]
    assert loan["status"] == "ok"
    assert (loan["disbursed"], loan["paid_back"], loan["n_flows"]) == (10_000.0, 13_200.0, 4)
    assert loan["effective_rate"] == pytest.approx(40.0, abs=1e-6)
    assert loan["apr"] == pytest.approx(1200 * (1.4 ** (1 / 12) - 1), abs=1e-6)
    cap, rule = load_benchmarks().legal_ceiling(date(2023, 9, 1))
    assert loan["legal_cap"] == pytest.approx(float(cap))
    assert loan["cap_basis"] == rule.citation()
    assert loan["over_cap"] is True
    assert loan["excess"] == pytest.approx(loan["apr"] - float(cap))


def test_flows_find_their_loan_by_lender_and_contract_number(engine: Engine) -> None:
    # Two lenders number their contracts alike; each loan gets only its own flows.
    rows = _book(
        engine,
        [_loan("a", "C-1", date(2024, 1, 1)), _loan("b", "C-1", date(2024, 1, 1), OTHER)],
        [
            _flow("C-1", date(2024, 1, 1), "disbursement", 10_000),
            _flow("C-1", date(2025, 1, 1), "principal", 10_300),
            _flow("C-1", date(2024, 1, 1), "disbursement", 10_000, OTHER),
            _flow("C-1", date(2025, 1, 1), "principal", 16_000, OTHER),
        ],
    )
    assert rows["a"]["over_cap"] is False
    assert rows["a"]["paid_back"] == 10_300.0
    assert rows["b"]["over_cap"] is True
    assert rows["b"]["paid_back"] == 16_000.0


def test_a_loan_without_flows_is_listed_and_never_over_the_cap(engine: Engine) -> None:
    rows = _book(engine, [_loan("l1", "C-9", date(2024, 1, 1))], [])
    loan = rows["l1"]
    assert (loan["status"], loan["n_flows"], loan["over_cap"]) == ("no_flows", 0, False)
    assert loan["apr"] is None


@pytest.mark.parametrize(
    ("day", "cap"),
    [
        (date(2020, 8, 19), 24.0),  # the 2015 rules: a fixed 24 % a year
        (date(2020, 8, 20), 15.4),  # the 2020 rules: 4 × the LPR then (3.85 %)
        (date(2021, 12, 19), 15.4),
        (date(2021, 12, 20), 15.2),  # the LPR fell to 3.80 % that day
    ],
)
def test_the_cap_is_the_one_in_force_on_the_contract_date(
    engine: Engine, day: date, cap: float
) -> None:
    rows = _book(
        engine,
        [_loan("l1", "C-1", day)],
        [_flow("C-1", day, "disbursement", 10_000), _flow("C-1", day, "principal", 0)],
    )
    assert rows["l1"]["legal_cap"] == pytest.approx(cap)
