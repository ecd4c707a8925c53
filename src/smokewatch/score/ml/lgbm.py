"""LightGBM behind a small seam: imported lazily, trained deterministically, saved as text.

``lightgbm`` is an optional dependency (the ``ml`` extra). It is imported inside these
functions so ``import smokewatch`` works without it; a missing library raises
:class:`~smokewatch.errors.MissingExtra` naming the extra to install. Models are stored in
LightGBM's own text format (``model.txt``), never pickled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from smokewatch.errors import ConfigError, MissingExtra

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_data_in_leaf": 30,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 5.0,
    "verbosity": -1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
}
"""Regularised defaults: small trees, column and row subsampling, L2 on leaf values.

One thread: the data sets are small (a model trains in well under a second), results do not
depend on the machine's core count, and OpenMP threads never spin against other processes
on a busy machine (which made training many times slower in our measurements)."""


def lightgbm(purpose: str = "model training") -> Any:
    """The ``lightgbm`` module.

    Raises:
        MissingExtra: LightGBM is not installed.
    """
    try:
        import lightgbm as lgb  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as exc:
        raise MissingExtra(purpose, "ml") from exc
    return lgb


def train_booster(
    x: np.ndarray,
    y: np.ndarray,
    *,
    names: Sequence[str],
    params: Mapping[str, Any],
    rounds: int,
    seed: int,
    categorical: Sequence[int] = (),
) -> Any:
    """Train a binary LightGBM booster with a fixed seed; returns ``lightgbm.Booster``."""
    lgb = lightgbm()
    settings = {**DEFAULT_PARAMS, **params, "seed": seed}
    dataset = lgb.Dataset(
        np.asarray(x, dtype=np.float64),
        label=np.asarray(y, dtype=np.float64),
        feature_name=list(names),
        categorical_feature=list(categorical) or "auto",
        free_raw_data=True,
        params={"verbosity": -1},
    )
    return lgb.train(settings, dataset, num_boost_round=rounds)


def booster_text(booster: Any) -> str:
    """The booster in LightGBM's native text format."""
    return str(booster.model_to_string())


def load_booster(text: str, names: Sequence[str]) -> Any:
    """A booster from its text; refuses one whose feature names differ from ``names``.

    Raises:
        ConfigError: the text's feature names are not the expected ones.
        MissingExtra: LightGBM is not installed.
    """
    lgb = lightgbm("model prediction")
    booster = lgb.Booster(model_str=text)
    if list(booster.feature_name()) != list(names):
        raise ConfigError("model.txt was trained on other features than its manifest lists")
    return booster


def margins(booster: Any, x: np.ndarray) -> np.ndarray:
    """Raw scores (log-odds) of the rows."""
    return np.asarray(booster.predict(np.asarray(x, dtype=np.float64), raw_score=True))


def contributions(booster: Any, x: np.ndarray) -> np.ndarray:
    """Per-feature contributions to the log-odds (TreeSHAP); last column is the base value."""
    return np.asarray(booster.predict(np.asarray(x, dtype=np.float64), pred_contrib=True))


__all__ = [
    "DEFAULT_PARAMS",
    "booster_text",
    "contributions",
    "lightgbm",
    "load_booster",
    "margins",
    "train_booster",
]
