"""``make bench-portal``: tips/s the public portal sustains with 50 concurrent clients on loopback.

1. A workspace (default: a fresh one under ``bench-out/portal-ws`` serving 芜湖市 with the lead
   departments of the city and two counties; ``--workspace`` takes e.g. the demo's) and its
   SQLite store.
2. The portal starts in a child process on a free loopback port (uvicorn, one process — as
   ``smokewatch portal`` runs it) with the per-address rate limits lifted (every client comes
   from 127.0.0.1) and the proof of work at ``--pow-bits`` (default 8: the clients share the
   server's two CPUs, and the work is the browser's, not the server's).
3. ``--clients`` closed-loop clients (keep-alive HTTP/1.1, raw asyncio sockets, no think time)
   each repeat a full submission for ``--duration`` seconds: ``GET /report`` (visitor cookie,
   CSRF token, challenge), solve the challenge, ``POST /report`` with a tip whose target and
   story vary (one in five repeats an earlier target and story: a duplicate) and an address in
   one of the city's counties, and read the tracking code from the answer.

Reported: tips stored per second (answers with a tracking code), errors, and p50/p95/p99 of
the POST and of the whole submission. Every tip goes through the same processing as a real
one: checks, the text module, spam and duplicate checks, entity resolution, geo-routing, one
transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from urllib.parse import urlencode

import measure

ROOT = Path(__file__).resolve().parents[2]
COUNTIES = ("镜湖区", "鸠江区", "弋江区", "湾沚区", "繁昌区", "无为市", "南陵县")
LURES = ("年化{r}%保本保息", "每月返利{r}%", "拉人头返佣金{r}%", "投资养老公寓每年返租{r}%")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(workspace: Path) -> None:
    """A workspace serving 芜湖市 with its lead departments (kept if it exists)."""
    from smokewatch.services import agencies, users
    from smokewatch.services.workspace import init_workspace
    from smokewatch.settings import load_settings
    from smokewatch.store.db import Store

    if not (workspace / "smokewatch.toml").exists():
        init_workspace(workspace, title="portal bench", adcode="340200")
    store = Store(load_settings(workspace).store_url)
    store.upgrade()
    known = {a["id"] for a in agencies.list_agencies(store)}
    root = users.system_actor("bench")
    for agency, adcode in (
        ("lead-340200", "340200"),
        ("lead-340202", "340202"),
        ("lead-340207", "340207"),
    ):
        if agency not in known:
            agencies.create_agency(
                store,
                agency_id=agency,
                name=agency,
                kind="lead_department",
                adcode=adcode,
                actor=root,
            )
    store.dispose()


def serve(workspace: Path, port: int, bits: int) -> None:
    """The child process: the portal with the bench's limits."""
    import uvicorn

    from smokewatch.portal.app import create_portal_app
    from smokewatch.portal.pages import PortalConfig
    from smokewatch.settings import load_settings

    config = PortalConfig(
        pow_bits=bits, submissions_per_ip=(10**9, 60.0), lookups_per_ip=(10**9, 60.0)
    )
    app = create_portal_app(load_settings(workspace), config=config)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def solve(token: str, bits: int) -> int:
    """The first counter whose hash starts with ``bits`` zero bits (what pow.js does)."""
    counter = 0
    while True:
        digest = hashlib.sha256(f"{token}:{counter}".encode()).digest()
        value = int.from_bytes(digest[:4], "big")
        if bits == 0 or value >> (32 - bits) == 0:
            return counter
        counter += 1


class Client:
    """One keep-alive HTTP/1.1 connection with a cookie jar of one cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, str]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        if self.reader is None:
            raise ConnectionError("not connected")
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if self.cookie:
            head += f"Cookie: {self.cookie}\r\n"
        if body:
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
        head += f"Content-Length: {len(body)}\r\n\r\n"
        self.writer.write(head.encode() + body)
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
            if name.strip().lower() == "set-cookie" and value.strip().startswith("sw_portal="):
                self.cookie = value.strip().split(";", 1)[0]
        body_read = await self.reader.readexactly(length)
        return int(status_line.split()[1]), body_read.decode("utf-8", "replace")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    if found is None:
        raise ValueError(f"no {name}")
    return found.group(1)


def _tip(rng: random.Random, earlier: list[tuple[str, str]]) -> dict[str, str]:
    if earlier and rng.random() < 0.2:
        name, story = rng.choice(earlier)
    else:
        trade = (
            f"{rng.choice('鑫汇恒富聚金盛源')}{rng.choice('利通达宝泰祥')}{rng.randrange(10**6)}"
        )
        name = f"芜湖{trade}财富管理有限公司"
        lure = rng.choice(LURES).format(r=rng.randrange(8, 40))
        period = rng.randrange(1, 99)
        story = f"{name}的业务员说{lure}，介绍朋友投资还有奖励，第{period}期已经无法提现。"
        earlier.append((name, story))
    return {
        "target_name": name,
        "target_address": f"安徽省芜湖市{rng.choice(COUNTIES)}某某路{rng.randrange(1, 300)}号",
        "description": story,
        "amount": str(rng.randrange(1, 500) * 1000),
        "learnt_via": rng.choice(("advert", "acquaintance", "online", "phone")),
        "consent": "yes",
    }


async def run(port: int, clients: int, seconds: float, bits: int) -> dict[str, list[float | None]]:
    """Closed-loop submissions; latencies of the POST and of the whole submission."""
    results: dict[str, list[float | None]] = {"post": [], "submission": []}
    stop = time.perf_counter() + seconds
    earlier: list[tuple[str, str]] = []

    async def one(seed: int) -> None:
        rng = random.Random(seed)
        client = Client(port)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                status, form = await client.request("GET", "/report")
                challenge = _hidden(form, "challenge")
                fields = {
                    **_tip(rng, earlier),
                    "csrf_token": _hidden(form, "csrf_token"),
                    "challenge": challenge,
                    "pow": str(solve(challenge, bits)),
                }
                posted = time.perf_counter()
                status, answer = await client.request("POST", "/report", urlencode(fields).encode())
                done = time.perf_counter()
                ok = status == 200 and 'id="tracking-code"' in answer
                results["post"].append(done - posted if ok else None)
                results["submission"].append(done - started if ok else None)
            except (OSError, ConnectionError, ValueError, asyncio.IncompleteReadError):
                results["post"].append(None)
                results["submission"].append(None)
                client.close()
        client.close()

    await asyncio.gather(*(one(i) for i in range(clients)))
    return results


def summarise(latencies: list[float | None], seconds: float) -> dict[str, Any]:
    ok = [x for x in latencies if x is not None]
    return {
        "done": len(ok),
        "errors": sum(1 for x in latencies if x is None),
        "per_second": round(len(ok) / seconds, 1),
        **measure.percentiles_ms(ok),
    }


def wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    measure.wait_for_http(port, server, "/api/challenge", seconds=120, what="portal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, default=ROOT / "bench-out" / "portal-ws")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out" / "portal")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warm-up", type=float, default=5.0)
    parser.add_argument("--pow-bits", type=int, default=8)
    parser.add_argument(
        "--serve", nargs=3, metavar=("WORKSPACE", "PORT", "BITS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), int(args.serve[1]), int(args.serve[2]))
        return

    prepare(args.workspace)
    port = _free_port()
    env = {**os.environ, "SMOKEWATCH_LOGGING_LEVEL": "warning"}
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(args.workspace), str(port), str(args.pow_bits)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_ready(port, server)
        asyncio.run(run(port, args.clients, args.warm_up, args.pow_bits))
        load = asyncio.run(run(port, args.clients, args.duration, args.pow_bits))
    finally:
        server.terminate()
        server.wait(timeout=30)
    report: dict[str, Any] = {
        "clients": args.clients,
        "seconds": args.duration,
        "pow_bits": args.pow_bits,
        "cpus": os.cpu_count(),
        "load_average_1_5_15min": os.getloadavg(),
        "tips": summarise(load["submission"], args.duration),
        "post": summarise(load["post"], args.duration),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
