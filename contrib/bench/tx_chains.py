"""Decide the layering-chain features of the transfer-risk model on a labelled AMLSim folder.

Same temporal 60/20/20 protocol as ``tx train`` (``smokewatch.score.ml.transfers.task``),
for three feature sets over the same rows:

- ``base``: the shipped features;
- ``chains``: plus the layering-chain counts (``chain_next``, ``chain_prev``,
  ``chain_next2``, ``chain_prev2``);
- ``shares``: plus the hub-normalised chain shares — of the payee's payments in the chain
  days after, the share that are one-offs (``chain_next / chain_next_all``); of the payer's
  receipts in the chain days before, the share that are one-offs
  (``chain_prev / chain_prev_all``); of the one-offs passed on, the share passed on again
  (``chain_next2 / chain_next``);
- ``lengths``: ``shares`` plus the longest runs of one-off hops (``chain_fwd``, ``chain_bwd``);
- ``offchain``: ``shares`` plus the account rhythm and off-rhythm relay hops
  (``o_out_rhythm``, ``b_in_rhythm``, ``off_next``, ``off_prev``:
  :mod:`smokewatch.graph.transfer_rhythm`); ``base_offchain``, ``shares_rhythm`` and
  ``base_rhythm`` are the obvious subsets.

Each is flagged on the test part at thresholds chosen on the validation part by rules fixed
*before* looking at test numbers:

- ``max``: the score of maximum validation F1 (what ``tx train`` ships);
- ``tol01`` / ``tol02``: the highest score whose validation F1 is within 0.01 / 0.02 of that
  maximum (fewer flags for nearly the same validation quality).

The feature matrix is cached (``--cache``, ``.npz``), so the graph features are computed once.

    python contrib/bench/tx_chains.py --data ../shared/data/amlsim/ews62k \
        --cache /tmp/tx-ews62k.npz --out /tmp/tx-chains-ews62k.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow.compute as pc

from smokewatch.engine.connect import connect
from smokewatch.graph.transfers import TRANSFER_COLUMNS, GraphWindows, chain_lengths, pairs
from smokewatch.score.ml.features import compute_features, feature_matrix
from smokewatch.score.ml.lgbm import margins, train_booster
from smokewatch.score.ml.metrics import binary_metrics
from smokewatch.score.ml.transfers import data, task
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES
from smokewatch.settings import EngineSettings

CHAIN_COUNTS = ("chain_next", "chain_prev", "chain_next2", "chain_prev2")
CHAIN_TOTALS = ("chain_next_all", "chain_prev_all")
LENGTHS = ("chain_fwd", "chain_bwd")
RHYTHM = ("o_out_rhythm", "b_in_rhythm")
OFF_CHAIN = ("off_next", "off_prev")
EXTRA = (*CHAIN_COUNTS, *CHAIN_TOTALS, *RHYTHM, *OFF_CHAIN)
SHARES = ("chain_next_share", "chain_prev_share", "chain_next2_share")
TOLERANCES = {"max": 0.0, "tol01": 0.01, "tol02": 0.02}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cut_file(folder: Path, keep: float) -> Any:
    """The folder's transfers in ``tran_id`` (time) order, the first ``keep`` share of them."""
    transfers = data.read_transfers(folder / data.TRANSACTIONS)
    transfers = transfers.take(pc.sort_indices(transfers, [("tran_id", "ascending")]))
    return transfers.slice(0, int(transfers.num_rows * keep))


class CutFeatures(NamedTuple):
    """The shipped feature matrix of a (cut) file, with the scratch engine that computed it."""

    engine: Any
    ids: Any
    x: np.ndarray
    stage: Callable[[str, Any], Any]


@contextmanager
def cut_features(transfers: Any, banks: Any) -> Iterator[CutFeatures]:
    """Features of ``transfers`` only, on a scratch DuckDB kept open for further columns."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = connect(f"duckdb:///{scratch}/x.duckdb", EngineSettings())
        try:
            base = data.featurise(engine, transfers, banks, GraphWindows())
            frame = compute_features(engine, TRANSFER_FEATURES, {"transfer": base})
            ids = frame.column("tran_id")
            x = task._mask_cross_bank(feature_matrix(frame, TRANSFER_FEATURES), task.SEED)

            def stage(name: str, expr: Any) -> Any:
                engine.replace_tables({name: expr})
                return engine.table(name)

            yield CutFeatures(engine, ids, x, stage)
        finally:
            engine.close()


def featurise(folder: Path, cache: Path) -> dict[str, np.ndarray]:
    """Base matrix (cross-bank masked as in training), chain columns, labels; cached."""
    if cache.is_file():
        log(f"cached features {cache}")
        with np.load(cache, allow_pickle=True) as stored:
            cached = {k: stored[k] for k in stored.files}
        if "chain_fwd" not in cached:
            cached.update(chain_lengths_only(folder))
            np.savez(cache, **cached)
        return cached
    transfers = data.read_transfers(folder / data.TRANSACTIONS)
    banks = data.read_banks(folder / data.ACCOUNTS)
    with tempfile.TemporaryDirectory() as scratch:
        engine = connect(f"duckdb:///{scratch}/x.duckdb", EngineSettings())
        try:
            base = data.featurise(engine, transfers, banks, GraphWindows(), chains=True)
            log("graph features staged; computing the model features")
            frame = compute_features(engine, TRANSFER_FEATURES, {"transfer": base})
            chains = engine.to_arrow(base.select("tran_id", *EXTRA).order_by("tran_id"))
        finally:
            engine.close()
    ids = frame.column("tran_id")
    order = pc.index_in(ids, value_set=chains.column("tran_id"))
    columns = {c: np.asarray(chains.column(c).take(order).to_numpy(), dtype=np.float64)
               for c in EXTRA if c not in LENGTHS}  # fmt: skip
    y, kinds = data.read_labels(folder, ids)
    x = task._mask_cross_bank(feature_matrix(frame, TRANSFER_FEATURES), task.SEED)
    out = {"x": x, "y": y, "kinds": kinds.astype(str), **columns, **chain_lengths_only(folder)}
    np.savez(cache, **out)
    log(f"features cached in {cache}")
    return out


def chain_lengths_only(folder: Path) -> dict[str, np.ndarray]:
    """``chain_fwd``/``chain_bwd`` alone (for a cache made before they existed), tran_id order."""
    import ibis

    log("computing chain lengths")
    transfers = data.read_transfers(folder / data.TRANSACTIONS)
    windows = GraphWindows()
    with tempfile.TemporaryDirectory() as scratch:
        engine = connect(f"duckdb:///{scratch}/x.duckdb", EngineSettings())
        try:

            def stage(name: str, expr: Any) -> Any:
                engine.replace_tables({name: expr})
                return engine.table(name)

            t = engine.register("tx_transfer", transfers).select(*TRANSFER_COLUMNS)
            relations = stage("tx_relations", pairs(t))
            once = relations.filter(relations.pair_n <= windows.one_off).select("orig", "bene")
            once = once.mutate(one_off=ibis.literal(1, "int64"))
            flagged = t.left_join(once, ["orig", "bene"]).select(
                "tran_id", "orig", "bene", "day", one_off=ibis._.one_off.fill_null(0) > 0
            )
            flagged = stage("tx_one_off", flagged)
            out = engine.to_arrow(chain_lengths(flagged, windows.chain, stage).order_by("tran_id"))
        finally:
            engine.close()
    ids = np.asarray(transfers.column("tran_id").to_numpy())
    if not np.array_equal(np.sort(ids), np.asarray(out.column("tran_id").to_numpy())):
        raise SystemExit("chain lengths do not cover every transfer once")
    return {c: np.asarray(out.column(c).to_numpy(), dtype=np.float64) for c in LENGTHS}


def _share(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def matrices(cols: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, list[str]]]:
    names = list(TRANSFER_FEATURES.names)
    counts = np.column_stack([cols[c] for c in CHAIN_COUNTS])
    shares = np.column_stack([
        _share(cols["chain_next"], cols["chain_next_all"]),
        _share(cols["chain_prev"], cols["chain_prev_all"]),
        _share(cols["chain_next2"], cols["chain_next"]),
    ])  # fmt: skip
    x = cols["x"]
    lengths = np.column_stack([cols[c] for c in LENGTHS])
    out = {
        "shares": (np.hstack([x, counts, shares]), [*names, *CHAIN_COUNTS, *SHARES]),
        "base": (x, names),
        "chains": (np.hstack([x, counts]), [*names, *CHAIN_COUNTS]),
        "lengths": (
            np.hstack([x, counts, shares, lengths]),
            [*names, *CHAIN_COUNTS, *SHARES, *LENGTHS],
        ),
    }
    if all(c in cols for c in RHYTHM):
        rhythm = np.column_stack([cols[c] for c in RHYTHM])
        out["base_rhythm"] = (np.hstack([x, rhythm]), [*names, *RHYTHM])
        out["shares_rhythm"] = (
            np.hstack([x, counts, shares, rhythm]),
            [*names, *CHAIN_COUNTS, *SHARES, *RHYTHM],
        )
    if all(c in cols for c in (*RHYTHM, *OFF_CHAIN)):
        off = np.column_stack([cols[c] for c in (*RHYTHM, *OFF_CHAIN)])
        out["offchain"] = (
            np.hstack([x, counts, shares, off]),
            [*names, *CHAIN_COUNTS, *SHARES, *RHYTHM, *OFF_CHAIN],
        )
        out["base_offchain"] = (np.hstack([x, off]), [*names, *RHYTHM, *OFF_CHAIN])
    return out


def tolerant_threshold(y: np.ndarray, score: np.ndarray, tolerance: float) -> tuple[float, float]:
    """Highest score whose F1 (flag ``score ≥ it``) is within ``tolerance`` of the maximum."""
    labels = np.asarray(y).astype(bool)
    order = np.argsort(-score, kind="stable")
    ranked = score[order]
    hits = np.cumsum(labels[order])
    last = np.r_[np.flatnonzero(np.diff(ranked) != 0), len(score) - 1]
    f1 = 2 * hits[last] / (last + 1 + labels.sum())
    ok = np.flatnonzero(f1 >= f1.max() - tolerance - 1e-12)
    first = int(ok[0])  # highest score: cuts are in descending score order
    return float(ranked[last[first]]), float(f1[first])


def average_precision(score: np.ndarray, positive: np.ndarray) -> float:
    order = np.argsort(-score, kind="stable")
    hits = np.cumsum(positive[order])
    precision = hits / np.arange(1, len(score) + 1)
    return float(precision[positive[order]].mean()) if positive.any() else float("nan")


def evaluate(x: np.ndarray, names: list[str], y: np.ndarray, kinds: np.ndarray) -> dict[str, Any]:
    rows = len(y)
    a, b = int(rows * task.SPLIT[0]), int(rows * task.SPLIT[1])
    started = time.perf_counter()
    booster = train_booster(
        x[:a], y[:a], names=names, params=task.PARAMS, rounds=task.ROUNDS, seed=task.SEED
    )
    valid, test = margins(booster, x[a:b]), margins(booster, x[b:])
    result: dict[str, Any] = {"fit_seconds": round(time.perf_counter() - started, 1)}
    for rule, tolerance in TOLERANCES.items():
        threshold, f1_valid = tolerant_threshold(y[a:b], valid, tolerance)
        flag = test >= threshold
        result[rule] = {
            "threshold_margin": round(threshold, 4),
            "validation_f1": round(f1_valid, 4),
            "validation": binary_metrics(y[a:b], valid, threshold),
            "test": binary_metrics(y[b:], test, threshold),
            "recall_by_typology": task._recall_by_typology(flag, y[b:], kinds[b:]),
        }
    # ranking of each typology against normal transfers over validation + test (steadier than
    # recall at one threshold when a typology has few transfers)
    later, kinds_later = np.r_[valid, test], kinds[a:]
    normal = y[a:] == 0
    result["average_precision_vs_normal"] = {
        kind: round(average_precision(later[(kinds_later == kind) | normal],
                                      (kinds_later == kind)[(kinds_later == kind) | normal]), 4)
        for kind in sorted({str(k) for k in kinds_later if k})
    }  # fmt: skip
    importance = booster.feature_importance(importance_type="gain")
    result["gain_share"] = {
        n: round(float(g / importance.sum()), 4)
        for n, g in zip(names, importance, strict=True)
        if n.startswith("chain")
    }
    return result


def bench_parser(doc: str | None, keep: bool = False) -> argparse.ArgumentParser:
    """The arguments every transfer bench script shares (--keep: the development-file cut)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    if keep:
        parser.add_argument("--keep", type=float, default=0.8)
    return parser


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--only", nargs="*", default=None, help="feature sets to evaluate")
    args = parser.parse_args()
    cols = featurise(args.data, args.cache)
    y, kinds = cols["y"], cols["kinds"].astype(object)
    results: dict[str, Any] = {"data": str(args.data), "rows": len(y), "positives": int(y.sum())}
    for name, (x, names) in matrices(cols).items():
        if args.only and name not in args.only:
            continue
        log(f"evaluating {name} ({x.shape[1]} features)")
        results[name] = evaluate(x, names, y, kinds)
        for rule in TOLERANCES:
            r = results[name][rule]
            log(f"  {name} {rule}: test {r['test']} random {r['recall_by_typology'].get('random')}")
        log(f"  {name} AP vs normal: {results[name]['average_precision_vs_normal']}")
        args.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    log(f"done: {args.out}")


if __name__ == "__main__":
    main()
