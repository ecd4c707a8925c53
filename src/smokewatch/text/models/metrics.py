"""Validation metrics in plain Python: per-class P/R/F1, a binary group, confusions.

Also the seeded, stratified, *grouped* split used by both trainings: rows with the same text
always land on the same side, so a text seen in training is never scored in validation.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Sequence
from typing import Any


def grouped_split(
    keys: Sequence[Hashable], strata: Sequence[str], *, fraction: float, seed: int
) -> list[bool]:
    """Mark rows for validation: whole groups (equal keys), stratified by the group's label.

    A group's stratum is the most common label among its rows (ties: the first seen). In each
    stratum, ``round(fraction × groups)`` groups, drawn with ``random.Random(seed)`` from the
    groups in first-seen order, go to validation. Returns one flag per row (True: validation).
    """
    first: dict[Hashable, int] = {}
    labels: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for i, (key, label) in enumerate(zip(keys, strata, strict=True)):
        first.setdefault(key, i)
        labels[key][label] += 1
    by_stratum: dict[str, list[Hashable]] = defaultdict(list)
    for key in sorted(first, key=first.__getitem__):
        by_stratum[labels[key].most_common(1)[0][0]].append(key)
    rng = random.Random(seed)  # noqa: S311 - a reproducible split, not a secret
    chosen: set[Hashable] = set()
    for stratum in sorted(by_stratum):
        group = list(by_stratum[stratum])
        rng.shuffle(group)
        chosen.update(group[: round(len(group) * fraction)])
    return [key in chosen for key in keys]


def classification_report(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    """Per-class precision, recall, F1 and support; accuracy and macro F1."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, predicted, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    per_class: dict[str, dict[str, float]] = {}
    for label in labels:
        precision = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        recall = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp[label] + fn[label],
        }
    supported = [v["f1"] for v in per_class.values() if v["support"]]
    return {
        "accuracy": round(sum(tp.values()) / len(gold), 4) if gold else 0.0,
        "macro_f1": round(sum(supported) / len(supported), 4) if supported else 0.0,
        "per_class": per_class,
    }


def binary_f1(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of a binary problem (True is the positive class)."""
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p and not g)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "support": tp + fn,
    }


def group_f1(
    gold: Sequence[str], predicted: Sequence[str], group: Collection[str]
) -> dict[str, float]:
    """:func:`binary_f1` of "label in group" against everything else."""
    return binary_f1([g in group for g in gold], [p in group for p in predicted])


def top_confusions(
    gold: Sequence[str], predicted: Sequence[str], *, top: int = 10
) -> list[dict[str, Any]]:
    """The most frequent ``gold → predicted`` mistakes."""
    pairs = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return [{"gold": g, "predicted": p, "count": n} for (g, p), n in pairs.most_common(top)]


__all__ = [
    "binary_f1",
    "classification_report",
    "group_f1",
    "grouped_split",
    "top_confusions",
]
