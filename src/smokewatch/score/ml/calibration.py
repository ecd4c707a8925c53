"""Platt calibration: turn a model's raw scores into probabilities one can read as rates.

``p = 1 / (1 + exp(−(a × margin + b)))`` where ``margin`` is the model's log-odds. It is
fitted on *out-of-fold* predictions (never on rows the model was trained on) and stored as
two numbers in the artefact. It is strictly increasing, so the order of subjects and the
flag decision do not change; only the number shown becomes a calibrated probability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, stable for large magnitudes."""
    values = np.asarray(x, dtype=np.float64)
    out = np.empty_like(values)
    positive = values >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-values[positive]))
    exp = np.exp(values[~positive])
    out[~positive] = exp / (1.0 + exp)
    return out


def _nll(a: float, b: float, x: np.ndarray, target: np.ndarray) -> float:
    """Cross-entropy of ``sigmoid(a·x + b)`` against the smoothed targets (stable form)."""
    z = a * x + b
    return float(np.sum(np.logaddexp(0.0, z) - target * z))


@dataclass(frozen=True, slots=True)
class Platt:
    """A fitted Platt scaling ``sigmoid(a × margin + b)``."""

    a: float
    b: float

    @classmethod
    def fit(cls, margin: np.ndarray, y: np.ndarray, *, iterations: int = 100) -> Platt:
        """Fit by Newton's method with Platt's smoothed targets (robust on separable data)."""
        x = np.asarray(margin, dtype=np.float64)
        labels = np.asarray(y).astype(bool)
        positives = float(labels.sum())
        negatives = float(len(labels) - positives)
        target = np.where(labels, (positives + 1) / (positives + 2), 1 / (negatives + 2))
        a, b = 1.0, 0.0
        loss = _nll(a, b, x, target)
        for _ in range(iterations):
            p = sigmoid(a * x + b)
            weight = np.maximum(p * (1 - p), 1e-12)
            grad = np.array([np.sum((p - target) * x), np.sum(p - target)])
            hess = np.array(
                [
                    [np.sum(weight * x * x) + 1e-9, np.sum(weight * x)],
                    [np.sum(weight * x), np.sum(weight) + 1e-9],
                ]
            )
            step = np.linalg.solve(hess, grad)
            # Backtracking (Lin, Lin & Weng 2007): a full Newton step can overshoot when the
            # margins nearly separate the classes; halve it until the loss decreases.
            scale = 1.0
            while scale > 1e-10:
                a_new, b_new = a - scale * float(step[0]), b - scale * float(step[1])
                new_loss = _nll(a_new, b_new, x, target)
                if new_loss <= loss + 1e-12:
                    break
                scale /= 2
            else:
                break
            a, b, loss = a_new, b_new, new_loss
            if float(np.abs(step).max()) * scale < 1e-10:
                break
        return cls(a, b)

    def __call__(self, margin: np.ndarray) -> np.ndarray:
        """Calibrated probabilities for raw margins."""
        return sigmoid(self.a * np.asarray(margin, dtype=np.float64) + self.b)

    def to_array(self) -> np.ndarray:
        """``[a, b]`` for the artefact's ``arrays.npz``."""
        return np.array([self.a, self.b], dtype=np.float64)

    @classmethod
    def from_array(cls, values: np.ndarray) -> Platt:
        """Read the array written by :meth:`to_array`."""
        return cls(float(values[0]), float(values[1]))


__all__ = ["Platt", "sigmoid"]
