"""The benchmark peer: IBM's Graph Feature Preprocessor (snapml) + XGBoost on an AMLSim folder.

Run it with the Python of a *separate* virtual environment that has ``snapml``, ``xgboost``
and ``pandas`` (proprietary licence: never a dependency of smokewatch)::

    /tmp/uvboot/bin/uv venv /tmp/snapvenv
    VIRTUAL_ENV=/tmp/snapvenv /tmp/uvboot/bin/uv pip install snapml xgboost pandas
    /tmp/snapvenv/bin/python contrib/bench/tx_peer.py features --data DIR   # speed only
    /tmp/snapvenv/bin/python contrib/bench/tx_peer.py baseline --data DIR   # quality, 60/20/20

``features`` prints one JSON line: transfers, seconds and transfers/s of the feature
extraction alone (the figure ``make bench-tx`` compares ``tx score`` with). With
``--time-limit S`` the edges go through GFP's streaming interface in batches (``--batch``,
time order: each ``transform`` inserts a batch and computes its features) and extraction
stops after the first batch that ends past S seconds; the line then reports the transfers
done, ``complete: false``, and the rate over them — a partial result instead of none. ``baseline``
prints the minority-class F1 of GFP features + XGBoost on the temporal 60/20/20 split by
``tran_id`` (threshold chosen on the middle 20 %), with recall per typology. This file does
not import smokewatch, and smokewatch never imports it.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

WINDOW_DAYS = 10


def gfp_params(threads: int) -> dict[str, Any]:
    """GFP settings of the data README's reference baseline (10-day windows, every pattern)."""
    day = 1
    return {
        "num_threads": threads,
        "time_window": WINDOW_DAYS * day,
        "vertex_stats": True,
        "vertex_stats_cols": [3],
        "vertex_stats_feats": [0, 1, 2, 3, 4, 8, 9, 10],
        "vertex_stats_tw": WINDOW_DAYS * day,
        "fan": True,
        "fan_tw": WINDOW_DAYS * day,
        "fan_bins": [y + 2 for y in range(2)],
        "degree": True,
        "degree_tw": WINDOW_DAYS * day,
        "degree_bins": [y + 2 for y in range(2)],
        "scatter-gather": True,
        "scatter-gather_tw": WINDOW_DAYS * day,
        "scatter-gather_bins": [y + 2 for y in range(2)],
        "temp-cycle": True,
        "temp-cycle_tw": WINDOW_DAYS * day,
        "temp-cycle_bins": [y + 2 for y in range(2)],
        "lc-cycle": False,
    }


def read_edges(folder: Path) -> tuple[np.ndarray, pd.DataFrame]:
    """``[id, source, target, day, amount]`` as float64, and the frame (with labels if any)."""
    frame = pd.read_csv(folder / "transactions.csv.gz")
    day = pd.to_datetime(frame["tran_timestamp"], utc=True)
    days = ((day - day.min()).dt.total_seconds() // 86400).astype("int64")
    edges = np.column_stack(
        [
            frame["tran_id"].to_numpy(np.float64),
            frame["orig_acct"].to_numpy(np.float64),
            frame["bene_acct"].to_numpy(np.float64),
            days.to_numpy(np.float64),
            frame["base_amt"].to_numpy(np.float64),
        ]
    )
    return edges, frame


def extract(edges: np.ndarray, threads: int) -> np.ndarray:
    """GFP features of every edge (the input columns first)."""
    from snapml import GraphFeaturePreprocessor

    gfp = GraphFeaturePreprocessor()
    gfp.set_params(gfp_params(threads))
    return np.asarray(gfp.fit_transform(edges.astype("float64")))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def extract_until(
    edges: np.ndarray, threads: int, batch: int, limit: float
) -> tuple[int, int, float]:
    """Stream ``edges`` (in time order) through GFP in batches until ``limit`` seconds pass.

    Returns (edges done, feature columns, seconds).
    """
    from snapml import GraphFeaturePreprocessor

    order = np.argsort(edges[:, 3], kind="stable")
    edges = edges[order].astype("float64")
    gfp = GraphFeaturePreprocessor()
    gfp.set_params(gfp_params(threads))
    done, columns = 0, 0
    started = time.perf_counter()
    while done < len(edges):
        part = np.asarray(gfp.transform(edges[done : done + batch]))
        done += len(part)
        columns = int(part.shape[1])
        if time.perf_counter() - started > limit:
            break
    return done, columns, time.perf_counter() - started


def cmd_features(args: argparse.Namespace) -> dict[str, Any]:
    edges, _ = read_edges(args.data)
    if args.time_limit:
        done, columns, seconds = extract_until(edges, args.threads, args.batch, args.time_limit)
    else:
        started = time.perf_counter()
        columns = int(extract(edges, args.threads).shape[1])
        done, seconds = len(edges), time.perf_counter() - started
    return {
        "tool": "snapml GraphFeaturePreprocessor",
        "mode": f"streaming, batches of {args.batch}" if args.time_limit else "fit_transform",
        "transfers": done,
        "of_transfers": len(edges),
        "complete": done == len(edges),
        "features": columns,
        "seconds": round(seconds, 2),
        "transfers_per_s": round(done / seconds, 1),
        "peak_rss_mb": round(peak_mb(), 1),
    }


def _f1(y: np.ndarray, flag: np.ndarray) -> tuple[float, float, float]:
    tp = float((flag & (y == 1)).sum())
    precision = tp / max(flag.sum(), 1)
    recall = tp / max((y == 1).sum(), 1)
    f1 = 0.0 if tp == 0 else 2 * precision * recall / (precision + recall)
    return f1, precision, recall


def cmd_baseline(args: argparse.Namespace) -> dict[str, Any]:
    import xgboost as xgb

    edges, frame = read_edges(args.data)
    order = np.argsort(edges[:, 0], kind="stable")
    edges, frame = edges[order], frame.iloc[order].reset_index(drop=True)
    feats = extract(edges, args.threads)
    x = feats[:, 4:] if args.no_amount else feats[:, 3:]  # drop id, source, target (+ day)
    x = np.delete(x, 0, axis=1) if not args.no_amount else x  # drop the day column
    y = frame["is_sar"].astype(str).str.lower().eq("true").to_numpy().astype(int)
    n = len(y)
    a, b = int(n * 0.6), int(n * 0.8)
    weight = (y[:a] == 0).sum() / max((y[:a] == 1).sum(), 1)
    model = xgb.XGBClassifier(
        n_estimators=400,
        max_depth=6,
        learning_rate=0.1,
        scale_pos_weight=weight,
        n_jobs=args.threads,
        tree_method="hist",
        random_state=0,
    )
    model.fit(x[:a], y[:a])
    val = model.predict_proba(x[a:b])[:, 1]
    test = model.predict_proba(x[b:])[:, 1]
    best = max(np.unique(np.round(val, 4)), key=lambda t: _f1(y[a:b], val >= t)[0])
    f1, precision, recall = _f1(y[b:], test >= best)
    alerts = pd.read_csv(args.data / "alert_transactions.csv")[["tran_id", "alert_type"]]
    typed = frame.iloc[b:][["tran_id"]].merge(alerts, on="tran_id", how="left")
    flagged = test >= best
    per_type = {}
    for kind, rows in typed.groupby("alert_type"):
        mask = np.zeros(len(typed), dtype=bool)
        mask[rows.index.to_numpy()] = True
        per_type[str(kind)] = round(float(flagged[mask].mean()), 3)
    return {
        "model": "GFP + XGBoost" + (" (no amount)" if args.no_amount else ""),
        "threshold": float(best),
        "test_positives": int(y[b:].sum()),
        "f1": round(f1, 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "recall_by_typology": per_type,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["features", "baseline"])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-amount", action="store_true", help="baseline without base_amt")
    parser.add_argument(
        "--time-limit", type=float, default=0, help="features: stop after S seconds (partial)"
    )
    parser.add_argument("--batch", type=int, default=50_000, help="features: streaming batch")
    args = parser.parse_args()
    result = cmd_features(args) if args.command == "features" else cmd_baseline(args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
