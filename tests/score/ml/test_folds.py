"""Folds are seeded, stratified, and keep a subject's rows together."""

from __future__ import annotations

import numpy as np
import pytest

from smokewatch.errors import InvalidInput
from smokewatch.score.ml.folds import grouped_folds, stratified_folds


def test_each_class_spreads_evenly_over_the_folds() -> None:
    y = np.array([1] * 10 + [0] * 50)
    folds = stratified_folds(y, 5, seed=3)
    for fold in range(5):
        assert (y[folds == fold] == 1).sum() == 2
        assert (folds == fold).sum() == 12


def test_the_same_seed_gives_the_same_folds() -> None:
    y = np.array([0, 1] * 30)
    assert (stratified_folds(y, 3, seed=9) == stratified_folds(y, 3, seed=9)).all()
    assert (stratified_folds(y, 3, seed=9) != stratified_folds(y, 3, seed=10)).any()


def test_a_class_smaller_than_the_folds_is_refused() -> None:
    with pytest.raises(InvalidInput, match="class"):
        stratified_folds(np.array([0, 0, 0, 0, 1]), 3, seed=0)


def test_rows_of_one_group_share_a_fold() -> None:
    groups = np.array(["a", "a", "b", "b", "c", "c", "d", "d", "e", "f"])
    y = np.array([0, 1, 0, 0, 1, 1, 0, 0, 0, 1])
    folds = grouped_folds(y, groups, 2, seed=1)
    for group in set(groups.tolist()):
        assert len(set(folds[groups == group].tolist())) == 1
