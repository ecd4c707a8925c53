"""Target encodings never let a row's own label reach its own feature."""

from __future__ import annotations

import numpy as np
import pytest

from smokewatch.score.ml.encoding import TargetEncoding, out_of_fold_encode
from smokewatch.score.ml.features import FeatureKind, FeatureSet
from smokewatch.score.ml.folds import random_folds
from smokewatch.score.ml.training import (
    TrainingConfig,
    apply_encodings,
    cross_validate,
    encode_for_training,
)


def test_the_rate_of_a_category_is_shrunk_towards_the_prior() -> None:
    values = np.array([1, 1, 1, 1, 2, 2, 2, 2], dtype=float)
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    encoding = TargetEncoding.fit(values, y, smoothing=4)
    # (4 positives + 4 × 0.5) / (4 rows + 4)
    assert encoding.rates["1"] == pytest.approx(0.75)
    assert encoding.transform(np.array([2.0, 9.0, np.nan])).tolist() == [0.25, 0.5, 0.5]


def test_an_encoding_round_trips_through_json() -> None:
    encoding = TargetEncoding.fit(np.array([1.0, np.nan]), np.array([1, 0]), smoothing=1)
    assert TargetEncoding.from_json(encoding.to_json()) == encoding


def test_a_rows_own_label_never_changes_its_own_encoding() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 4, size=60).astype(float)
    y = rng.integers(0, 2, size=60)
    before = out_of_fold_encode(values, y, n_splits=5, seed=1, smoothing=5)
    for row in (0, 17, 42):
        flipped = y.copy()
        flipped[row] = 1 - flipped[row]
        after = out_of_fold_encode(values, flipped, n_splits=5, seed=1, smoothing=5)
        assert after[row] == before[row]


def test_categories_unique_to_a_row_get_only_the_prior_of_the_other_folds() -> None:
    values = np.arange(40, dtype=float)
    y = np.array([0, 1] * 20)
    encoded = out_of_fold_encode(values, y, n_splits=4, seed=2, smoothing=10)
    folds = random_folds(40, 4, seed=2)
    expected = [y[folds != folds[i]].mean() for i in range(40)]
    assert np.allclose(encoded, expected)


def _identity_set() -> FeatureSet:
    fs = FeatureSet("leak", keys=("id",), base="subject")

    @fs.row(zh="编号", en="code", inputs=(), kind=FeatureKind.CATEGORY)
    def code(t: object) -> object:
        """A code unique to each row (like an id)."""
        return t

    fs.encoded("code_risk", of="code", zh="编号涉险率", en="code risk", description="Leak bait.")
    return fs


def test_cross_validation_cannot_learn_labels_from_an_id_like_category() -> None:
    """With a category unique to each row and random labels, an encoding fitted on the rows it
    scores would give a perfect AUC; out-of-fold encoding leaves nothing to learn."""
    rng = np.random.default_rng(5)
    x = np.column_stack([np.arange(300, dtype=float), np.full(300, np.nan)])
    y = rng.integers(0, 2, size=300)
    cv = cross_validate(x, y, _identity_set(), TrainingConfig(rounds=30, n_splits=3, seed=4))
    assert cv.metrics["auc"] < 0.65
    leaky = TargetEncoding.fit(x[:, 0], y, smoothing=1).transform(x[:, 0])
    assert np.all((leaky > 0.5) == y.astype(bool))  # what a leak would have given


def test_training_rows_are_encoded_out_of_fold_and_new_rows_with_all_of_them() -> None:
    rng = np.random.default_rng(8)
    x = np.column_stack([rng.integers(0, 3, size=50).astype(float), np.full(50, np.nan)])
    y = rng.integers(0, 2, size=50)
    config = TrainingConfig(n_splits=5, seed=3, smoothing=2)
    encoded, fitted = encode_for_training(x, y, _identity_set(), config)
    flipped = y.copy()
    flipped[7] = 1 - flipped[7]
    again, _ = encode_for_training(x, flipped, _identity_set(), config)
    assert again[7, 1] == encoded[7, 1]
    new = apply_encodings(x[:3], _identity_set(), fitted)
    assert new[:, 1].tolist() == fitted["code_risk"].transform(x[:3, 0]).tolist()
