"""Event offsets: tuned on out-of-fold scores, judged per text as in the validation protocol."""

from __future__ import annotations

import numpy as np

from smokewatch.text.models.tuning import (
    FOLDS,
    objective_parts,
    pooled,
    text_folds,
    text_objective,
    text_targets,
    tune_offsets,
)

_LABELS = ["其他", "涉嫌非法集资", "涉嫌违法"]
_GROUP = {"涉嫌非法集资"}


def test_a_text_carrying_two_labels_is_right_with_either() -> None:
    targets = text_targets([["涉嫌非法集资", "涉嫌违法"]], _LABELS, _GROUP)
    assert text_objective(targets, np.asarray([1])) == 1.0
    assert text_objective(targets, np.asarray([2])) == 1.0 / 3  # accuracy only; both F1 are 0
    assert objective_parts(targets, np.asarray([2])) == {
        "accuracy": 1.0,
        "group_f1": 0.0,
        "focus_f1": 0.0,
    }


def test_offsets_undo_a_bias_against_a_class_and_never_lower_the_objective() -> None:
    carried = [["涉嫌非法集资"]] * 30 + [["其他"]] * 30
    targets = text_targets(carried, _LABELS, _GROUP)
    rng = np.random.default_rng(0)
    scores = rng.normal(scale=0.1, size=(60, 3))
    scores[:30, 1] += 1.0
    scores[:, 1] -= 1.4  # the model under-predicts 涉嫌非法集资
    before = text_objective(targets, np.argmax(scores, axis=1))
    offsets = tune_offsets(scores, targets)
    after = text_objective(targets, np.argmax(scores + offsets, axis=1))
    assert offsets[1] > offsets[0]
    assert after > before
    assert after == 1.0


def test_folds_keep_the_rows_of_a_text_together() -> None:
    texts = [f"t{i // 3}" for i in range(90)]
    strata = ["涉嫌非法集资" if i % 2 else "其他" for i in range(90)]
    fold = text_folds(texts, strata, seed=1)
    assert set(fold.tolist()) == set(range(FOLDS))
    for t in set(texts):
        assert len({int(f) for f, x in zip(fold, texts, strict=True) if x == t}) == 1


def test_pooled_scores_are_judged_as_the_mean_over_their_fold_assignments() -> None:
    targets = text_targets([["涉嫌非法集资"], ["其他"]], _LABELS, _GROUP)
    right = np.asarray([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])  # both texts right
    wrong = np.asarray([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])  # misses 涉嫌非法集资
    scores, repeated = pooled([right, wrong], targets)
    assert scores.shape == (4, 3)
    predicted = np.argmax(scores, axis=1)
    assert objective_parts(repeated, predicted)["accuracy"] == 0.75
    assert objective_parts(repeated, predicted)["focus_f1"] == 2 / 3  # 1 of 2 found, 1 predicted


def test_offsets_tuned_on_pooled_assignments_serve_both() -> None:
    carried = [["涉嫌非法集资"]] * 20 + [["其他"]] * 20
    targets = text_targets(carried, _LABELS, _GROUP)
    rng = np.random.default_rng(3)
    runs = []
    for bias in (1.2, 1.6):  # two fold assignments under-predicting 涉嫌非法集资 unequally
        scores = rng.normal(scale=0.05, size=(40, 3))
        scores[:20, 1] += 1.0
        scores[:, 1] -= bias
        runs.append(scores)
    offsets = tune_offsets(*pooled(runs, targets))
    for scores in runs:
        assert text_objective(targets, np.argmax(scores + offsets, axis=1)) == 1.0
