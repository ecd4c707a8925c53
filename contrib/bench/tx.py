"""``make bench-tx``: end-to-end ``smokewatch tx score`` on AMLSim ews62k, in transfers/s.

In the same run, over the same file:

1. ``tx score`` (the real command, a subprocess: reading the CSV, graph features on the
   engine, the model over Arrow batches, writing the CSV) on DuckDB, with its peak memory;
2. the benchmark peer, IBM's Graph Feature Preprocessor (``snapml``), feature extraction
   alone — only when ``--peer-python`` names the Python of a separate virtual environment
   that has it (``contrib/bench/tx_peer.py``; proprietary licence, never a smokewatch
   dependency); otherwise it is reported as unavailable. ``--peer-time-limit S`` (default
   600) streams the file through the peer in batches and stops it after S seconds: it then
   reports the transfers it got through and its rate over them (``complete: false``);
   ``0`` runs it to the end in one call, however long that takes;
3. with ``--spark``, ``tx score --engine spark://local[2]``.

The model is trained into ``<out>/model`` with ``smokewatch tx train`` on first use. Results
go to ``<out>/results.json`` and are printed. Target (issue 6): ≥ 1.0 × the peer's transfers/s
on DuckDB. Run on a quiet machine: wall-clock times on a shared 2-core machine vary a lot.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SMOKEWATCH_SHARED_DATA", ROOT.parent / "shared" / "data"))
BIN = Path(sys.executable).parent
PEER = ROOT / "contrib" / "bench" / "tx_peer.py"


def timed(command: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run a command under ``/usr/bin/time -v`` when available: seconds and peak RSS (MB)."""
    gnu_time = Path("/usr/bin/time")
    wrapped = [str(gnu_time), "-v", *command] if gnu_time.exists() else command
    started = time.perf_counter()
    done = subprocess.run(wrapped, capture_output=True, text=True, check=False, timeout=timeout)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    peak = None
    for line in done.stderr.splitlines():
        if "Maximum resident set size" in line:
            peak = round(int(line.rsplit(":", 1)[1]) / 1024, 1)
    return {"seconds": round(seconds, 2), "peak_rss_mb": peak, "stdout": done.stdout}


def ensure_model(data: Path, out: Path) -> Path:
    folder = out / "model"
    if not (folder / "manifest.json").exists():
        print("training the transfer-risk model (first run only) …", file=sys.stderr)
        subprocess.run(
            [str(BIN / "smokewatch"), "--no-progress", "tx", "train", "--data", str(data),
             "--out", str(folder)],
            check=True,
        )  # fmt: skip
    return folder


def score_run(model: Path, data: Path, out: Path, engine: str | None) -> dict[str, Any]:
    target = out / f"scores-{(engine or 'duckdb').split(':')[0]}.csv"
    command = [str(BIN / "smokewatch"), "--no-progress"]
    command += ["tx", "score", "--model", str(model), "--transactions",
                str(data / "transactions.csv.gz"), "--out", str(target)]  # fmt: skip
    if engine:
        command += ["--engine", engine]
    result = timed(command)
    rows = sum(1 for _ in target.open(encoding="utf-8")) - 1
    result.pop("stdout")
    return {**result, "transfers": rows, "transfers_per_s": round(rows / result["seconds"], 1)}


def peer_run(python: str | None, data: Path, limit: float) -> dict[str, Any]:
    if not python:
        return {"available": False, "reason": "no --peer-python given (snapml venv)"}
    if not Path(python).exists():
        return {"available": False, "reason": f"{python} does not exist"}
    command = [python, str(PEER), "features", "--data", str(data), "--threads", "2"]
    if limit:
        command += ["--time-limit", str(limit)]
    try:
        # the peer stops itself after its batch; the timeout only catches a batch that hangs
        result = timed(command, timeout=limit * 3 + 300 if limit else None)
    except subprocess.TimeoutExpired:
        return {
            "available": True,
            "complete": False,
            "reason": f"killed after {limit * 3 + 300:.0f} s",
        }
    return {"available": True, **json.loads(result["stdout"].strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "amlsim" / "ews62k")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out" / "tx")
    parser.add_argument("--model", type=Path, help="a trained model (default: <out>/model)")
    parser.add_argument("--peer-python", help="Python of a venv with snapml (the peer)")
    parser.add_argument("--spark", action="store_true", help="also score on spark://local[2]")
    parser.add_argument(
        "--peer-time-limit", type=float, default=600, help="seconds per peer run (0: no limit)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    model = args.model or ensure_model(args.data, args.out)
    results: dict[str, Any] = {"data": str(args.data), "cpus": os.cpu_count()}
    results["peer_before"] = peer_run(args.peer_python, args.data, args.peer_time_limit)
    results["duckdb"] = score_run(model, args.data, args.out, None)
    results["peer_after"] = peer_run(args.peer_python, args.data, args.peer_time_limit)
    if args.spark:
        results["spark_local2"] = score_run(model, args.data, args.out, "spark://local[2]")
    peers = [r["transfers_per_s"] for r in (results["peer_before"], results["peer_after"])
             if r.get("transfers_per_s")]  # fmt: skip
    if peers:
        mean = sum(peers) / len(peers)
        results["peer_transfers_per_s_mean"] = round(mean, 1)
        results["duckdb_vs_peer"] = round(results["duckdb"]["transfers_per_s"] / mean, 3)
    (args.out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
