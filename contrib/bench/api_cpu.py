"""Server CPU time per request of the API's hot endpoints, in process (no sockets, no load).

``make bench-api`` measures latency under 50 clients, which on a shared machine mostly measures
the other jobs. This measures what the server spends: the FastAPI app is called directly as an
ASGI application (no HTTP client, no uvicorn), one request at a time, and for each endpoint it
reports the process CPU time per request (``time.process_time``: every thread of the process,
so the thread pool that runs sync routes counts), the wall time, and the SQL statements per
request (counted with an engine event). The same paths as the bench: the entity profile of the
alerted entities, the alert list (50 a page, a grade filter on every other request), and
``/health`` (the trivial endpoint).

    PYTHONPATH=src .venv/bin/python contrib/bench/api_cpu.py --requests 300 --rounds 3 [--cache off]

``--cache``: the answer cache (docs/api.md) ``off``, on but keeping nothing (``miss``: every
request computed, with the cache's own work around it), or on (``hit``, the default: after the
warm-up the repeated paths are served from memory).

It prepares the workspace as ``contrib/bench/api.py`` does (the demo, a city lead, a token).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import api  # the bench's workspace preparation

ROOT = Path(__file__).resolve().parents[2]


async def call(app: Any, path: str, token: str) -> tuple[int, int]:
    """One GET through the ASGI app; (status, body bytes)."""
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {token}".encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    status, size = 0, 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, size
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            size += len(message.get("body", b""))

    await app(scope, receive, send)
    return status, size


async def measure(
    app: Any, token: str, paths: list[str], statements: list[int], concurrency: int = 1
) -> dict[str, float]:
    """CPU and wall ms per request over ``paths``, statements per request."""
    before = statements[0]
    cpu, wall = time.process_time(), time.perf_counter()
    sizes = 0
    for start in range(0, len(paths), concurrency):
        answers = await asyncio.gather(
            *(call(app, path, token) for path in paths[start : start + concurrency])
        )
        for path, (status, size) in zip(paths[start : start + concurrency], answers, strict=True):
            if status != 200:
                raise SystemExit(f"GET {path} answered {status}")
            sizes += size
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(paths)
    return {
        "cpu_ms": cpu * 1000 / n,
        "wall_ms": wall * 1000 / n,
        "statements": (statements[0] - before) / n,
        "bytes": sizes / n,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    import sqlalchemy as sa

    from smokewatch.api.app import create_app
    from smokewatch.settings import load_settings
    from smokewatch.store.db import Store

    token, entities, grades = api.prepare(args.workspace, args.role)
    settings = load_settings(args.workspace)
    store = Store(settings.store_url)
    store.upgrade()
    if args.pii:
        entities = [_plant_pii(store, entities[0])]
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    sa.event.listen(store.sa_engine, "before_cursor_execute", count)
    # the answer cache: off; on but keeping nothing (every request a miss); on (hits)
    mib = {"off": 0.0, "miss": 1e-6, "hit": 64.0}[args.cache]
    api_settings = settings.api.model_copy(update={"answer_cache_mib": mib})
    app = create_app(settings.model_copy(update={"api": api_settings}), store=store)
    n = args.requests
    paths = {
        "health": ["/api/v1/health"] * n,
        "entity profile": [f"/api/v1/entities/{entities[i % len(entities)]}" for i in range(n)],
        "alert list": [
            "/api/v1/alerts?limit=50" + (f"&grade={grades[i % len(grades)]}" if i % 2 else "")
            for i in range(n)
        ],
    }
    async with app.router.lifespan_context(app):
        for some in paths.values():  # warm up: imports, statement caches, token cache
            await measure(app, token, some[:20], statements)
        rounds: dict[str, list[dict[str, float]]] = {name: [] for name in paths}
        for _ in range(args.rounds):
            for name, some in paths.items():
                rounds[name].append(await measure(app, token, some, statements, args.concurrency))
        stats = app.state.answer_cache.stats
        writer = app.state.answer_cache._writer
        cache = {
            "hits": stats.hits,
            "misses": stats.misses,
            "kept": len(app.state.answer_cache),
            "hit_audit_transactions": writer.commits if writer else 0,
        }
    store.dispose()
    result: dict[str, Any] = {
        "requests_per_round": n,
        "rounds": args.rounds,
        "role": args.role,
        "answer_cache": args.cache,
        "concurrency": args.concurrency,
        "pii_profile": args.pii,
        "audit_entries": _audited(store),
        "cache_counters": cache,
        "load_average_1_5_15min": os.getloadavg(),
    }
    for name, runs in rounds.items():
        result[name] = {
            key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]
        } | {"cpu_ms_min": round(min(r["cpu_ms"] for r in runs), 2)}
    trivial = result["health"]["cpu_ms"]
    for name in ("entity profile", "alert list"):
        result[name]["cpu_vs_trivial"] = round(result[name]["cpu_ms"] / trivial, 2)
    return result


def _plant_pii(store: Any, subject_id: str) -> str:
    """Put a phone number in the evidence of the entity's findings (its profile is audited)."""
    import sqlalchemy as sa

    from smokewatch.store.orm import Finding

    with store.unit_of_work() as session:
        session.execute(
            sa.update(Finding)
            .where(Finding.subject_id == subject_id)
            .values(evidence=[{"field": "ad", "text": "广告留有联系电话 13800138000"}])
        )
    return subject_id


def _audited(store: Any) -> int:
    import sqlalchemy as sa

    with store.sa_engine.connect() as connection:
        query = "select count(*) from audit_entry where action = 'entity.view_pii'"
        return int(connection.execute(sa.text(query)).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, default=ROOT / "bench-out" / "api-demo")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--role", choices=("lead", "officer"), default="lead")
    parser.add_argument(
        "--cache",
        choices=("off", "miss", "hit"),
        default="hit",
        help="answer cache off, on but keeping nothing (every request a miss), or on",
    )
    parser.add_argument(
        "--concurrency", type=int, default=1, help="requests in flight at once (default 1)"
    )
    parser.add_argument(
        "--pii",
        action="store_true",
        help="profile one entity whose evidence holds a phone number: every view is audited",
    )
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args)), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
