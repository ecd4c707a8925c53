"""``make bench-graph``: entity resolution and company families on synthetic enterprises.

1. Generate ``--rows`` enterprises of the demo city (seeded) with planted duplicates (20 %:
   another source's spelling, the USCC missing in 70 %) and planted families (every 50th
   enterprise heads a group of four held by it, itself held by one controller).
2. Resolve on DuckDB: resolution records as a Python step (``Engine.map_batches``, one
   worker per core), Splink trained without labels, scored pairs, clusters at 0.95; pairwise
   precision and recall against the planted truth.
3. Build the graph edges and run connected components (iterative SQL) on DuckDB, then the
   same on Spark ``local[2]``; report the ratio.
4. On DuckDB, propagate network risk from every 10th family head graded red (two hops,
   explained lines) and report the time and the enterprises reached.

Results go to ``<out>/results.json`` and are printed. Peak memory is this process's and its
children's largest resident set (``getrusage``), the Spark JVM included.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from smokewatch.demo.resolution import resolution_batches
from smokewatch.engine import Engine, connect
from smokewatch.graph.components import connected_components
from smokewatch.graph.edges import all_edges
from smokewatch.graph.propagation import network_points, propagate
from smokewatch.resolve.clusters import Link, cluster
from smokewatch.resolve.matcher import predict
from smokewatch.resolve.records import RECORD_SCHEMA, prepare_step
from smokewatch.settings import EngineSettings

FAMILY_EVERY = 50
FAMILY_SIZE = 4


def _peak_gib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 2**20, 2)


def _families(enterprises: pa.Table) -> pa.Table:
    ids = [i for i, t in zip(enterprises["id"].to_pylist(), enterprises["truth"].to_pylist(),
                             strict=True) if i == t]  # fmt: skip
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids) - FAMILY_SIZE, FAMILY_EVERY):
        head, *shells = ids[start : start + FAMILY_SIZE]
        rows.append({"enterprise_id": head, "holder_id": f"ctrl{start}", "holder_kind": "person",
                     "holder_name": f"控制人{start}", "share": 0.9})  # fmt: skip
        rows.extend(
            {
                "enterprise_id": s,
                "holder_id": head,
                "holder_kind": "enterprise",
                "holder_name": head,
                "share": 0.6,
            }
            for s in shells
        )
    return pa.Table.from_pylist(rows)


def _propagation(
    engine: Engine, shareholding: pa.Table, entity_of: dict[str, str]
) -> dict[str, Any]:
    heads = sorted({r["holder_id"] for r in shareholding.to_pylist()
                    if r["holder_kind"] == "enterprise"})[::10]  # fmt: skip
    nodes = sorted({f"e:{entity_of.get(h, h)}" for h in heads})
    seeds = engine.register("bench_seeds", pa.table({"node": nodes, "grade": ["red"] * len(nodes)}))
    started = time.perf_counter()
    propagate(engine, engine.table("graph_edge"), seeds, out="bench_lines")
    reached = engine.count(network_points(engine, "bench_lines"))
    return {
        "seeds": len(nodes),
        "lines": engine.count(engine.table("bench_lines")),
        "reached": reached,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _graph(engine: Engine, tables: dict[str, pa.Table]) -> dict[str, Any]:
    for name, table in tables.items():
        engine.replace_tables({name: table})
    started = time.perf_counter()
    engine.replace_tables({"graph_edge": all_edges(engine)})
    edges_s = time.perf_counter() - started
    result = connected_components(engine, engine.table("graph_edge"), out="cc")
    total = time.perf_counter() - started
    cc = engine.table("cc")
    largest = engine.to_arrow(cc.group_by("component").agg(n=cc.node.count()).order_by(
        cc.node.count().desc()).limit(1))["n"][0].as_py()  # fmt: skip
    return {
        "edges": engine.count(engine.table("graph_edge")),
        "nodes": engine.count(cc),
        "components": engine.count(cc.select("component").distinct()),
        "largest_component": largest,
        "rounds": result.rounds,
        "edges_seconds": round(edges_s, 2),
        "components_seconds": round(total - edges_s, 2),
        "seconds": round(total, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("bench-out/graph"))
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"rows": args.rows}
    started = time.perf_counter()
    enterprises = pa.concat_tables(resolution_batches(args.rows, seed=7, duplicate_share=0.2))
    shareholding = _families(enterprises)
    results["generate_seconds"] = round(time.perf_counter() - started, 2)
    results["records"] = enterprises.num_rows
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(f"duckdb:///{tmp}/bench.duckdb", EngineSettings())
        engine.replace_tables({"enterprise": enterprises.drop(["truth"])})
        t0 = time.perf_counter()
        prepared = engine.map_batches(
            engine.table("enterprise"), prepare_step, RECORD_SCHEMA, name="records"
        )
        records = engine.to_arrow(prepared).sort_by("record_id")
        t1 = time.perf_counter()
        predictions = predict(records, threshold=0.5)
        t2 = time.perf_counter()
        pairs = predictions.pairs
        links = [Link(a, b, p) for a, b, p in zip(pairs["left_id"].to_pylist(),
                 pairs["right_id"].to_pylist(), pairs["match_probability"].to_pylist(),
                 strict=True)]  # fmt: skip
        clustering = cluster(
            records["record_id"].to_pylist(), links, threshold=0.95,
            uscc=dict(zip(records["record_id"].to_pylist(), records["uscc"].to_pylist(),
                          strict=True)),
        )  # fmt: skip
        t3 = time.perf_counter()
        entity_of = clustering.entity_of()
        truth = dict(zip(enterprises["id"].to_pylist(), enterprises["truth"].to_pylist(),
                         strict=True))  # fmt: skip
        expected = {tuple(sorted((i, t))) for i, t in truth.items() if i != t}
        by_entity: dict[str, list[str]] = {}
        for record, entity in entity_of.items():
            by_entity.setdefault(entity, []).append(record)
        found = {(a, b) for g in by_entity.values() for a in g for b in g if a < b}
        hit = len(found & expected)
        results["resolve"] = {
            "prepare_seconds": round(t1 - t0, 2),
            "splink_seconds": round(t2 - t1, 2),
            "cluster_seconds": round(t3 - t2, 2),
            "seconds": round(t3 - t0, 2),
            "pairs_scored": pairs.num_rows,
            "pairs_per_second": round(pairs.num_rows / (t2 - t1), 1),
            "records_per_second": round(records.num_rows / (t3 - t0), 1),
            "entities": len(by_entity),
            "precision": round(hit / max(len(found), 1), 4),
            "recall": round(hit / max(len(expected), 1), 4),
            "peak_gib": _peak_gib(),
        }
        print(json.dumps(results, ensure_ascii=False), flush=True)
        graph_tables = {
            "enterprise": enterprises.drop(["truth"]),
            "shareholding": shareholding,
            "entity_cluster": clustering.assignments,
            "resolve_record": records,
        }
        results["graph_duckdb"] = _graph(engine, graph_tables)
        results["propagation_duckdb"] = _propagation(engine, shareholding, entity_of)
        engine.close()
        print(json.dumps(results, ensure_ascii=False), flush=True)
        if not args.no_spark:
            spark = connect("spark://local[2]", EngineSettings(), data_dir=Path(tmp) / "spark")
            results["graph_spark"] = _graph(spark, graph_tables)
            spark.close()
            results["spark_over_duckdb"] = round(
                results["graph_spark"]["seconds"] / results["graph_duckdb"]["seconds"], 2
            )
    results["peak_gib"] = _peak_gib()
    (args.out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
