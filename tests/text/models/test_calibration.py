"""A softmax temperature chosen on held-out scores, folded into a linear model."""

from __future__ import annotations

import doctest
from typing import Any

import numpy as np
import pytest

from smokewatch.text.models import calibration
from smokewatch.text.models.calibration import (
    choose_temperature,
    log_loss,
    softmax,
    with_temperature,
)
from smokewatch.text.models.linear import LinearModel


def _noisy_scores(true_temperature: float, n: int = 4000, seed: int = 5) -> tuple[Any, Any]:
    """Scores whose labels are drawn from ``softmax(true_temperature · scores)``."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(n, 3)) * 2.0
    p = softmax(scores, true_temperature)
    targets = np.array([rng.choice(3, p=row) for row in p])
    return scores, targets


def test_the_log_loss_is_the_mean_surprise_of_the_gold_class() -> None:
    p = np.array([[0.5, 0.5], [0.25, 0.75]])
    assert log_loss(p, [0, 1]) == pytest.approx(-(np.log(0.5) + np.log(0.75)) / 2)
    assert log_loss(np.array([[1.0, 0.0]]), [1]) == pytest.approx(-np.log(1e-12))


def test_a_timid_model_gets_a_temperature_above_one() -> None:
    scores, targets = _noisy_scores(2.0)
    assert choose_temperature(scores, targets) in (1.75, 2.0, 2.5)


def test_an_overconfident_model_gets_a_temperature_below_one() -> None:
    scores, targets = _noisy_scores(0.5)
    assert choose_temperature(scores, targets) in (0.5, 0.75)


def test_the_chosen_temperature_never_loses_to_no_temperature() -> None:
    for true in (0.5, 1.0, 3.0):
        scores, targets = _noisy_scores(true, seed=int(true * 10))
        t = choose_temperature(scores, targets)
        assert log_loss(softmax(scores, t), targets) <= log_loss(softmax(scores), targets)


def test_no_rows_leave_the_model_alone() -> None:
    assert choose_temperature(np.zeros((0, 3)), []) == 1.0


def test_folding_the_temperature_in_keeps_every_decision() -> None:
    rng = np.random.default_rng(1)
    model = LinearModel(rng.normal(size=(6, 4)), rng.normal(size=4))
    x = rng.normal(size=(50, 6))
    hot = with_temperature(model, 2.5)
    assert np.array_equal(model.scores(x).argmax(axis=1), hot.scores(x).argmax(axis=1))
    assert np.allclose(hot.probabilities(x), softmax(model.scores(x), 2.5))
    with pytest.raises(ValueError, match="positive"):
        with_temperature(model, 0.0)


def test_the_docstring_examples_hold() -> None:
    result = doctest.testmod(calibration)
    assert result.attempted > 0
    assert result.failed == 0
