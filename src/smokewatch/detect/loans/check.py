"""Check every loan of a book against the legal cap on the cost of credit, through the Engine.

The flows of each loan are gathered in SQL (one list of ``(day, signed amount)`` per loan, so
the order of days and amounts can never come apart on Spark), joined to the loan, and solved in
a Python step over Arrow batches with :func:`~smokewatch.detect.loans.cost.solve_costs` — a
batch of thousands of loans becomes two padded matrices, never a Python loop per loan.

The cap is the judicial protection ceiling in force **on the contract date**
(:meth:`~smokewatch.text.rates.Benchmarks.legal_ceiling`: four times the one-year LPR from
2020-08-20, per 《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条). A loan
is over the cap when its ``apr`` — the lower of the two conventions — exceeds the cap by more
than :data:`CAP_TOLERANCE` percentage points (rounding in books).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.detect.loans.cost import CostStatus, apr_from_effective, solve_costs
from smokewatch.model.vocab import get_vocabulary
from smokewatch.text.rates import Benchmarks, load_benchmarks

if TYPE_CHECKING:
    import ibis.expr.types as ir

CAP_TOLERANCE = 0.01
"""Percentage points by which the cost must exceed the cap to count as over it."""

COST_SCHEMA = pa.schema(
    [
        ("loan_id", pa.string()),
        ("lender_uscc", pa.string()),
        ("contract_number", pa.string()),
        ("contract_date", pa.date32()),
        ("principal", pa.float64()),
        ("nominal_rate", pa.float64()),
        ("disbursed", pa.float64()),
        ("paid_back", pa.float64()),
        ("n_flows", pa.int64()),
        ("days", pa.int64()),
        ("status", pa.string()),
        ("effective_rate", pa.float64()),
        ("apr", pa.float64()),
        ("legal_cap", pa.float64()),
        ("cap_basis", pa.string()),
        ("over_cap", pa.bool_()),
        ("excess", pa.float64()),
    ]
)
"""One row per loan. ``disbursed``: what the lender handed over; ``paid_back``: everything that
came back (deductions, fees, interest, principal). Rates and the cap in percent per year;
``excess`` in percentage points above the cap."""

MapBatches = Callable[["ir.Table", Callable[..., Iterator[pa.RecordBatch]], pa.Schema], "ir.Table"]


def outgoing_kinds() -> frozenset[str]:
    """Flow kinds in which the lender hands money over (vocabulary ``loan_flow_kind``)."""
    vocab = get_vocabulary("loan_flow_kind")
    return frozenset(t for t, term in vocab.terms.items() if term.attrs.get("direction") == "out")


def gathered_loans(loans: ir.Table, flows: ir.Table) -> ir.Table:
    """Each loan with the list of its flows as ``(day, signed amount)`` structs.

    Flows find their loan by the lender's USCC and the contract number (natural keys: books
    are delivered per lender and number their contracts).
    """
    amount = flows.amount.cast("float64")
    signed = ibis.cases((flows.kind.isin(sorted(outgoing_kinds())), -amount), else_=amount)
    per_loan = flows.group_by(
        flow_lender=flows.lender_uscc, flow_contract=flows.contract_number
    ).aggregate(flows=ibis.struct({"day": flows.flow_date, "amount": signed}).collect())
    book = loans.select(
        loan_id=loans.id,
        lender_uscc=loans.lender_uscc,
        contract_number=loans.contract_number,
        contract_date=loans.contract_date,
        principal=loans.principal.cast("float64"),
        nominal_rate=loans.nominal_rate,
    )
    joined = book.left_join(
        per_loan,
        [
            book.lender_uscc == per_loan.flow_lender,
            book.contract_number == per_loan.flow_contract,
        ],
    )
    return joined.select(*book.columns, "flows")


def loan_costs(loans: ir.Table, flows: ir.Table, map_batches: MapBatches) -> ir.Table:
    """Every loan's cost and its place against the cap (:data:`COST_SCHEMA`)."""
    step = functools.partial(cost_batches, benchmarks=load_benchmarks())
    return map_batches(gathered_loans(loans, flows), step, COST_SCHEMA)


def cost_batches(
    batches: Iterator[pa.RecordBatch], *, benchmarks: Benchmarks
) -> Iterator[pa.RecordBatch]:
    """The Python step: solve a batch of gathered loans at once."""
    caps: dict[date, tuple[float, str]] = {}
    for batch in batches:
        yield _costs(pa.Table.from_batches([batch]), benchmarks, caps)


def _cap(
    day: date | None, benchmarks: Benchmarks, cache: dict[date, tuple[float, str]]
) -> tuple[float, str]:
    if day is None:
        return float("nan"), ""
    if day not in cache:
        value, rule = benchmarks.legal_ceiling(day)
        cache[day] = (float(value), rule.citation())
    return cache[day]


def _caps(
    contract: pa.ChunkedArray, benchmarks: Benchmarks, cache: dict[date, tuple[float, str]]
) -> tuple[np.ndarray, pa.Array]:
    """The cap and its legal basis for each contract date (looked up once per distinct day)."""
    days = contract.combine_chunks()
    distinct = pc.unique(days)
    found = [_cap(day, benchmarks, cache) for day in distinct.to_pylist()]
    index = pc.index_in(days, value_set=distinct)
    caps = np.array([c for c, _ in found] or [np.nan], dtype=np.float64)
    bases = pa.array([b for _, b in found] or [""], pa.string())
    where = pc.fill_null(index, 0).to_numpy(zero_copy_only=False)
    cap = np.where(pc.is_null(index).to_numpy(zero_copy_only=False), np.nan, caps[where])
    basis = pc.if_else(pc.is_null(index), pa.scalar("", pa.string()), pc.take(bases, where))
    return cap, basis


def _padded(flows: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days from each loan's first flow and signed amounts, as zero-padded matrices."""
    lists = flows.combine_chunks()
    n = len(lists)
    counts = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False)
    width = max(int(counts.max()) if n else 0, 1)
    days = np.zeros((n, width))
    amounts = np.zeros((n, width))
    if counts.sum():
        items = pc.list_flatten(lists)
        day = items.field("day").cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.float64)
        amount = pc.fill_null(items.field("amount"), 0.0).to_numpy(zero_copy_only=False)
        rows = np.repeat(np.arange(n), counts)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        cols = np.arange(len(rows)) - np.repeat(starts, counts)
        first = np.full(n, np.inf)
        np.minimum.at(first, rows, day)
        days[rows, cols] = day - first[rows]
        amounts[rows, cols] = amount
    return days, amounts, counts


def _costs(
    table: pa.Table, benchmarks: Benchmarks, cache: dict[date, tuple[float, str]]
) -> pa.RecordBatch:
    days, amounts, counts = _padded(table.column("flows"))
    rates, status = solve_costs(days, amounts)
    ok = status == CostStatus.OK.value
    apr = np.full(len(rates), np.nan)
    apr[ok] = apr_from_effective(rates[ok]) * 100
    cap, basis = _caps(table.column("contract_date"), benchmarks, cache)
    with np.errstate(invalid="ignore"):
        excess = apr - cap
    over = ok & (excess > CAP_TOLERANCE)
    disbursed = np.maximum(-amounts, 0).sum(axis=1)
    paid_back = np.maximum(amounts, 0).sum(axis=1)
    span = np.where(amounts != 0, days, 0).max(axis=1).astype(np.int64)
    return pa.RecordBatch.from_arrays(
        [
            table.column("loan_id").combine_chunks(),
            table.column("lender_uscc").combine_chunks(),
            table.column("contract_number").combine_chunks(),
            table.column("contract_date").combine_chunks(),
            table.column("principal").combine_chunks(),
            table.column("nominal_rate").combine_chunks(),
            pa.array(disbursed),
            pa.array(paid_back),
            pa.array(counts.astype(np.int64)),
            pa.array(span),
            pa.array(status.tolist(), pa.string()),
            pa.array(rates * 100, from_pandas=True),
            pa.array(apr, from_pandas=True),
            pa.array(cap, from_pandas=True),
            basis,
            pa.array(over),
            pa.array(np.where(ok, excess, np.nan), from_pandas=True),
        ],
        schema=COST_SCHEMA,
    )
