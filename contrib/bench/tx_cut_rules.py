"""Cut training (``tx train --cuts``) and threshold rules, judged on the development file only.

The development file is ews62k cut after its first 80 % of transfers (``tx_walk_edge.py``):
every feature is computed over it only, with the same 60/20/20 protocol inside it, so its
last 20 % sits at a file's end as the real test part does and holds none of it. The feature
passes are those of ``tx train`` (:mod:`smokewatch.score.ml.transfers.cuts`): ``once``
(features over the whole file), ``cuts1`` (training rows over the file cut after the
training part, validation rows over it cut after the validation part, test rows over the
whole file) and ``cuts3`` (the training part also cut in three). Each matrix is fitted with
several LightGBM seeds (the noise of one run), and every threshold rule of
:mod:`smokewatch.score.ml.transfers.thresholds` is applied on the validation part.

    python contrib/bench/tx_cut_rules.py --data ../shared/data/amlsim/ews62k \
        --cache /tmp/tx-cut-rules.npz --out /tmp/tx-cut-rules.json

**Chosen here** (2026-11-21 21:11, three seeds): ``--cuts 3 --threshold-rule low:0.01``.
**Shipping rule for the full file** (written before the one full-file run, see
docs/transfers-model.md, "Cut training"): ``tx train`` on the whole of ews62k with that scheme
and rule ships as the default iff its test F1 ≥ 0.92 **and** `random` recall
> 0.847 **and** no other typology below 0.9 nor more than 0.01 below its current value
(cycle 0.993, fan_in 0.933, fan_out 0.964, gather_scatter 0.991, scatter_gather 1.000).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from tx_chains import average_precision, bench_parser, cut_file, log

from smokewatch.engine.connect import connect
from smokewatch.graph.transfers import GraphWindows
from smokewatch.score.ml.features import feature_matrix
from smokewatch.score.ml.lgbm import margins, train_booster
from smokewatch.score.ml.metrics import binary_metrics
from smokewatch.score.ml.transfers import cuts, data, task
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES
from smokewatch.score.ml.transfers.thresholds import ThresholdRule, choose
from smokewatch.settings import EngineSettings

RULES = (
    "max",
    "low:0.002",
    "low:0.005",
    "low:0.01",
    "low:0.02",
    "recall:0.9",
    "recall:0.92",
    "recall:0.94",
    "recall:0.95",
)


def passes(folder: Path, keep: float) -> dict[str, np.ndarray]:
    """Feature matrices of every pass, with labels, in the dev file's ``tran_id`` order."""
    transfers = cut_file(folder, keep)
    banks = data.read_banks(folder / data.ACCOUNTS)
    rows = transfers.num_rows
    a, b = int(rows * task.SPLIT[0]), int(rows * task.SPLIT[1])
    three = cuts.plan(rows, task.SPLIT, 3)
    if [p.end for p in three] != [a // 3, 2 * a // 3, a, b, rows]:
        raise SystemExit("the plan of tx train changed; update this script")
    wanted = {
        "third": cuts.Part(0, a // 3),
        "two_thirds": cuts.Part(a // 3, 2 * a // 3),
        "train": cuts.Part(0, a),
        "valid": cuts.Part(a, b),
        "whole": cuts.Part(0, rows),
    }
    out: dict[str, np.ndarray] = {}
    with tempfile.TemporaryDirectory() as scratch:
        engine = connect(f"duckdb:///{scratch}/x.duckdb", EngineSettings())
        try:
            for name, part in wanted.items():
                frame = cuts.cut_features(engine, transfers, banks, GraphWindows(), [part])
                out[name] = feature_matrix(frame, TRANSFER_FEATURES)
                log(f"pass {name}: rows {part.start}..{part.end}")
        finally:
            engine.close()
    y, kinds = data.read_labels(folder, transfers.column("tran_id"))
    out["y"], out["kinds"] = y, kinds.astype(str)
    return out


def matrices(m: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    whole = m["whole"]
    rows = len(whole)
    a, b = int(rows * task.SPLIT[0]), int(rows * task.SPLIT[1])
    one = np.vstack([m["train"], m["valid"], whole[b:]])
    tail = m["train"][2 * a // 3 :]
    three = np.vstack([m["third"], m["two_thirds"], tail, m["valid"], whole[b:]])
    return {name: task._mask_cross_bank(x, task.SEED) for name, x in
            {"once": whole, "cuts1": one, "cuts3": three}.items()}  # fmt: skip


def fit(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Margins of the validation and test parts from a model fitted on the training part."""
    rows = len(y)
    a, b = int(rows * task.SPLIT[0]), int(rows * task.SPLIT[1])
    booster = train_booster(x[:a], y[:a], names=TRANSFER_FEATURES.names, params=task.PARAMS,
                            rounds=task.ROUNDS, seed=seed)  # fmt: skip
    return margins(booster, x[a:b]), margins(booster, x[b:])


def judge(valid: np.ndarray, test: np.ndarray, y: np.ndarray, kinds: np.ndarray) -> dict[str, Any]:
    """Every rule of :data:`RULES` chosen on ``valid``, measured on ``test``."""
    rows = len(y)
    a, b = int(rows * task.SPLIT[0]), int(rows * task.SPLIT[1])
    out: dict[str, Any] = {}
    for text in RULES:
        threshold = choose(ThresholdRule.parse(text), y[a:b], valid, kinds[a:b])
        flag = test >= threshold
        out[text] = {
            "threshold_margin": round(threshold, 4),
            "validation": binary_metrics(y[a:b], valid, threshold),
            "test": binary_metrics(y[b:], test, threshold),
            "recall_by_typology": task._recall_by_typology(flag, y[b:], kinds[b:]),
        }
    normal = y[b:] == 0
    random = kinds[b:] == "random"
    keep = random | normal
    out["random_ap_test"] = round(average_precision(test[keep], random[keep]), 4)
    return out


def main() -> None:
    parser = bench_parser(__doc__, keep=True)
    parser.add_argument("--seeds", type=int, nargs="*", default=[task.SEED, 1, 2])
    parser.add_argument("--only", nargs="*", default=["cuts1", "cuts3"])
    args = parser.parse_args()
    if args.cache.is_file():
        with np.load(args.cache) as stored:
            m = {k: stored[k] for k in stored.files}
    else:
        m = passes(args.data, args.keep)
        np.savez(args.cache, **m)
    y, kinds = m["y"], m["kinds"].astype(object)
    kinds[kinds == "nan"] = ""
    store = args.out.with_suffix(".margins.npz")
    kept: dict[str, np.ndarray] = {}
    if store.is_file():
        with np.load(store) as stored:
            kept = {k: stored[k] for k in stored.files}
    results: dict[str, Any] = {}
    xs = matrices(m)
    for name in args.only:
        x = xs[name]
        for seed in args.seeds:
            key = f"{name}/{seed}"
            if f"{key}/valid" not in kept:
                log(f"fitting {key}")
                kept[f"{key}/valid"], kept[f"{key}/test"] = fit(x, y, seed)
                np.savez(store, **kept)
            results[key] = r = judge(kept[f"{key}/valid"], kept[f"{key}/test"], y, kinds)
            for rule in RULES:
                t = r[rule]
                log(f"  {key} {rule}: {t['test']} {t['recall_by_typology']}")
            args.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    log(f"done: {args.out}")


if __name__ == "__main__":
    main()
