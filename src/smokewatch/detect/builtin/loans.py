"""Python bodies of the red-line rules over licensed lenders' loan books (SW-R-04xx).

SW-R-0401 (over-cap lending): every loan made up to the assessment date is costed from its
cash flows (:mod:`smokewatch.detect.loans.check`) and compared with the judicial protection
ceiling in force on its contract date; the lender is reported with the number and share of its
loans above the cap, the highest cost, and the worst loans as evidence (their flows' totals,
cost, cap and the article behind the cap).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import ibis
import pyarrow as pa

from smokewatch.detect.loans.check import loan_costs
from smokewatch.detect.run import DetectorContext

if TYPE_CHECKING:
    import ibis.expr.types as ir

EXAMPLES = 5
"""Worst loans kept as evidence per lender."""

OVER_CAP_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("n_loans", pa.int64()),
        ("n_costed", pa.int64()),
        ("n_over_cap", pa.int64()),
        ("share_over_cap", pa.float64()),
        ("principal_over_cap", pa.float64()),
        ("max_apr", pa.float64()),
        ("cap_at_max", pa.float64()),
        ("evidence", pa.string()),
    ]
)


def _examples(value: Any) -> list[dict[str, Any]]:
    items = sorted(value or [], key=lambda i: (-(i["excess"] or 0.0), i["loan_id"]))
    return [
        {
            "loan": item["loan_id"],
            "contract": item["contract_number"],
            "contract_date": item["contract_date"].isoformat(),
            "principal": item["principal"],
            "disbursed": round(item["disbursed"], 2),
            "paid_back": round(item["paid_back"], 2),
            "days": item["days"],
            "nominal_rate": item["nominal_rate"],
            "apr": round(item["apr"], 2),
            "effective_rate": round(item["effective_rate"], 2),
            "legal_cap": round(item["legal_cap"], 2),
            "cap_basis": item["cap_basis"],
        }
        for item in items
    ]


def _over_cap_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        rows = []
        for row in batch.to_pylist():
            examples = _examples(row["examples"])
            top = examples[0] if examples else None
            rows.append(
                {
                    "subject_id": row["org_id"],
                    "subject_name": row["org_name"],
                    "n_loans": row["n_loans"],
                    "n_costed": row["n_costed"],
                    "n_over_cap": row["n_over_cap"],
                    "share_over_cap": row["n_over_cap"] / row["n_costed"]
                    if row["n_costed"]
                    else 0.0,
                    "principal_over_cap": row["principal_over_cap"] or 0.0,
                    "max_apr": top["apr"] if top else None,
                    "cap_at_max": top["legal_cap"] if top else None,
                    "evidence": json.dumps(examples, ensure_ascii=False),
                }
            )
        yield pa.RecordBatch.from_pylist(rows, schema=OVER_CAP_SCHEMA)


def over_cap_lending(ctx: DetectorContext) -> ir.Table:
    """A licensed lender charges more than the legal cap on the cost of credit."""
    costs = loan_costs(
        ctx.table("loan"),
        ctx.table("loan_flow"),
        lambda expr, fn, schema: ctx.map_batches(expr, fn, schema, step="costs"),
    )
    costs = costs.filter(costs.contract_date <= ctx.as_of)
    costed = costs.status == "ok"
    per_org = costs.group_by(costs.lender_uscc).aggregate(
        n_loans=costs.count(),
        # COUNT, not SUM of a 0/1 column: DuckDB sums integers into HUGEINT.
        n_costed=costs.count(where=costed),
        n_over_cap=costs.count(where=costs.over_cap),
        principal_over_cap=costs.principal.sum(where=costs.over_cap),
    )
    over = costs.filter(costs.over_cap)
    ranked = over.mutate(
        rank=ibis.row_number().over(
            group_by=over.lender_uscc, order_by=[ibis.desc(over.excess), over.loan_id]
        )
    )
    worst = ranked.filter(ranked["rank"] < EXAMPLES)
    examples = worst.group_by(worst.lender_uscc).aggregate(
        examples=ibis.struct(
            {
                c: worst[c]
                for c in (
                    "loan_id",
                    "contract_number",
                    "contract_date",
                    "principal",
                    "disbursed",
                    "paid_back",
                    "days",
                    "nominal_rate",
                    "apr",
                    "effective_rate",
                    "legal_cap",
                    "cap_basis",
                    "excess",
                )
            }
        ).collect()
    )
    register = ctx.table("local_org")
    orgs = register.select(org_id=register.id, org_name=register.name, org_uscc=register.uscc)
    found = per_org.filter(per_org.n_over_cap > 0)
    joined = found.inner_join(examples, found.lender_uscc == examples.lender_uscc).select(
        *found.columns, "examples"
    )
    # Findings are about registered organisations: a lender missing from the register is
    # reported by `smokewatch loans check`, not here.
    named = joined.inner_join(orgs, joined.lender_uscc == orgs.org_uscc).select(
        *joined.columns, "org_id", "org_name"
    )
    return ctx.map_batches(named, _over_cap_batches, OVER_CAP_SCHEMA, step="lenders")
