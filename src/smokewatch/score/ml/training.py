"""Training with honest validation: folds, out-of-fold encodings, thresholds, calibration.

The protocol every model of this layer follows:

1. **Stratified k-fold** (seeded; grouped when one subject has several rows). For each fold a
   model is trained on the other folds and predicts the fold, giving an *out-of-fold* (OOF)
   prediction for every labelled row.
2. **Target encodings** inside that loop: rows a model is trained on get encodings computed
   out of fold *within its training rows*; the rows it predicts get encodings fitted on its
   training rows. No row's label ever reaches its own features.
3. The **threshold** is the one that maximises F1 on the OOF predictions; the honest F1 is
   also reported with each fold flagged at a threshold chosen on the other folds.
4. **Calibration** (Platt) is fitted on the OOF margins.
   Category features named in :attr:`TrainingConfig.categorical` are split natively by
   LightGBM (a split sends a *set* of codes left), next to their target encodings.
5. The **final model** is refit on all labelled rows with the same settings (encodings for its
   training rows out of fold; the mapping stored for new rows fitted on all of them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from smokewatch.errors import ConfigError
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.ml.calibration import Platt, sigmoid
from smokewatch.score.ml.encoding import TargetEncoding, out_of_fold_encode
from smokewatch.score.ml.features import FeatureKind, FeatureSet
from smokewatch.score.ml.folds import grouped_folds, stratified_folds
from smokewatch.score.ml.lgbm import margins, train_booster
from smokewatch.score.ml.metrics import best_f1_threshold, binary_metrics, nested_threshold_f1


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    """How a model is trained and validated; recorded in the manifest."""

    rounds: int = 300
    params: Mapping[str, Any] = field(default_factory=dict)
    n_splits: int = 5
    seed: int = 20201013
    smoothing: float = 20.0
    """Pseudo-count ``m`` of target encodings (rare categories shrink to the prior)."""
    categorical: tuple[str, ...] = ()
    """Category features LightGBM splits on natively (groups of codes, not numeric order)."""

    def to_json(self) -> dict[str, Any]:
        """For the manifest."""
        return {
            "algorithm": "lightgbm",
            "rounds": self.rounds,
            "params": dict(self.params),
            "n_splits": self.n_splits,
            "seed": self.seed,
            "target_encoding_smoothing": self.smoothing,
            "categorical": list(self.categorical),
        }

    def categorical_columns(self, features: FeatureSet) -> list[int]:
        """Column positions of :attr:`categorical` in ``features``.

        Raises:
            ConfigError: a name is not a category feature of ``features``.
        """
        names = features.names
        columns = []
        for name in self.categorical:
            if name not in names or features.get(name).kind is not FeatureKind.CATEGORY:
                raise ConfigError(f"{name!r} is not a category feature of {features.name}")
            columns.append(names.index(name))
        return columns


@dataclass(frozen=True, slots=True)
class FittedModel:
    """A trained booster with the encodings it needs for new rows."""

    booster: Any
    encodings: dict[str, TargetEncoding]


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """Out-of-fold predictions and the figures derived from them."""

    margin: np.ndarray
    """OOF log-odds per labelled row."""
    folds: np.ndarray
    threshold_margin: float
    """Flag ``margin ≥ threshold_margin`` (maximises F1 on the OOF predictions)."""
    platt: Platt
    metrics: dict[str, Any]

    @property
    def probability(self) -> np.ndarray:
        """Calibrated OOF probabilities."""
        return self.platt(self.margin)

    @property
    def threshold(self) -> float:
        """The threshold on the calibrated score scale."""
        return float(self.platt(np.array([self.threshold_margin]))[0])


def encode_for_training(
    x: np.ndarray, y: np.ndarray, features: FeatureSet, config: TrainingConfig
) -> tuple[np.ndarray, dict[str, TargetEncoding]]:
    """Fill encoded columns of training rows out of fold; fit the mappings for new rows."""
    filled = x.copy()
    fitted: dict[str, TargetEncoding] = {}
    names = features.names
    for feature in features.encodings:
        if feature.encodes is None:  # pragma: no cover - FeatureSet.encoded always sets it
            continue
        source = x[:, names.index(feature.encodes)]
        column = names.index(feature.name)
        filled[:, column] = out_of_fold_encode(
            source, y, n_splits=config.n_splits, seed=config.seed, smoothing=config.smoothing
        )
        fitted[feature.name] = TargetEncoding.fit(source, y, smoothing=config.smoothing)
    return filled, fitted


def apply_encodings(
    x: np.ndarray, features: FeatureSet, encodings: Mapping[str, TargetEncoding]
) -> np.ndarray:
    """Fill encoded columns of new rows with fitted mappings."""
    filled = x.copy()
    names = features.names
    for feature in features.encodings:
        if feature.encodes is None:  # pragma: no cover
            continue
        source = x[:, names.index(feature.encodes)]
        filled[:, names.index(feature.name)] = encodings[feature.name].transform(source)
    return filled


def fit(x: np.ndarray, y: np.ndarray, features: FeatureSet, config: TrainingConfig) -> FittedModel:
    """Train one model on these rows (encodings out of fold within them)."""
    encoded, encodings = encode_for_training(x, y, features, config)
    booster = train_booster(
        encoded,
        y,
        names=features.names,
        params=config.params,
        rounds=config.rounds,
        seed=config.seed,
        categorical=config.categorical_columns(features),
    )
    return FittedModel(booster, encodings)


def predict_margin(model: FittedModel, x: np.ndarray, features: FeatureSet) -> np.ndarray:
    """Log-odds for new rows."""
    return margins(model.booster, apply_encodings(x, features, model.encodings))


def cross_validate(
    x: np.ndarray,
    y: np.ndarray,
    features: FeatureSet,
    config: TrainingConfig,
    *,
    groups: np.ndarray | None = None,
    progress: Progress = NO_PROGRESS,
) -> CrossValidation:
    """Stratified k-fold OOF predictions, threshold, calibration and metrics."""
    labels = np.asarray(y, dtype=np.int64)
    folds = (
        stratified_folds(labels, config.n_splits, config.seed)
        if groups is None
        else grouped_folds(labels, groups, config.n_splits, config.seed)
    )
    margin = np.empty(len(labels), dtype=np.float64)
    progress.start("cross-validation", total=config.n_splits)
    for fold in range(config.n_splits):
        inside = folds == fold
        model = fit(x[~inside], labels[~inside], features, config)
        margin[inside] = predict_margin(model, x[inside], features)
        progress.advance()
    progress.finish()
    return summarise(labels, margin, folds)


def summarise(y: np.ndarray, margin: np.ndarray, folds: np.ndarray) -> CrossValidation:
    """Threshold, calibration and metrics from OOF margins."""
    threshold_margin, _ = best_f1_threshold(y, margin)
    platt = Platt.fit(margin, y)
    metrics = binary_metrics(y, margin, threshold_margin)
    metrics["f1_threshold_chosen_on_other_folds"] = nested_threshold_f1(y, margin, folds)
    metrics["per_fold"] = [
        binary_metrics(y[folds == f], margin[folds == f], threshold_margin)
        for f in np.unique(folds)
    ]
    metrics["threshold"] = round(float(platt(np.array([threshold_margin]))[0]), 6)
    metrics["brier_calibrated"] = round(float(np.mean((platt(margin) - y) ** 2)), 5)
    metrics["brier_uncalibrated"] = round(float(np.mean((sigmoid(margin) - y) ** 2)), 5)
    return CrossValidation(margin, folds, threshold_margin, platt, metrics)


__all__ = [
    "CrossValidation",
    "FittedModel",
    "TrainingConfig",
    "apply_encodings",
    "cross_validate",
    "encode_for_training",
    "fit",
    "predict_margin",
    "summarise",
]
