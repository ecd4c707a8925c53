"""``make bench-registry``: ingest + name/scope detector on a million-enterprise registry.

What it measures, per engine (DuckDB, then Spark ``local[2]``):

1. generate a synthetic registry CSV (UTF-8, our own seeded generator) — once;
2. the *reference scan*: DuckDB itself counting the rows of that same CSV whose name contains
   a finance word (``SELECT count(*) FROM read_csv(...) WHERE 企业名称 LIKE '%金融%'``), warm;
3. ``smokewatch ingest`` of the file (rows/s);
4. ``smokewatch detect`` with the name/scope rules (SW-R-0001, SW-R-0002), and with all rules.

The target of issue 2 is *detector wall time ≤ 3 × the reference scan* on DuckDB, and peak
memory under 4 GiB. Peak memory is the largest resident set of the measuring process and all
its descendants (the Spark JVM included), sampled every 100 ms from ``/proc``.

Every phase runs in a fresh child process so that its memory and warm-up are its own.
Results go to ``<out>/results.json`` and ``<out>/results.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

import measure  # noqa: E402  (a sibling script, not a package)

NAME_SCOPE_RULES = ["SW-R-0001", "SW-R-0002"]


def run_measured(args: list[str]) -> tuple[dict[str, Any], int]:
    """Run a phase of this script in a child process (see ``measure.run_measured``)."""
    return measure.run_measured(HERE, args)


# -- phases (each runs in its own process) --------------------------------------------------


def phase_generate(out: Path, rows: int, seed: int) -> dict[str, Any]:
    from smokewatch.demo import write_registry_file

    started = time.perf_counter()
    result = write_registry_file(out / "registry.csv", rows=rows, seed=seed, bad_row_rate=0.0001)
    (out / "source.yml").write_text(result.source_yaml("registry"), encoding="utf-8")
    return {"seconds": time.perf_counter() - started, "bytes": result.bytes, "rows": result.rows}


def phase_scan(out: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    query = (
        "SELECT count(*) FROM read_csv(?, header = true, all_varchar = true) "
        "WHERE 企业名称 LIKE '%金融%'"
    )
    timings = []
    count = 0
    for _ in range(3):
        started = time.perf_counter()
        row = con.execute(query, [str(out / "registry.csv")]).fetchone()
        timings.append(time.perf_counter() - started)
        count = int(row[0]) if row else 0
    return {"seconds": min(timings[1:]), "cold_seconds": timings[0], "matching_rows": count}


def phase_pipeline(out: Path, engine: str) -> dict[str, Any]:
    from datetime import date

    from smokewatch.logs import configure_logging
    from smokewatch.services.detect import detect
    from smokewatch.services.ingest import ingest
    from smokewatch.services.workspace import init_workspace
    from smokewatch.settings import load_settings

    configure_logging("warning")
    root = out / f"workspace-{engine.split(':', maxsplit=1)[0]}"
    init_workspace(root, title="bench", adcode="340200", as_of=date(2026, 11, 1), force=True)
    source = root / "sources" / "registry"
    source.mkdir(parents=True, exist_ok=True)
    (source / "source.yml").write_text(
        (out / "source.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    overrides: dict[str, Any] = {"engine": {"url": engine}} if engine != "duckdb" else {}
    settings = load_settings(root, **overrides)

    started = time.perf_counter()
    (summary,) = ingest(settings, ["registry"])
    ingest_seconds = time.perf_counter() - started

    started = time.perf_counter()
    name_scope = detect(settings, rule_ids=NAME_SCOPE_RULES)
    name_scope_wall = time.perf_counter() - started
    started = time.perf_counter()
    everything = detect(settings)
    all_wall = time.perf_counter() - started
    return {
        "engine": name_scope.engine,
        "ingest_seconds": ingest_seconds,
        "rows_read": summary.rows_read,
        "rows_loaded": summary.rows_loaded,
        "rows_rejected": summary.rows_rejected,
        "detect_name_scope_wall": name_scope_wall,
        "detect_name_scope_rules": sum(o.duration_s for o in name_scope.outcomes),
        "findings_name_scope": name_scope.findings,
        "detect_all_wall": all_wall,
        "detect_all_rules": sum(o.duration_s for o in everything.outcomes),
        "findings_all": everything.findings,
        "per_rule": {f"{o.rule_id}@{o.version}": o.duration_s for o in everything.outcomes},
    }


# -- driver ---------------------------------------------------------------------------------


def _row(run: dict[str, Any], scan: dict[str, Any]) -> str:
    rules = run["detect_name_scope_rules"]
    cells = [
        run["engine"],
        f"{run['ingest_seconds']:.1f}",
        f"{run['rows_read'] / run['ingest_seconds']:,.0f}",
        f"{rules:.2f}",
        f"{rules / scan['cold_seconds']:.1f}× / {rules / scan['seconds']:.1f}×",
        f"{run['detect_name_scope_wall']:.2f}",
        f"{run['detect_all_wall']:.2f}",
        f"{run['findings_all']:,}",
        f"{run['peak_rss'] / 2**30:.2f}",
    ]
    return "| " + " | ".join(cells) + " |"


def _markdown(results: dict[str, Any]) -> str:
    scan, generate = results["scan"], results["generate"]
    header = (
        "| engine | ingest s | ingest rows/s | name/scope rules s | ratio to scan (first / best) "
        "| `detect` name/scope s | `detect` all rules s | findings (all) | peak RSS GiB |"
    )
    lines = [
        f"# bench-registry: {results['rows']:,} enterprises",
        "",
        (
            f"- file: {generate['bytes'] / 1e6:,.0f} MB CSV (UTF-8), "
            f"generated in {generate['seconds']:.1f} s"
        ),
        (
            f"- reference scan, DuckDB `count(*) … WHERE 企业名称 LIKE '%金融%'` on that file: "
            f"first {scan['cold_seconds']:.2f} s, best of two re-runs {scan['seconds']:.2f} s "
            f"({scan['matching_rows']:,} rows)"
        ),
        (
            "- *name/scope rules*: evaluating SW-R-0001 and SW-R-0002 (the detector itself); "
            "*`detect`*: the whole command (rules, lint, store writes of every finding, run record)"
        ),
        "",
        header,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_row(run, scan) for run in results["engines"]),
        "",
        "Target (issue 2): detector wall time ≤ 3× the scan on DuckDB; peak memory < 4 GiB.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--out", type=Path, default=Path("bench-out/registry"))
    parser.add_argument("--engines", default="duckdb,spark://local[2]")
    parser.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="duckdb", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = args.out.resolve()
    if args.phase:
        phases = {
            "generate": lambda: phase_generate(out, args.rows, args.seed),
            "scan": lambda: phase_scan(out),
            "pipeline": lambda: phase_pipeline(out, args.engine),
        }
        print(json.dumps(phases[args.phase](), ensure_ascii=False, default=str))
        return
    out.mkdir(parents=True, exist_ok=True)
    common = ["--out", str(out), "--rows", str(args.rows), "--seed", str(args.seed)]
    print(f"generating {args.rows:,} enterprises …", file=sys.stderr)
    generate, _ = run_measured(["--phase", "generate", *common])
    scan, _ = run_measured(["--phase", "scan", *common])
    results: dict[str, Any] = {"rows": args.rows, "generate": generate, "scan": scan, "engines": []}
    for engine in args.engines.split(","):
        print(f"ingest + detect on {engine} …", file=sys.stderr)
        run, peak = run_measured(["--phase", "pipeline", "--engine", engine, *common])
        run["peak_rss"] = peak
        results["engines"].append(run)
    (out / "results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    report = _markdown(results)
    (out / "results.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
