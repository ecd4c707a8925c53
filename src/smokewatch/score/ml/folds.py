"""Seeded, stratified fold assignment (numpy only).

Every validation in the model layer splits rows with these functions, so the same seed gives
the same folds on every machine and no library upgrade can silently change them.
"""

from __future__ import annotations

import numpy as np

from smokewatch.errors import InvalidInput


def stratified_folds(y: np.ndarray, n_splits: int, seed: int) -> np.ndarray:
    """A fold number (0 … n_splits−1) per row, with each class spread evenly over the folds.

    Raises:
        InvalidInput: fewer rows of a class than folds, or fewer than two folds.

    Examples:
        >>> folds = stratified_folds(np.array([0, 0, 0, 1, 1, 1]), 3, seed=1)
        >>> sorted(folds[:3].tolist()), sorted(folds[3:].tolist())
        ([0, 1, 2], [0, 1, 2])
    """
    labels = np.asarray(y)
    if n_splits < 2:
        raise InvalidInput("cross-validation needs at least two folds")
    folds = np.empty(len(labels), dtype=np.int64)
    rng = np.random.default_rng(seed)
    offset = 0
    for value in np.unique(labels):
        rows = np.flatnonzero(labels == value)
        if len(rows) < n_splits:
            raise InvalidInput(
                f"only {len(rows)} rows of class {value!r}; {n_splits}-fold validation "
                "needs at least one per fold"
            )
        rows = rng.permutation(rows)
        # Continue the round robin across classes so fold sizes stay balanced.
        folds[rows] = (np.arange(len(rows)) + offset) % n_splits
        offset += len(rows)
    return folds


def random_folds(rows: int, n_splits: int, seed: int) -> np.ndarray:
    """A fold number per row, assigned at random without looking at any label.

    Target encodings use these: a row's fold (and so the rows its encoding is computed from)
    must not depend on its own label, or the label would leak back through the choice.
    """
    if n_splits < 2 or rows < n_splits:
        raise InvalidInput(f"cannot split {rows} rows into {n_splits} folds")
    order = np.random.default_rng(seed).permutation(rows)
    folds = np.empty(rows, dtype=np.int64)
    folds[order] = np.arange(rows) % n_splits
    return folds


def grouped_folds(y: np.ndarray, groups: np.ndarray, n_splits: int, seed: int) -> np.ndarray:
    """Stratified folds where all rows of a group (e.g. one platform) share a fold.

    A group is stratified by its highest label, so groups that were ever positive spread
    evenly over the folds.
    """
    keys, inverse = np.unique(np.asarray(groups), return_inverse=True)
    group_label = np.zeros(len(keys), dtype=np.int64)
    np.maximum.at(group_label, inverse, np.asarray(y, dtype=np.int64))
    return stratified_folds(group_label, n_splits, seed)[inverse]


__all__ = ["grouped_folds", "random_folds", "stratified_folds"]
