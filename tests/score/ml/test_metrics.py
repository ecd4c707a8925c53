"""Validation metrics mean what they say."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from smokewatch.score.ml.metrics import (
    average_ranks,
    best_f1_threshold,
    binary_metrics,
    nested_threshold_f1,
    roc_auc,
    segment_metrics,
)


def test_auc_counts_ties_as_half() -> None:
    assert roc_auc(np.array([0, 1]), np.array([0.5, 0.5])) == 0.5
    assert roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.3, 0.4])) == 1.0
    assert roc_auc(np.array([1, 1]), np.array([0.1, 0.2])) is None


def test_average_ranks_share_ties() -> None:
    assert average_ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist() == [3.5, 1.0, 3.5, 2.0]


def test_the_best_threshold_beats_every_other_cut() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=80)
    score = np.round(y * 0.3 + rng.random(80), 2)
    threshold, f1 = best_f1_threshold(y, score)
    assert binary_metrics(y, score, threshold)["f1"] == pytest.approx(f1, abs=1e-4)
    for cut in np.unique(score):
        assert binary_metrics(y, score, cut)["f1"] <= round(f1, 4)


def test_rates_without_flags_or_positives_are_undefined_not_zero() -> None:
    none_flagged = binary_metrics(np.array([0, 1]), np.array([0.1, 0.2]), 0.9)
    assert none_flagged["precision"] is None
    assert none_flagged["recall"] == 0.0
    nothing = binary_metrics(np.array([0, 0]), np.array([0.1, 0.2]), 0.9)
    assert (nothing["precision"], nothing["recall"], nothing["f1"]) == (None, None, None)


def test_nested_threshold_f1_never_exceeds_the_in_sample_best() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, size=200)
    score = y * 0.4 + rng.random(200)
    folds = np.array(list(itertools.islice(itertools.cycle(range(5)), 200)))
    nested = nested_threshold_f1(y, score, folds)["f1"]
    assert nested <= best_f1_threshold(y, score)[1] + 1e-9


def test_segments_are_measured_separately_largest_first() -> None:
    y = np.array([1, 0, 1, 0, 0])
    score = np.array([0.9, 0.1, 0.2, 0.8, 0.3])
    rows = segment_metrics(y, score, 0.5, ["J", "J", "M", "M", "M"])
    assert [(r["segment"], r["rows"], r["f1"]) for r in rows] == [("M", 3, 0.0), ("J", 2, 1.0)]
