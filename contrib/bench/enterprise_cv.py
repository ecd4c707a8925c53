"""``make bench-enterprise-cv``: how stable is the enterprise-risk F1, and what does tuning add?

Reads ``ccf2020`` from ``../shared/data`` (or ``$SMOKEWATCH_SHARED_DATA``) at run time and
uses the product's own code (features through the DuckDB engine, ``cross_validate``, ``fit``),
so the figures are those of ``smokewatch model train enterprise-risk`` with other seeds.

1. **Repeated CV.** For each seed (folds, target-encoding folds and LightGBM all follow it),
   stratified 5-fold CV of the configuration before this change (target encodings only) and
   of the shipped one (``task.CONFIG``). Mean and spread of AUC, precision, recall, F1 at the
   out-of-fold threshold, and F1 with thresholds chosen on the other folds.
2. **Fully nested check** of the tuning itself: in every outer fold a 4-fold inner CV on the
   outer training rows picks one of ``GRID`` and its threshold; the pick, refit on the outer
   training rows, flags the outer fold at that threshold. No outer label reaches any choice.

Only the labels of ``train/entprise_info.csv`` are read; the held-back labels are not in the
data and nothing here tries to recover them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SMOKEWATCH_SHARED_DATA", ROOT.parent / "shared" / "data"))
SEEDS = (20201013, 7, 11, 23, 42)


def matrix() -> tuple[np.ndarray, np.ndarray]:
    from smokewatch.score.ml.enterprise import data, task
    from smokewatch.score.ml.enterprise.features import FEATURES
    from smokewatch.score.ml.features import compute_features, feature_matrix
    from smokewatch.services.models import scratch_engine

    with scratch_engine() as engine:
        loaded = data.load(engine, SHARED / "ccf2020", labels=True)
        labels = task._labels(engine, loaded)
        views = data.views_for(loaded, loaded.views[data.LABELS.view])
        frame = compute_features(engine, FEATURES, views)
    return feature_matrix(frame, FEATURES), labels.column("label").to_numpy().astype(np.int64)


def configs() -> dict[str, Any]:
    from smokewatch.score.ml.enterprise import task

    shipped = task.CONFIG
    return {
        "target encodings only (before)": replace(shipped, categorical=()),
        "native categories (shipped)": shipped,
        "native categories, min_data_per_group 30": replace(
            shipped, params={"min_data_per_group": 30}
        ),
        "native categories, 31 leaves": replace(
            shipped, params={"num_leaves": 31, "min_data_in_leaf": 20}
        ),
    }


def repeated(x: np.ndarray, y: np.ndarray, seeds: tuple[int, ...]) -> dict[str, Any]:
    from smokewatch.score.ml.enterprise.features import FEATURES
    from smokewatch.score.ml.training import cross_validate

    out: dict[str, Any] = {}
    for name, config in list(configs().items())[:2]:
        runs = []
        for seed in seeds:
            m = cross_validate(x, y, FEATURES, replace(config, seed=seed)).metrics
            nested = m["f1_threshold_chosen_on_other_folds"]["f1"]
            runs.append(
                {k: m[k] for k in ("auc", "precision", "recall", "f1")} | {"f1_other": nested}
            )
        out[name] = {
            key: {
                "mean": round(statistics.mean(r[key] for r in runs), 4),
                "sd": round(statistics.stdev(r[key] for r in runs), 4),
            }
            for key in runs[0]
        } | {"runs": runs}
        print(name, json.dumps({k: v for k, v in out[name].items() if k != "runs"}), flush=True)
    return out


def fully_nested(x: np.ndarray, y: np.ndarray, seed: int) -> dict[str, Any]:
    from smokewatch.score.ml.enterprise.features import FEATURES
    from smokewatch.score.ml.folds import stratified_folds
    from smokewatch.score.ml.metrics import binary_metrics
    from smokewatch.score.ml.training import cross_validate, fit, predict_margin

    grid = configs()
    outer = stratified_folds(y, 5, seed)
    margin, flagged, picks = np.zeros(len(y)), np.zeros(len(y), dtype=bool), []
    for fold in range(5):
        train, test = outer != fold, outer == fold
        best: tuple[float, str, float] = (-1.0, "", 0.0)
        for name, config in grid.items():
            inner = cross_validate(
                x[train], y[train], FEATURES, replace(config, seed=seed + 1, n_splits=4)
            )
            if inner.metrics["f1"] > best[0]:
                best = (inner.metrics["f1"], name, inner.threshold_margin)
        picks.append(best[1])
        model = fit(x[train], y[train], FEATURES, replace(grid[best[1]], seed=seed))
        margin[test] = predict_margin(model, x[test], FEATURES)
        flagged[test] = margin[test] >= best[2]
    tp = int((flagged & (y == 1)).sum())
    precision, recall = tp / max(int(flagged.sum()), 1), tp / int(y.sum())
    f1 = 2 * precision * recall / (precision + recall)
    auc = binary_metrics(y, margin, 0.0)["auc"]
    result = {"seed": seed, "picks": picks, "auc": auc, "precision": round(precision, 4)}
    result |= {"recall": round(recall, 4), "f1": round(f1, 4)}
    print("fully nested", json.dumps(result, ensure_ascii=False), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out" / "enterprise-cv")
    parser.add_argument("--seeds", type=int, default=len(SEEDS), help="repeated-CV seeds (≤ 5)")
    parser.add_argument("--nested-seeds", type=int, default=1, help="fully nested runs (≤ 5)")
    args = parser.parse_args()
    started = time.perf_counter()
    x, y = matrix()
    report = {
        "rows": len(y),
        "positives": int(y.sum()),
        "repeated_cv": repeated(x, y, SEEDS[: args.seeds]),
        "fully_nested": [fully_nested(x, y, s) for s in SEEDS[: args.nested_seeds]],
    }
    report["seconds"] = round(time.perf_counter() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "enterprise_cv.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print(f"{report['seconds']} s; written to {args.out / 'enterprise_cv.json'}")


if __name__ == "__main__":
    main()
