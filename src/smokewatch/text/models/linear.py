"""A linear classifier as plain arrays: fit with scikit-learn or scipy, run with numpy.

:class:`LinearModel` holds a weight matrix (features × classes) and a bias per class and gives
softmax probabilities (one column: a logistic probability). Its explanation of a decision is
the list of the largest contributions ``x_j · (w_jc − mean_k w_jk)`` to the winning class: the
part of a feature's weight that sets that class apart from the others, times the feature's
value in the text.

:func:`fit_logistic` and :func:`fit_linear_svm` import scikit-learn inside the function;
:func:`fit_softmax` (the same multinomial objective as :func:`fit_logistic`, solved with
scipy's L-BFGS, two sparse products per step) and :func:`fit_ranker` import scipy's optimiser
there. Training needs the ``ml`` extra, inference
never does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Weights ``(n_features, n_columns)`` and bias ``(n_columns,)`` of a linear classifier.

    With one column the model is binary (logistic); with several it is multinomial (softmax)
    and the columns are the classes in ``labels`` order.
    """

    weights: np.ndarray
    bias: np.ndarray

    @property
    def n_features(self) -> int:
        """Number of input columns."""
        return int(self.weights.shape[0])

    def scores(self, matrix: sparse.csr_matrix | np.ndarray) -> np.ndarray:
        """Raw decision values ``X·W + b``, one row per input row."""
        scores: np.ndarray = np.asarray(matrix @ self.weights) + self.bias
        return scores

    def probabilities(self, matrix: sparse.csr_matrix | np.ndarray) -> np.ndarray:
        """Softmax over the columns, or the logistic of the single column (shape ``(n, 1)``)."""
        z = self.scores(matrix)
        if z.shape[1] == 1:
            return np.asarray(1.0 / (1.0 + np.exp(-z)))
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def contributions(
        self, row: sparse.csr_matrix, column: int, *, top: int = 5
    ) -> list[tuple[int, float]]:
        """The ``top`` features pushing one input row towards ``column``, largest first.

        Returns ``(feature column, contribution)`` pairs with positive contributions only.
        """
        csr = sparse.csr_matrix(row)
        columns = csr.indices
        if len(columns) == 0:
            return []
        w = self.weights[columns]
        relative = w[:, column] - (w.mean(axis=1) if w.shape[1] > 1 else 0.0)
        values = csr.data * relative
        order = np.argsort(-values)[:top]
        return [(int(columns[i]), float(values[i])) for i in order if values[i] > 0.0]


def fit_logistic(
    matrix: sparse.csr_matrix,
    targets: Sequence[int],
    *,
    n_classes: int,
    c: float = 4.0,
    class_weight: str | dict[int, float] | None = None,
    max_iter: int = 2000,
) -> LinearModel:
    """Fit an l2-regularised logistic regression (multinomial when ``n_classes > 2``).

    A binary problem (``n_classes == 2``) gives a one-column model for class 1.
    """
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - training only (extra ml)

    y = np.asarray(targets, dtype=np.int64)
    model = LogisticRegression(C=c, class_weight=class_weight, max_iter=max_iter, tol=1e-4)
    model.fit(matrix, y)
    coef = np.asarray(model.coef_, dtype=np.float64)
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    if n_classes == 2:
        return LinearModel(coef.T.copy(), intercept.copy())
    present = [int(c_) for c_ in model.classes_]
    weights = np.zeros((matrix.shape[1], n_classes), dtype=np.float64)
    bias = np.full(n_classes, -30.0, dtype=np.float64)  # a class never seen is never chosen
    for k, label in enumerate(present):
        weights[:, label] = coef[k]
        bias[label] = intercept[k]
    return LinearModel(weights, bias)


def fit_linear_svm(
    matrix: sparse.csr_matrix,
    targets: Sequence[int],
    *,
    n_classes: int,
    c: float = 1.0,
    class_weight: str | dict[int, float] | None = None,
    max_iter: int = 5000,
) -> LinearModel:
    """Fit a one-vs-rest linear SVM (squared hinge, l2); its scores are decision values.

    The scores are margins, not log-odds: give the model a softmax temperature
    (:mod:`~smokewatch.text.models.calibration`) before reading them as probabilities. A
    binary problem gives a one-column model for class 1; a class without rows gets the bias
    −30 (never chosen).
    """
    from sklearn.svm import LinearSVC  # noqa: PLC0415 - training only (extra ml)

    y = np.asarray(targets, dtype=np.int64)
    # liblinear's dual solver (more columns than rows, as for n-grams) visits the rows in a
    # random order: a fixed seed makes the same data give the same model on every run
    model = LinearSVC(C=c, class_weight=class_weight, max_iter=max_iter, random_state=0)
    model.fit(matrix, y)
    coef = np.asarray(model.coef_, dtype=np.float64)
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    present = [int(c_) for c_ in model.classes_]
    if n_classes == 2 or len(present) == 2:
        if n_classes == 2:
            return LinearModel(coef.T.copy(), intercept.copy())
        coef = np.vstack([-coef, coef])
        intercept = np.concatenate([-intercept, intercept])
    weights = np.zeros((matrix.shape[1], n_classes), dtype=np.float64)
    bias = np.full(n_classes, -30.0, dtype=np.float64)
    for k, label in enumerate(present):
        weights[:, label] = coef[k]
        bias[label] = intercept[k]
    return LinearModel(weights, bias)


def fit_softmax(
    matrix: sparse.csr_matrix,
    targets: Sequence[int] | np.ndarray,
    *,
    n_classes: int,
    c: float = 4.0,
    sample_weight: np.ndarray | None = None,
    max_iter: int = 400,
    tol: float = 1e-6,
    maxcor: int = 10,
) -> LinearModel:
    """Fit a multinomial logistic regression with L-BFGS, in numpy (no scikit-learn).

    Minimises ``C · Σ_i s_i · (−log p_i,y_i) + ½ ‖W‖²`` (the bias is not penalised), the
    objective of scikit-learn's ``LogisticRegression`` with sample weights ``s_i``. Each
    iteration is two sparse products, several times faster than scikit-learn's multinomial
    solver on wide TF-IDF matrices, which makes cross-validated choices affordable in
    training. Classes without rows get the bias −30 (never chosen).
    """
    from scipy.optimize import minimize  # noqa: PLC0415 - training only

    x = sparse.csr_matrix(matrix, dtype=np.float64)
    xt = sparse.csr_matrix(x.T)
    y = np.asarray(targets, dtype=np.int64)
    n, n_features = x.shape
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    onehot = np.zeros((n, n_classes))
    onehot[np.arange(n), y] = 1.0
    present = np.bincount(y, minlength=n_classes) > 0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: n_features * n_classes].reshape(n_features, n_classes)
        b = theta[n_features * n_classes :]
        z = np.asarray(x @ w) + b
        z[:, ~present] = -30.0
        top = z.max(axis=1, keepdims=True)
        e = np.exp(z - top)
        total = e.sum(axis=1, keepdims=True)
        log_p = z - top - np.log(total)
        value = -c * float(np.sum(s * log_p[np.arange(n), y])) + 0.5 * float(np.sum(w * w))
        g = c * s[:, None] * (e / total - onehot)
        g[:, ~present] = 0.0
        grad_w = np.asarray(xt @ g) + w
        return value, np.concatenate([grad_w.ravel(), g.sum(axis=0)])

    start = np.zeros(n_features * n_classes + n_classes)
    result = minimize(
        loss,
        start,
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "ftol": tol, "gtol": 1e-5, "maxcor": maxcor},
    )
    theta = np.asarray(result.x, dtype=np.float64)
    weights = theta[: n_features * n_classes].reshape(n_features, n_classes).copy()
    bias = theta[n_features * n_classes :].copy()
    bias[~present] = -30.0
    return LinearModel(weights, bias)


def fit_ranker(
    matrix: sparse.csr_matrix,
    positive: Sequence[bool] | np.ndarray,
    groups: Sequence[int] | np.ndarray,
    *,
    l2: float = 1.0,
    max_iter: int = 300,
) -> LinearModel:
    """Fit a conditional-logit ranker: within each group, a softmax over its rows.

    The loss of a group is ``-log(Σ_pos e^s / Σ_all e^s)`` (several rows may be right);
    groups without a positive row are ignored. ``l2`` is the penalty on the weights. The
    result is a one-column :class:`LinearModel` whose scores are comparable within a group.
    """
    from scipy.optimize import minimize  # noqa: PLC0415 - training only

    pos = np.asarray(positive, dtype=bool)
    grp = np.asarray(groups, dtype=np.int64)
    _, grp = np.unique(grp, return_inverse=True)
    n_groups = int(grp.max()) + 1 if len(grp) else 0
    has_pos = np.bincount(grp, weights=pos.astype(np.float64), minlength=n_groups) > 0
    keep = has_pos[grp]
    x = sparse.csr_matrix(matrix)[keep]
    pos, grp = pos[keep], grp[keep]
    _, grp = np.unique(grp, return_inverse=True)
    n_groups = int(grp.max()) + 1 if len(grp) else 0
    xt = sparse.csr_matrix(x.T)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        top = np.full(n_groups, -np.inf)
        np.maximum.at(top, grp, s)
        e = np.exp(s - top[grp])
        z_all = np.bincount(grp, weights=e, minlength=n_groups)
        z_pos = np.bincount(grp, weights=e * pos, minlength=n_groups)
        value = float(np.sum(np.log(z_all) - np.log(z_pos))) + 0.5 * l2 * float(w @ w)
        g_rows = e / z_all[grp] - (e * pos) / z_pos[grp]
        return value, np.asarray(xt @ g_rows) + l2 * w

    start = np.zeros(x.shape[1], dtype=np.float64)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    return LinearModel(np.asarray(result.x, dtype=np.float64).reshape(-1, 1), np.zeros(1))


__all__ = ["LinearModel", "fit_linear_svm", "fit_logistic", "fit_ranker"]
