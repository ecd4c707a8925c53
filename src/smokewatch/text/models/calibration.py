"""A softmax temperature: make a linear classifier's probabilities say how often it is right.

The SMS model's scores are the margins of a linear SVM, not log-odds, and the logistic
regression of earlier rounds (balanced class weights) was too timid as well. A temperature
``t`` multiplies the scores, ``p = softmax(t · (X·W + b))``; it is chosen on out-of-fold
scores by the multiclass log loss and folded into the weights and bias
(:func:`with_temperature`), so the artefact carries no extra number, the category (the
argmax) never changes and the reasons stay the contributions to the score that decided it.
Round 7 of ``contrib/experiments/text_models.md``: across 12 fold seeds, the log loss of
``P(fraud)`` (the model's share of ``risk_score``) falls from 0.021 (logistic regression) to
0.006 (the same with t 1.5–2) and 0.005 (the SVM with t 5).

Pure numpy; the out-of-fold fitting lives in :mod:`~smokewatch.text.models.training`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from smokewatch.text.models.linear import LinearModel

TEMPERATURES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
"""Default candidates for log-odds scores; capped so that a tiny, easy training set cannot
make every probability 0 or 1 (margins need larger ones: the SMS model passes its own)."""


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``temperature × scores``."""
    z = temperature * np.asarray(scores, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def log_loss(probabilities: np.ndarray, targets: Sequence[int] | np.ndarray) -> float:
    """Mean ``-log p`` of the gold class (probabilities clipped at 1e-12)."""
    y = np.asarray(targets, dtype=np.int64)
    if not len(y):
        return 0.0
    p = np.asarray(probabilities)[np.arange(len(y)), y]
    return -float(np.mean(np.log(np.clip(p, 1e-12, 1.0))))


def choose_temperature(
    scores: np.ndarray,
    targets: Sequence[int] | np.ndarray,
    grid: Sequence[float] = TEMPERATURES,
) -> float:
    """The temperature of ``grid`` with the lowest log loss of ``softmax(t · scores)``.

    Ties go to the temperature closest to 1 (no change). Without rows the answer is 1.

    Examples:
        >>> s = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
        >>> choose_temperature(s, [0, 0, 1])  # always right: as sharp as the grid allows
        4.0
        >>> choose_temperature(s, [0, 1, 1])  # wrong once in three: flatter
        0.75
    """
    if not len(np.asarray(targets)):
        return 1.0
    ordered = sorted(grid, key=lambda t: (abs(t - 1.0), t))
    losses = [log_loss(softmax(scores, t), targets) for t in ordered]
    return float(ordered[int(np.argmin(losses))])


def with_temperature(model: LinearModel, temperature: float) -> LinearModel:
    """The same classifier with its scores multiplied by ``temperature`` (> 0)."""
    if not temperature > 0:
        raise ValueError("a temperature must be positive")
    return LinearModel(model.weights * temperature, model.bias * temperature)


__all__ = ["TEMPERATURES", "choose_temperature", "log_loss", "softmax", "with_temperature"]
