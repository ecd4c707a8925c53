"""``make bench-loans``: check millions of synthetic loans for over-cap cost on DuckDB.

1. ``generate`` (once): a seeded synthetic book — ``--loans`` contracts from 2019 to 2025 over
   200 lenders, each repaid in 1–12 monthly instalments (principal and interest); a share of the
   loans has a fee deducted up front (砍头息) or a service fee on day one, so that some cost more
   than the cap — written as Parquet (contracts and flows).
2. ``check``: load both into DuckDB and cost every loan against the cap of its contract date
   (``smokewatch.detect.loans.check.loan_costs``: SQL gathers each loan's flows, a vectorised
   Python step solves the rates), materialising the result. Reported: loans/s of the check (and
   of load + check), loans over the cap, and the peak resident memory of the process tree
   (worker processes included).

Results go to ``<out>/results.json`` and ``<out>/results.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

import measure  # noqa: E402  (a sibling script, not a package)

LENDERS = 200


def phase_generate(out: Path, loans: int, seed: int) -> dict[str, Any]:
    import pyarrow.parquet as pq

    started = time.perf_counter()
    lenders = _lenders()
    total = 0
    loan_writer: pq.ParquetWriter | None = None
    flow_writer: pq.ParquetWriter | None = None
    try:
        for first in range(0, loans, CHUNK):
            count = min(CHUNK, loans - first)
            loan_table, flow_table = _chunk(first, count, lenders, seed)
            if loan_writer is None or flow_writer is None:
                loan_writer = pq.ParquetWriter(out / "loans.parquet", loan_table.schema)
                flow_writer = pq.ParquetWriter(out / "flows.parquet", flow_table.schema)
            loan_writer.write_table(loan_table)
            flow_writer.write_table(flow_table)
            total += flow_table.num_rows
    finally:
        for writer in (loan_writer, flow_writer):
            if writer is not None:
                writer.close()
    return {"seconds": time.perf_counter() - started, "loans": loans, "flows": total}


CHUNK = 250_000


def _lenders() -> list[str]:
    from smokewatch.model.types.uscc import uscc_check_char

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    lenders = []
    for i in range(LENDERS):
        body = "91340200MA" + "".join(alphabet[(i * 7 + k * 3) % len(alphabet)] for k in range(6))
        body += alphabet[i % len(alphabet)]
        lenders.append(body + uscc_check_char(body))
    return lenders


def _chunk(first: int, loans: int, lenders: list[str], seed: int) -> tuple[Any, Any]:
    """Contracts ``first … first + loans`` and their flows (seeded per chunk)."""
    from datetime import date

    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng([seed, first])
    lender = rng.integers(0, LENDERS, loans)
    start = np.datetime64(date(2019, 1, 1))
    contract = start + rng.integers(0, 7 * 365, loans).astype("timedelta64[D]")
    principal = rng.integers(10, 500, loans) * 1000.0
    months = rng.integers(1, 13, loans)
    monthly = rng.uniform(0.003, 0.015, loans)  # 3.6 %–18 % a year nominal
    deducted = np.where(rng.random(loans) < 0.08, principal * rng.uniform(0.05, 0.2, loans), 0.0)
    fee = np.where(rng.random(loans) < 0.1, principal * rng.uniform(0.01, 0.06, loans), 0.0)
    numbers = pa.array([f"HT{i}" for i in range(first, first + loans)])
    lender_uscc = pa.array(lenders).take(pa.array(lender))
    loan_table = pa.table(
        {
            "id": pa.array([f"loan-HT{i}" for i in range(first, first + loans)]),
            "lender_uscc": lender_uscc,
            "contract_number": numbers,
            "principal": pa.array(principal).cast(pa.decimal128(20, 2)),
            "contract_date": pa.array(contract.astype("datetime64[D]")),
            "nominal_rate": monthly * 1200,
        }
    )
    # Flows: disbursement, optional deduction and fee on day one, then the instalments.
    payment = principal * monthly / (1 - (1 + monthly) ** -months)
    extra = (deducted > 0).astype(int) + (fee > 0).astype(int)
    per_loan = 1 + extra + months
    owner = np.repeat(np.arange(loans), per_loan)
    offset = np.arange(int(per_loan.sum())) - np.repeat(np.cumsum(per_loan) - per_loan, per_loan)
    instalment = offset - extra[owner]  # ≤ 0: day-one items, k ≥ 1: the k-th month
    kinds = np.array(["disbursement", "upfront_deduction", "service_fee", "principal"])
    code = np.full(len(owner), 3)
    code[offset == 0] = 0
    code[(offset == 1) & (deducted[owner] > 0)] = 1
    code[(offset == 1 + (deducted[owner] > 0)) & (fee[owner] > 0) & (offset <= extra[owner])] = 2
    amount = np.choose(code, [principal[owner], deducted[owner], fee[owner], payment[owner]])
    day = contract[owner] + np.where(instalment > 0, instalment * 30, 0).astype("timedelta64[D]")
    flow_table = pa.table(
        {
            "lender_uscc": lender_uscc.take(pa.array(owner)),
            "contract_number": numbers.take(pa.array(owner)),
            "flow_date": pa.array(day.astype("datetime64[D]")),
            "kind": pa.array(kinds).take(pa.array(code)),
            "amount": pa.array(np.round(amount, 2)).cast(pa.decimal128(20, 2)),
        }
    )
    return loan_table, flow_table


def phase_check(out: Path) -> dict[str, Any]:
    import pyarrow.parquet as pq

    from smokewatch.detect.loans.check import loan_costs
    from smokewatch.engine import connect
    from smokewatch.settings import EngineSettings

    started = time.perf_counter()
    engine = connect("duckdb://:memory:", EngineSettings())
    loans = engine.register("loan", pq.read_table(out / "loans.parquet"))
    flows = engine.register("loan_flow", pq.read_table(out / "flows.parquet"))
    loaded = time.perf_counter()
    costs = loan_costs(
        loans, flows, lambda expr, fn, schema: engine.map_batches(expr, fn, schema, name="costs")
    )
    engine.replace_tables({"loan_cost": costs})
    result = engine.table("loan_cost")
    stats = engine.to_arrow(
        result.aggregate(
            loans=result.count(),
            over_cap=result.count(where=result.over_cap),
            costed=result.count(where=result.status == "ok"),
        )
    ).to_pylist()[0]
    done = time.perf_counter()
    engine.close()
    return {
        "load_seconds": loaded - started,
        "check_seconds": done - loaded,
        **stats,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", nargs="?", default="all", choices=["all", "generate", "check"])
    parser.add_argument("--loans", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--out", type=Path, default=Path("bench-out/loans"))
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.phase == "generate":
        print(json.dumps(phase_generate(out, args.loans, args.seed)))
        return
    if args.phase == "check":
        print(json.dumps(phase_check(out)))
        return
    gen, gen_peak = measure.run_measured(
        HERE, ["generate", "--loans", str(args.loans), "--seed", str(args.seed), "--out", str(out)]
    )
    print(f"generated {gen['loans']:,} loans, {gen['flows']:,} flows in {gen['seconds']:.1f} s")
    check, peak = measure.run_measured(HERE, ["check", "--out", str(out)])
    loans_per_s = check["loans"] / check["check_seconds"]
    results = {
        "loans": check["loans"],
        "flows": gen["flows"],
        "costed": check["costed"],
        "over_cap": check["over_cap"],
        "load_seconds": round(check["load_seconds"], 2),
        "check_seconds": round(check["check_seconds"], 2),
        "loans_per_second": round(loans_per_s),
        "loans_per_second_with_load": round(
            check["loans"] / (check["check_seconds"] + check["load_seconds"])
        ),
        "peak_rss_gib": round(peak / 2**30, 2),
        "generate_peak_rss_gib": round(gen_peak / 2**30, 2),
    }
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    lines = ["| measure | value |", "|---|---|"]
    lines += [
        f"| {k} | {v:,} |" if isinstance(v, int) else f"| {k} | {v} |" for k, v in results.items()
    ]
    (out / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
