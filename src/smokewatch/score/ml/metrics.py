"""Validation metrics for binary risk models: AUC, precision, recall, F1, thresholds.

Numpy only, so metrics mean the same thing in training, tests and reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks; tied values share the average of their ranks.

    Examples:
        >>> average_ranks(np.array([10.0, 20.0, 10.0, 30.0])).tolist()
        [1.5, 3.0, 1.5, 4.0]
    """
    data = np.asarray(values, dtype=np.float64)
    order = np.argsort(data, kind="mergesort")
    starts = np.r_[0, np.flatnonzero(np.diff(data[order]) != 0) + 1]
    ends = np.r_[starts[1:], len(data)]
    ranks = np.empty(len(data), dtype=np.float64)
    ranks[order] = np.repeat((starts + ends + 1) / 2, ends - starts)
    return ranks


def roc_auc(y: np.ndarray, score: np.ndarray) -> float | None:
    """Area under the ROC curve (ties count half); ``None`` when only one class is present.

    Examples:
        >>> roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
        0.75
    """
    labels = np.asarray(y).astype(bool)
    positives = int(labels.sum())
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    ranks = average_ranks(np.asarray(score, dtype=np.float64))
    rank_sum = float(ranks[labels].sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def confusion(y: np.ndarray, flagged: np.ndarray) -> tuple[int, int, int, int]:
    """True positives, false positives, false negatives, true negatives."""
    labels = np.asarray(y).astype(bool)
    flags = np.asarray(flagged).astype(bool)
    tp = int((labels & flags).sum())
    fp = int((~labels & flags).sum())
    fn = int((labels & ~flags).sum())
    return tp, fp, fn, len(labels) - tp - fp - fn


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def rates(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Precision, recall and F1 of the positive class.

    A rate whose denominator is zero is ``None`` (precision without any flag, recall without
    any positive); F1 is ``None`` only when there is neither a flag nor a positive.
    """
    return {
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
    }


def binary_metrics(y: np.ndarray, score: np.ndarray, threshold: float) -> dict[str, Any]:
    """Counts, AUC, precision, recall and F1 (positive class) flagging ``score ≥ threshold``."""
    flags = np.asarray(score) >= threshold
    tp, fp, fn, _ = confusion(y, flags)
    auc = roc_auc(y, score)
    return {
        "rows": len(flags),
        "positives": tp + fn,
        "flagged": tp + fp,
        "auc": None if auc is None else round(auc, 4),
        **rates(tp, fp, fn),
    }


def best_f1_threshold(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    """The threshold that maximises positive-class F1 on these rows, and that F1.

    The threshold is a score seen in the data (flag ``score ≥ threshold``); among equal F1
    the higher threshold wins (fewer flags for the same quality).
    """
    cuts, f1 = f1_curve(y, score)
    if not np.asarray(y).astype(bool).any():
        return float(cuts[0]) + 1.0, 0.0
    best = int(np.flatnonzero(f1 == f1.max())[0])
    return float(cuts[best]), float(f1[best])


def f1_curve(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct score (descending) and the positive-class F1 of flagging ``score ≥`` it."""
    labels = np.asarray(y).astype(bool)
    values = np.asarray(score, dtype=np.float64)
    order = np.argsort(-values, kind="stable")
    sorted_scores = values[order]
    hits = np.cumsum(labels[order])
    # Candidate cut after the last row of each distinct score.
    last = np.r_[np.flatnonzero(np.diff(sorted_scores) != 0), len(values) - 1]
    tp = hits[last].astype(np.float64)
    f1 = 2 * tp / (last + 1 + max(float(labels.sum()), 1.0))
    return sorted_scores[last], f1


def nested_threshold_f1(y: np.ndarray, score: np.ndarray, folds: np.ndarray) -> dict[str, Any]:
    """F1 where each fold is flagged at the threshold chosen on the *other* folds.

    Choosing the threshold on the very predictions it is scored on flatters F1 a little;
    this is the honest figure for "threshold chosen on validation folds".
    """
    flags = np.zeros(len(score), dtype=bool)
    for fold in np.unique(folds):
        inside = folds == fold
        threshold, _ = best_f1_threshold(y[~inside], score[~inside])
        flags[inside] = score[inside] >= threshold
    tp, fp, fn, _ = confusion(y, flags)
    return rates(tp, fp, fn)


def segment_metrics(
    y: np.ndarray,
    score: np.ndarray,
    threshold: float,
    segments: Sequence[str],
    *,
    min_rows: int = 1,
    order: Mapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """:func:`binary_metrics` per segment (e.g. per industry), largest segments first."""
    labels = np.asarray(segments, dtype=object)
    rows: list[dict[str, Any]] = []
    for segment in sorted(set(labels.tolist()), key=str):
        inside = labels == segment
        if int(inside.sum()) < min_rows:
            continue
        rows.append({"segment": segment, **binary_metrics(y[inside], score[inside], threshold)})
    rank = order or {}
    rows.sort(key=lambda r: (rank.get(r["segment"], 0), -r["rows"], str(r["segment"])))
    return rows


__all__ = [
    "average_ranks",
    "best_f1_threshold",
    "binary_metrics",
    "confusion",
    "f1_curve",
    "nested_threshold_f1",
    "rates",
    "roc_auc",
    "segment_metrics",
]
