"""Shared by the benchmark scripts: run a phase in a child process and sample its peak memory;
latency percentiles and waiting for a server under test (the HTTP benchmarks).

Peak memory is the largest resident set of the child and all its descendants (worker processes,
the Spark JVM), sampled every 100 ms from ``/proc``. A phase prints its result as one JSON line,
the last line of its standard output.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def children(pid: int) -> list[int]:
    """Direct children of ``pid``."""
    kids: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            kids.append(int(entry.name))
    return kids


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
        stack.extend(children(current))
    return total


def run_measured(script: Path, args: list[str]) -> tuple[dict[str, Any], int]:
    """Run ``script args`` in a child process; return its JSON result and the peak tree RSS."""
    proc = subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{script.name} {args[0]} failed with exit code {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1]), peak


def percentiles_ms(latencies: list[float]) -> dict[str, float]:
    """p50/p95/p99 of latencies in seconds, as milliseconds (NaN with fewer than two)."""
    ordered = sorted(latencies)
    cuts = statistics.quantiles(ordered, n=100) if len(ordered) >= 2 else [float("nan")] * 99
    return {
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
    }


def wait_for_http(
    port: int, server: subprocess.Popen[bytes], path: str, *, seconds: float, what: str
) -> None:
    """Wait until ``GET path`` on loopback answers 200; stop if the server process ends."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the {what} stopped before it was ready")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                if sock.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the {what} did not answer within {seconds:g} s")
