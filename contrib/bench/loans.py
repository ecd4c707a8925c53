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
    from datetime import date

    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from smokewatch.model.types.uscc import uscc_check_char

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    lenders = []
    for i in range(LENDERS):
        body = "91340200MA" + "".join(alphabet[(i * 7 + k * 3) % len(alphabet)] for k in range(6))
        body += alphabet[i % len(alphabet)]
        lenders.append(body + uscc_check_char(body))
    lender = rng.integers(0, LENDERS, loans)
    start = np.datetime64(date(2019, 1, 1))
    contract = start + rng.integers(0, 7 * 365, loans).astype("timedelta64[D]")
    principal = rng.integers(10, 500, loans) * 1000.0
    months = rng.integers(1, 13, loans)
    monthly = rng.uniform(0.003, 0.015, loans)  # 3.6 %–18 % a year nominal
    deducted = np.where(rng.random(loans) < 0.08, principal * rng.uniform(0.05, 0.2, loans), 0.0)
    fee = np.where(rng.random(loans) < 0.1, principal * rng.uniform(0.01, 0.06, loans), 0.0)
    numbers = np.char.add("HT", np.arange(loans).astype(str))
    lender_uscc = np.array(lenders)[lender]
    pq.write_table(
        pa.table(
            {
                "id": np.char.add("loan-", numbers),
                "lender_uscc": lender_uscc,
                "contract_number": numbers,
                "principal": pa.array(principal).cast(pa.decimal128(20, 2)),
                "contract_date": pa.array(contract.astype("datetime64[D]")),
                "nominal_rate": monthly * 1200,
            }
        ),
        out / "loans.parquet",
    )
    # Flows: disbursement, optional deduction and fee on day one, then the instalments.
    payment = principal * monthly / (1 - (1 + monthly) ** -months)
    per_loan = 1 + (deducted > 0) + (fee > 0) + months
    total = int(per_loan.sum())
    owner = np.repeat(np.arange(loans), per_loan)
    offset = np.arange(total) - np.repeat(np.cumsum(per_loan) - per_loan, per_loan)
    extra = (deducted > 0).astype(int) + (fee > 0).astype(int)
    instalment = offset - extra[owner]  # 0 = disbursement day items, k ≥ 1 = k-th month
    kind = np.where(offset == 0, "disbursement", "principal")
    kind = np.where((offset == 1) & (deducted[owner] > 0), "upfront_deduction", kind)
    kind = np.where(
        (offset == 1 + (deducted[owner] > 0)) & (fee[owner] > 0) & (offset <= extra[owner]),
        "service_fee",
        kind,
    )
    amount = np.select(
        [kind == "disbursement", kind == "upfront_deduction", kind == "service_fee"],
        [principal[owner], deducted[owner], fee[owner]],
        payment[owner],
    )
    day = contract[owner] + np.where(instalment > 0, instalment * 30, 0).astype("timedelta64[D]")
    pq.write_table(
        pa.table(
            {
                "lender_uscc": lender_uscc[owner],
                "contract_number": numbers[owner],
                "flow_date": pa.array(day.astype("datetime64[D]")),
                "kind": kind,
                "amount": pa.array(np.round(amount, 2)).cast(pa.decimal128(20, 2)),
            }
        ),
        out / "flows.parquet",
    )
    return {"seconds": time.perf_counter() - started, "loans": loans, "flows": total}


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
