"""What the data-version triggers (migration ``0017_data_version``) cost a bulk write.

Writes ``--rows`` findings and as many scores (``repos.replace_findings`` /
``scoring.replace_scores``: the product's bulk upsert, one transaction each), then the same rows
again (the upsert's update path), on a fresh store at ``0016_graph_read`` (no triggers) and one
at ``0017_data_version``, alternately, ``--rounds`` times; reports the median seconds of each.

    PYTHONPATH=src .venv/bin/python contrib/bench/data_version_cost.py --rows 100000 \\
        [--postgres postgresql+psycopg://postgres@127.0.0.1:55432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from smokewatch.store import Store, repos, scoring
from smokewatch.store.data_version import read_version


def _findings(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"f{i}",
            "subject_id": f"s{i}",
            "subject_table": "enterprise",
            "rule_id": "SW-R-0001",
            "rule_version": 1,
            "severity": "high",
            "band": "binding_word",
            "reason_zh": "名称含“财富管理”",
            "reason_en": "Name contains 财富管理",
            "metrics": {"words": ["财富管理"]},
            "evidence": [{"field": "name", "text": f"芜湖{i}财富管理有限公司"}],
            "as_of": date(2026, 11, 1),
            "shadow": False,
            "engine": "duckdb",
            "adcode": "340202",
            "sector": "L7243",
        }
        for i in range(n)
    ]


def _scores(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"sc{i}",
            "subject_id": f"s{i}",
            "subject_table": "enterprise",
            "scorecard_id": "SW-S-0001",
            "scorecard_version": 1,
            "as_of": date(2026, 11, 1),
            "score": 40.0,
            "grade": "yellow",
            "dimensions": {"compliance": 40.0},
            "contributions": [{"kind": "component", "points": 40.0, "source": "SW-R-0001@1"}],
            "shadow": False,
            "adcode": "340202",
            "sector": "L7243",
        }
        for i in range(n)
    ]


def _timed(store: Store, write: Any) -> float:
    started = time.perf_counter()
    with store.unit_of_work() as session:
        write(session)
    return time.perf_counter() - started


def one(url: str, revision: str, rows: int) -> dict[str, float]:
    store = Store(url)
    store.upgrade(revision)
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="det", kind="detect")
        repos.add_run(session, run_id="sco", kind="score")
    findings, scores = _findings(rows), _scores(rows)
    out = {
        "findings_insert": _timed(store, lambda s: repos.replace_findings(s, "det", findings)),
        "findings_update": _timed(store, lambda s: repos.replace_findings(s, "det", findings)),
        "scores_insert": _timed(store, lambda s: scoring.replace_scores(s, "sco", scores)),
        "scores_update": _timed(store, lambda s: scoring.replace_scores(s, "sco", scores)),
    }
    if revision != "0016_graph_read":
        with store.sa_engine.connect() as connection:
            out["version_after"] = read_version(connection)
    store.dispose()
    return out


def _database(admin_url: str) -> tuple[str, sa.Engine, str]:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"sw_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return admin.url.set(database=name).render_as_string(hide_password=False), admin, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (databases made and dropped)")
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"0016_graph_read": [], "0017_data_version": []}
    for _ in range(args.rounds):
        for revision, measured in runs.items():
            if args.postgres:
                url, admin, name = _database(args.postgres)
                try:
                    measured.append(one(url, revision, args.rows))
                finally:
                    with admin.connect() as connection:
                        connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
                    admin.dispose()
                continue
            with tempfile.TemporaryDirectory() as folder:
                measured.append(one(f"sqlite:///{Path(folder) / 's.sqlite'}", revision, args.rows))
    result: dict[str, Any] = {
        "rows": args.rows,
        "store": "postgresql" if args.postgres else "sqlite",
        "load_average_1_5_15min": os.getloadavg(),
    }
    for revision, measured in runs.items():
        result[revision] = {
            key: round(statistics.median(m[key] for m in measured), 3) for key in measured[0]
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
