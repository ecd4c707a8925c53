"""Training settings reach the booster: category features named in the config split as sets."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from smokewatch.errors import ConfigError
from smokewatch.score.ml.features import FeatureKind, FeatureSet, feature_matrix
from smokewatch.score.ml.risk_model import RiskModel
from smokewatch.score.ml.training import TrainingConfig, cross_validate, fit
from tests.score.ml.test_risk_model import _frame, _set

NATIVE = TrainingConfig(rounds=20, n_splits=3, seed=1, categorical=("industry",))


def _split_kinds(booster: Any) -> set[str]:
    kinds: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "decision_type" in node:
            kinds.add(f"{node['split_feature']}{node['decision_type']}")
            walk(node["left_child"])
            walk(node["right_child"])

    for tree in booster.dump_model()["tree_info"]:
        walk(tree["tree_structure"])
    return kinds


def _industry_only() -> FeatureSet:
    features = FeatureSet("codes", keys=("id",), base="subject")

    @features.row(zh="行业", en="industry", inputs=("toy.csv",), kind=FeatureKind.CATEGORY)
    def industry(t: Any) -> Any:
        """Industry code."""
        return t.industry

    return features


def test_a_named_category_is_split_as_a_set_of_codes_not_by_numeric_order() -> None:
    features = _industry_only()
    codes = np.tile(np.arange(6, dtype=np.float64), 100)
    y = np.isin(codes, [1, 4]).astype(np.int64)  # risky codes that no cut-point separates
    x = codes.reshape(-1, 1)
    config = replace(NATIVE, rounds=5)
    native = fit(x, y, features, config).booster
    ordered = fit(x, y, features, replace(config, categorical=())).booster
    assert _split_kinds(native) == {"0=="}
    assert _split_kinds(ordered) == {"0<="}


def test_the_categories_are_recorded_with_the_training_settings() -> None:
    assert NATIVE.to_json()["categorical"] == ["industry"]
    assert TrainingConfig().to_json()["categorical"] == []


@pytest.mark.parametrize("name", ["capital", "industry_risk", "no_such_feature"])
def test_only_category_features_of_the_set_can_be_split_natively(name: str) -> None:
    features = _set()
    frame, y = _frame()
    config = replace(NATIVE, categorical=(name,))
    with pytest.raises(ConfigError, match="not a category feature"):
        fit(feature_matrix(frame, features), y, features, config)


def test_a_model_with_native_categories_round_trips_and_explains_each_score(
    tmp_path: Path,
) -> None:
    features = _set()
    frame, y = _frame()
    x = feature_matrix(frame, features)
    cv = cross_validate(x, y, features, NATIVE)
    model = RiskModel.from_fitted(
        "toy-risk", features, fit(x, y, features, NATIVE), cv.platt, cv.threshold_margin
    )
    folder = model.save(
        tmp_path / "model",
        labels=["no", "yes"],
        training_data={"files": []},
        metrics={"cross_validation": cv.metrics},
        card="# toy\n",
    )
    loaded = RiskModel.load(folder, features, task="toy-risk")
    before, after = model.predict(frame, top=2), loaded.predict(frame, top=2)
    assert np.allclose(before.score, after.score)
    assert all(1 <= len(reasons) <= 2 for reasons in after.reasons)
