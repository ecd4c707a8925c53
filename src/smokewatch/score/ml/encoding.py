"""Target encodings: the share of risky subjects among others of the same category.

A target encoding turns a category (an industry code, an enterprise type) into the smoothed
rate of positive labels in that category: ``(positives + m × prior) / (rows + m)``. Fitted on
the rows it is then evaluated on, it leaks each row's own label into its feature, which
inflates validation and ruins rare categories. So:

- :func:`out_of_fold_encode` gives every training row the rate computed *without its fold*;
- :meth:`TargetEncoding.fit` on all training rows is what scores new (validation, production)
  rows — never the rows it was fitted on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from smokewatch.score.ml.folds import random_folds

NULL_KEY = "null"


def category_key(value: float) -> str:
    """The JSON key of a category code (codes are integers; NaN is ``"null"``)."""
    if math.isnan(value):
        return NULL_KEY
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True, slots=True)
class TargetEncoding:
    """A fitted encoding: the rate per category seen in training, the prior for others."""

    prior: float
    smoothing: float
    rates: dict[str, float]
    counts: dict[str, int]

    @classmethod
    def fit(cls, values: np.ndarray, y: np.ndarray, *, smoothing: float) -> TargetEncoding:
        """Fit on these rows (only ever used to encode *other* rows)."""
        labels = np.asarray(y, dtype=np.float64)
        prior = float(labels.mean()) if len(labels) else 0.0
        keys = np.array([category_key(float(v)) for v in values], dtype=object)
        rates: dict[str, float] = {}
        counts: dict[str, int] = {}
        for key in sorted(set(keys.tolist())):
            inside = keys == key
            count = int(inside.sum())
            positives = float(labels[inside].sum())
            rates[key] = (positives + smoothing * prior) / (count + smoothing)
            counts[key] = count
        return cls(prior, smoothing, rates, counts)

    def transform(self, values: np.ndarray) -> np.ndarray:
        """Encode values; unseen categories get the prior."""
        return np.array(
            [self.rates.get(category_key(float(v)), self.prior) for v in values],
            dtype=np.float64,
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-able form for the artefact."""
        return {
            "prior": self.prior,
            "smoothing": self.smoothing,
            "rates": self.rates,
            "counts": self.counts,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TargetEncoding:
        """Read the form written by :meth:`to_json`."""
        return cls(
            float(data["prior"]),
            float(data["smoothing"]),
            {str(k): float(v) for k, v in data["rates"].items()},
            {str(k): int(v) for k, v in data["counts"].items()},
        )


def out_of_fold_encode(
    values: np.ndarray, y: np.ndarray, *, n_splits: int, seed: int, smoothing: float
) -> np.ndarray:
    """Encode each row with an encoding fitted on the other folds only.

    No row's own label ever reaches its own value: the folds are drawn without looking at
    labels (stratifying would let a row's label choose its fold, and so the rows its value is
    computed from), and changing one label changes only the values of rows in other folds.
    """
    labels = np.asarray(y)
    folds = random_folds(len(labels), n_splits, seed)
    encoded = np.empty(len(labels), dtype=np.float64)
    for fold in range(n_splits):
        inside = folds == fold
        encoding = TargetEncoding.fit(values[~inside], labels[~inside], smoothing=smoothing)
        encoded[inside] = encoding.transform(values[inside])
    return encoded


__all__ = ["NULL_KEY", "TargetEncoding", "category_key", "out_of_fold_encode"]
