"""Threshold rules for the transfer-risk model, all chosen on the validation part.

- ``max``: the score of maximum positive-class F1 (among equal F1 the higher score);
- ``low:D``: the **lowest** score whose F1 is within ``D`` of that maximum — more flags, more
  recall, for nearly the same validation quality;
- ``recall:R``: the score of maximum F1 among those at which every typology's recall is at
  least ``R`` (the typologies of the validation part's suspicious transfers); if no score
  meets it, the highest score at which the typology with the lowest recall is at its best.

A rule is a short string so that it can be written into a model's manifest and a report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from smokewatch.errors import InvalidInput
from smokewatch.score.ml.metrics import f1_curve

RULES = ("max", "low", "recall")


@dataclass(frozen=True, slots=True)
class ThresholdRule:
    """A parsed rule: ``kind`` in :data:`RULES` and its parameter (0 for ``max``)."""

    kind: str
    value: float = 0.0

    @classmethod
    def parse(cls, text: str) -> ThresholdRule:
        """``max``, ``low:0.01`` or ``recall:0.9``.

        Raises:
            InvalidInput: another rule, or a parameter outside [0, 1].
        """
        kind, _, value = text.strip().partition(":")
        if kind not in RULES or (kind == "max") != (value == ""):
            raise InvalidInput(f"unknown threshold rule {text!r}: max, low:D or recall:R")
        try:
            number = float(value) if value else 0.0
        except ValueError as exc:
            raise InvalidInput(f"threshold rule {text!r}: {value!r} is not a number") from exc
        if not 0.0 <= number <= 1.0:
            raise InvalidInput(f"threshold rule {text!r}: the parameter must be in [0, 1]")
        return cls(kind, number)

    def __str__(self) -> str:
        return self.kind if self.kind == "max" else f"{self.kind}:{self.value:g}"


def choose(rule: ThresholdRule, y: np.ndarray, score: np.ndarray, kinds: np.ndarray) -> float:
    """The flag threshold (a score seen in ``score``) that ``rule`` picks on these rows.

    ``kinds`` holds each row's typology (empty for normal rows); only ``recall`` reads it.
    """
    values = np.asarray(score, dtype=np.float64)
    if len(values) == 0:
        raise InvalidInput("no validation rows to choose a threshold on")
    cuts, f1 = f1_curve(y, values)
    best = float(f1.max())
    if rule.kind == "max":
        return float(cuts[int(np.flatnonzero(f1 == best)[0])])
    if rule.kind == "low":
        return float(cuts[int(np.flatnonzero(f1 >= best - rule.value - 1e-12)[-1])])
    positive = np.asarray(y).astype(bool)
    lowest = np.ones(len(cuts))
    for kind in sorted({str(k) for k in kinds[positive] if k}):
        scores = np.sort(values[positive & (kinds == kind)])
        recall = (len(scores) - np.searchsorted(scores, cuts, side="left")) / len(scores)
        lowest = np.minimum(lowest, recall)
    feasible = np.flatnonzero(lowest >= rule.value - 1e-12)
    if len(feasible) == 0:
        return float(cuts[int(np.flatnonzero(lowest == lowest.max())[0])])
    return float(cuts[int(feasible[np.argmax(f1[feasible])])])


__all__ = ["RULES", "ThresholdRule", "choose"]
