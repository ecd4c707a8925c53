"""Threshold rules on the validation part: max F1, lowest within D of it, recall per typology."""

from __future__ import annotations

import numpy as np
import pytest

from smokewatch.errors import InvalidInput
from smokewatch.score.ml.metrics import best_f1_threshold
from smokewatch.score.ml.transfers.thresholds import ThresholdRule, choose


def _validation(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.r_[np.zeros(2000, np.int64), np.ones(120, np.int64)]
    kinds = np.array([""] * 2000 + ["fan_in"] * 100 + ["random"] * 20, dtype=object)
    score = rng.normal(0.0, 1.0, len(y))
    score[kinds == "fan_in"] += 4.0  # easy
    score[kinds == "random"] += 2.0  # hard: partly among the normal rows
    return y, score, kinds


def _f1(y: np.ndarray, score: np.ndarray, threshold: float) -> float:
    flag = score >= threshold
    tp = float((flag & (y == 1)).sum())
    return 2 * tp / (flag.sum() + y.sum())


def _recall(score: np.ndarray, kinds: np.ndarray, kind: str, threshold: float) -> float:
    return float((score[kinds == kind] >= threshold).mean())


def test_max_is_the_max_f1_threshold() -> None:
    y, score, kinds = _validation()
    assert choose(ThresholdRule.parse("max"), y, score, kinds) == best_f1_threshold(y, score)[0]


def test_low_flags_more_for_nearly_the_same_f1() -> None:
    y, score, kinds = _validation()
    best = choose(ThresholdRule("max"), y, score, kinds)
    low = choose(ThresholdRule.parse("low:0.02"), y, score, kinds)
    assert low < best
    assert _f1(y, score, low) >= _f1(y, score, best) - 0.02
    # the next lower score would fall out of the tolerance
    below = score[score < low].max()
    assert _f1(y, score, below) < _f1(y, score, best) - 0.02


def test_recall_keeps_every_typology_above_the_floor() -> None:
    y, score, kinds = _validation()
    best = choose(ThresholdRule("max"), y, score, kinds)
    assert _recall(score, kinds, "random", best) < 0.95
    floor = choose(ThresholdRule.parse("recall:0.95"), y, score, kinds)
    assert _recall(score, kinds, "random", floor) >= 0.95
    assert _recall(score, kinds, "fan_in", floor) >= 0.95
    assert floor < best


def test_a_floor_already_met_keeps_the_max_f1_threshold() -> None:
    y, score, kinds = _validation()
    assert choose(ThresholdRule.parse("recall:0.1"), y, score, kinds) == choose(
        ThresholdRule("max"), y, score, kinds
    )


@pytest.mark.parametrize("text", ["mean", "low", "max:0.1", "recall:2", "low:x"])
def test_unknown_rules_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        ThresholdRule.parse(text)


def test_a_rule_reads_back_as_written() -> None:
    assert [str(ThresholdRule.parse(t)) for t in ("max", "low:0.01", "recall:0.9")] == [
        "max",
        "low:0.01",
        "recall:0.9",
    ]
