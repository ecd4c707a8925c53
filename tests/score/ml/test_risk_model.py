"""A trained model is saved as a verified artefact and refused when it no longer fits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from smokewatch.errors import ConfigError
from smokewatch.score.ml.features import FeatureKind, FeatureSet, feature_matrix
from smokewatch.score.ml.lgbm import contributions
from smokewatch.score.ml.risk_model import RiskModel, read_manifest
from smokewatch.score.ml.training import TrainingConfig, cross_validate, fit

CONFIG = TrainingConfig(rounds=20, n_splits=3, seed=1)


def _set(*, dtype: str = "float64", extra: bool = False) -> FeatureSet:
    fs = FeatureSet("toy", keys=("id",), base="subject")

    @fs.row(zh="注册资本", en="capital", inputs=("toy.csv",), dtype=dtype)
    def capital(t: Any) -> Any:
        """Registered capital."""
        return t.capital

    @fs.row(zh="行业", en="industry", inputs=("toy.csv",), kind=FeatureKind.CATEGORY)
    def industry(t: Any) -> Any:
        """Industry code."""
        return t.industry

    if extra:

        @fs.row(zh="其他", en="other", inputs=("toy.csv",))
        def other(t: Any) -> Any:
            """Another feature."""
            return t.other

    fs.encoded("industry_risk", of="industry", zh="行业涉险率", en="industry risk", description="x")
    return fs


def _frame(rows: int = 300, seed: int = 0) -> tuple[pa.Table, np.ndarray]:
    rng = np.random.default_rng(seed)
    industry = rng.integers(0, 4, size=rows)
    capital = rng.lognormal(5, 1, size=rows)
    y = ((industry == 1) & (capital > 150)).astype(np.int64) ^ (rng.random(rows) < 0.05)
    frame = pa.table(
        {
            "id": [f"e{i:04d}" for i in range(rows)],
            "capital": pa.array(capital, pa.float64()),
            "industry": pa.array(industry, pa.int64()),
        }
    )
    return frame, y.astype(np.int64)


@pytest.fixture
def trained(tmp_path: Path) -> tuple[RiskModel, Path, pa.Table]:
    fs = _set()
    frame, y = _frame()
    x = feature_matrix(frame, fs)
    cv = cross_validate(x, y, fs, CONFIG)
    model = RiskModel.from_fitted(
        "toy-risk", fs, fit(x, y, fs, CONFIG), cv.platt, cv.threshold_margin
    )
    folder = model.save(
        tmp_path / "model",
        labels=["no", "yes"],
        training_data={"files": [{"file": "toy.csv", "sha256": "0" * 64, "rows": 300}]},
        metrics={"cross_validation": cv.metrics},
        card="# toy\n",
    )
    return model, folder, frame


def test_an_artefact_round_trips_with_identical_predictions(trained: Any) -> None:
    model, folder, frame = trained
    loaded = RiskModel.load(folder, _set(), task="toy-risk")
    before, after = model.predict(frame), loaded.predict(frame)
    assert np.allclose(before.score, after.score)
    assert (before.flag == after.flag).all()
    assert loaded.threshold == pytest.approx(model.threshold)
    assert sorted(p.name for p in folder.iterdir()) == [
        "MODEL_CARD.md", "arrays.npz", "encodings.json", "manifest.json", "model.txt",
    ]  # fmt: skip


def test_the_manifest_records_features_data_libraries_and_threshold(trained: Any) -> None:
    _, folder, _ = trained
    manifest = read_manifest(folder)
    assert manifest["features"]["names"] == ["capital", "industry", "industry_risk"]
    assert manifest["features"]["dtypes"] == ["float64", "int64", "float64"]
    assert manifest["training_data"]["files"][0]["file"] == "toy.csv"
    assert {"lightgbm", "numpy"} <= set(manifest["libraries"])
    assert 0 < manifest["extra"]["threshold"] < 1
    assert manifest["created_at"]
    assert "f1" in manifest["metrics"]["cross_validation"]


def test_a_model_whose_feature_list_differs_from_the_code_is_refused(trained: Any) -> None:
    _, folder, _ = trained
    with pytest.raises(ConfigError, match="feature list"):
        RiskModel.load(folder, _set(extra=True), task="toy-risk")


def test_a_model_whose_feature_dtypes_differ_from_the_code_is_refused(trained: Any) -> None:
    _, folder, _ = trained
    with pytest.raises(ConfigError, match="dtypes"):
        RiskModel.load(folder, _set(dtype="int64"), task="toy-risk")


def test_a_model_of_another_task_is_refused(trained: Any) -> None:
    _, folder, _ = trained
    with pytest.raises(ConfigError, match="not risk-model/platform-risk"):
        RiskModel.load(folder, _set(), task="platform-risk")


def test_a_changed_booster_is_refused(trained: Any) -> None:
    _, folder, _ = trained
    text = (folder / "model.txt").read_text(encoding="utf-8")
    (folder / "model.txt").write_text(text.replace("num_leaves=", "num_leaves= "), encoding="utf-8")
    with pytest.raises(ConfigError, match="sha256"):
        RiskModel.load(folder, _set(), task="toy-risk")


def test_a_folder_of_another_kind_is_not_a_risk_model(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "text-classifier", "task": "sms"}))
    with pytest.raises(ConfigError, match="not a risk model"):
        read_manifest(tmp_path)


def test_every_prediction_carries_its_top_reasons_that_add_up_to_the_score(trained: Any) -> None:
    model, _, frame = trained
    scored = model.predict(frame.slice(0, 25), top=3)
    assert all(1 <= len(r) <= 3 for r in scored.reasons)
    assert all(
        r.text_zh.endswith("）") and r.text_en.endswith(")") for rs in scored.reasons for r in rs
    )
    contrib = contributions(model.booster, model.matrix(frame.slice(0, 25)))
    assert np.allclose(model.platt(contrib.sum(axis=1)), scored.score)
    table = scored.to_arrow("en")
    assert table.column_names == ["id", "score", "flag", "reasons"]
    assert set(table.column("flag").to_pylist()) <= {0, 1}


def test_flags_are_exactly_the_scores_at_or_above_the_threshold(trained: Any) -> None:
    model, _, frame = trained
    scored = model.predict(frame)
    assert ((scored.score >= model.threshold - 1e-12) == scored.flag).all()
