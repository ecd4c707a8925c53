"""Linear models: the numpy softmax fit solves scikit-learn's problem, in its own way."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from smokewatch.text.models.linear import fit_linear_svm, fit_softmax


def _problem(seed: int = 3) -> tuple[sparse.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 12))
    y = rng.integers(0, 3, size=240)
    dense = centres[y] + rng.normal(scale=1.5, size=(240, 12))
    return sparse.csr_matrix(np.where(np.abs(dense) > 0.8, dense, 0.0)), y


def test_softmax_fit_gives_scikit_learns_probabilities() -> None:
    x, y = _problem()
    ours = fit_softmax(x, y, n_classes=3, c=2.0, max_iter=2000, tol=1e-12)
    theirs = LogisticRegression(C=2.0, max_iter=5000, tol=1e-10).fit(x, y)
    assert np.allclose(ours.probabilities(x), theirs.predict_proba(x), atol=2e-3)


def test_a_sample_weight_of_two_counts_a_row_twice() -> None:
    x, y = _problem()
    weight = np.where(np.arange(len(y)) % 5 == 0, 2.0, 1.0)
    doubled = np.flatnonzero(weight == 2.0)
    rows = np.concatenate([np.arange(len(y)), doubled])
    weighted = fit_softmax(x, y, n_classes=3, sample_weight=weight, max_iter=2000, tol=1e-12)
    repeated = fit_softmax(x[rows], y[rows], n_classes=3, max_iter=2000, tol=1e-12)
    assert np.allclose(weighted.probabilities(x), repeated.probabilities(x), atol=2e-3)


def test_a_class_without_rows_is_never_chosen() -> None:
    x, y = _problem()
    model = fit_softmax(x, y, n_classes=4)
    assert model.bias[3] == -30.0
    assert not np.any(np.argmax(model.scores(x), axis=1) == 3)


def test_the_svm_fit_keeps_scikit_learns_decision_values() -> None:
    x, y = _problem()
    ours = fit_linear_svm(x, y, n_classes=3, c=0.5, class_weight="balanced")
    theirs = LinearSVC(C=0.5, class_weight="balanced", max_iter=5000).fit(x, y)
    assert np.allclose(ours.scores(x), theirs.decision_function(x))


def test_the_svm_fit_is_the_same_every_time() -> None:
    # with more columns than rows (as for SMS n-grams) liblinear solves the dual problem and
    # visits the rows in a random order; a model must not depend on the run
    rng = np.random.default_rng(5)
    y = rng.integers(0, 3, size=60)
    dense = rng.normal(size=(3, 200))[y] + rng.normal(scale=1.5, size=(60, 200))
    x = sparse.csr_matrix(np.where(np.abs(dense) > 0.8, dense, 0.0))
    fits = [fit_linear_svm(x, y, n_classes=3, c=2.0) for _ in range(3)]
    for other in fits[1:]:
        assert np.array_equal(other.weights, fits[0].weights)
        assert np.array_equal(other.bias, fits[0].bias)


def test_an_svm_class_without_rows_is_never_chosen() -> None:
    x, y = _problem()
    model = fit_linear_svm(x, y, n_classes=4)
    assert model.bias[3] == -30.0
    assert not np.any(model.scores(x).argmax(axis=1) == 3)
    two = np.flatnonzero(y != 2)  # only classes 0 and 1 left, of three
    binary = fit_linear_svm(x[two], y[two], n_classes=3)
    predicted = binary.scores(x[two]).argmax(axis=1)
    assert set(predicted.tolist()) == {0, 1}
    assert np.mean(predicted == y[two]) > 0.8
