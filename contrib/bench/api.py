"""``make bench-api``: the REST API under 50 concurrent clients on loopback.

1. The demo workspace (``smokewatch demo init``; scored with ``smokewatch score run`` if it has
   no alerts) gets a city lead user (``bench-lead``, agency ``bench-lead-<city>``) and a token.
2. ``smokewatch serve`` starts on a free loopback port (``--workers`` processes).
3. Phase *trivial*: ``--clients`` closed-loop clients (keep-alive HTTP/1.1 connections, no think
   time) call ``GET /api/v1/health`` for ``--baseline`` seconds.
4. Phase *mixed*: the same clients for ``--duration`` seconds call, at random, the entity
   profile of a random alerted entity (45 %), the alert list with a random filter and page
   (45 %), and ``/health`` (10 %, the trivial endpoint under the same load).

Reported per endpoint and phase: requests, errors (anything but 200, or a broken connection),
requests/s, p50/p95/p99 latency. Target (issue 8): p95 of profile and alert list ≤ 3 × p95 of
the trivial endpoint, 0 errors. The load generator runs on the same machine (asyncio, raw
sockets) and competes with the server for the CPUs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(workspace: Path, role: str = "lead") -> tuple[str, list[str], list[str]]:
    """Demo workspace scored, a city-level user with a token; (token, entity ids, grades).

    ``lead`` sees PII (each profile that contains some is an audited view: a write);
    ``officer`` (a city market-regulation officer, all sectors) sees it masked.
    """
    from smokewatch.services import agencies, alerts, users
    from smokewatch.settings import load_settings
    from smokewatch.store.db import Store

    smokewatch = [str(BIN / "smokewatch"), "--no-progress"]
    if not (workspace / "store.sqlite").exists():
        subprocess.run([*smokewatch, "demo", "init", str(workspace)], check=True)
    settings = load_settings(workspace)
    store = Store(settings.store_url)
    store.upgrade()
    if alerts.list_alerts(store, limit=1)[1] == 0:
        subprocess.run([*smokewatch, "score", "run", "--workspace", str(workspace)], check=True)
    city = (settings.jurisdiction.adcode or "340200")[:4] + "00"
    root = users.system_actor("bench")
    kind = "lead_department" if role == "lead" else "market_regulation"
    agency, user = f"bench-{role}-{city}", f"bench-{role}"
    if agency not in {a["id"] for a in agencies.list_agencies(store)}:
        agencies.create_agency(
            store, agency_id=agency, name=f"压测 {role}", kind=kind, adcode=city, actor=root
        )
    if user not in {u["id"] for u in users.list_users(store)}:
        users.create_user(
            store,
            user_id=user,
            display_name="bench",
            password=secrets.token_urlsafe(16),  # never used: the bench signs in by token
            roles=[role],
            agency_id=agency,
            actor=root,
        )
    token = users.issue_token(store, user, name="bench", days=1, actor=root).secret
    rows, _ = alerts.list_alerts(store, statuses=None, limit=1000)
    store.dispose()
    entities = sorted({r["subject_id"] for r in rows})
    grades = sorted({r["grade"] for r in rows})
    if not entities:
        raise SystemExit("the demo workspace has no alerts to benchmark")
    return token, entities, grades


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        if self.reader is None:
            raise ConnectionError("not connected")
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n\r\n"
        )
        self.writer.write(request.encode())
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = await self.reader.readexactly(length)
        return int(status_line.split()[1]), body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def run_phase(
    port: int, token: str, clients: int, seconds: float, pick: Any
) -> dict[str, list[float | None]]:
    """Closed-loop clients for ``seconds``; latencies (s) per endpoint, ``None`` for errors."""
    results: dict[str, list[float | None]] = defaultdict(list)
    stop = time.perf_counter() + seconds

    async def one(seed: int) -> None:
        rng = random.Random(seed)
        client = Client(port, token)
        while time.perf_counter() < stop:
            name, path = pick(rng)
            started = time.perf_counter()
            try:
                status, _ = await client.get(path)
                results[name].append(time.perf_counter() - started if status == 200 else None)
            except (OSError, ConnectionError, asyncio.IncompleteReadError):
                results[name].append(None)
                client.close()
        client.close()

    await asyncio.gather(*(one(i) for i in range(clients)))
    return results


def summarise(latencies: list[float | None], seconds: float) -> dict[str, Any]:
    ok = [x for x in latencies if x is not None]
    return {
        "requests": len(latencies),
        "errors": sum(1 for x in latencies if x is None),
        "rps": round(len(latencies) / seconds, 1),
        **measure.percentiles_ms(ok),
    }


def wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    measure.wait_for_http(port, server, "/api/v1/health", seconds=60, what="server")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, default=ROOT / "bench-out" / "api-demo")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out" / "api")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--baseline", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--role", choices=("lead", "officer"), default="lead")
    parser.add_argument(
        "--no-answer-cache", action="store_true", help="serve with the answer cache off"
    )
    args = parser.parse_args()

    token, entities, grades = prepare(args.workspace, args.role)
    port = _free_port()
    env = {**os.environ, "SMOKEWATCH_LOGGING_LEVEL": "warning"}
    server = subprocess.Popen(
        [
            str(BIN / "smokewatch"),
            "serve",
            "--workspace",
            str(args.workspace),
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            *(["--no-answer-cache"] if args.no_answer_cache else []),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_ready(port, server)

        def trivial(_: random.Random) -> tuple[str, str]:
            return "health", "/api/v1/health"

        def mixed(rng: random.Random) -> tuple[str, str]:
            roll = rng.random()
            if roll < 0.45:
                return "entity profile", f"/api/v1/entities/{rng.choice(entities)}"
            if roll < 0.9:
                query = f"limit=50&offset={rng.choice((0, 0, 10))}"
                if rng.random() < 0.5:
                    query += f"&grade={rng.choice(grades)}"
                return "alert list", f"/api/v1/alerts?{query}"
            return "health (in mix)", "/api/v1/health"

        baseline = asyncio.run(run_phase(port, token, args.clients, args.baseline, trivial))
        load = asyncio.run(run_phase(port, token, args.clients, args.duration, mixed))
    finally:
        server.terminate()
        server.wait(timeout=30)

    report: dict[str, Any] = {
        "clients": args.clients,
        "workers": args.workers,
        "answer_cache": not args.no_answer_cache,
        "role": args.role,
        "load_average_1_5_15min": os.getloadavg(),
        "entities": len(entities),
        "cpus": os.cpu_count(),
        "trivial phase": {
            "seconds": args.baseline,
            "health": summarise(baseline["health"], args.baseline),
        },
        "mixed phase": {
            "seconds": args.duration,
            **{name: summarise(lat, args.duration) for name, lat in sorted(load.items())},
        },
    }
    trivial_p95 = report["trivial phase"]["health"]["p95_ms"]
    for name in ("entity profile", "alert list"):
        row = report["mixed phase"][name]
        row["p95_vs_trivial"] = round(row["p95_ms"] / trivial_p95, 2)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
