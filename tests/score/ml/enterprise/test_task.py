"""Model 1 end to end on a small ccf2020-shaped folder: train, card, predict with reasons."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from smokewatch.engine import Engine
from smokewatch.errors import NotFound
from smokewatch.score.ml.enterprise import task
from smokewatch.score.ml.enterprise.features import FEATURES
from smokewatch.score.ml.risk_model import RiskModel
from tests.score.ml.builders import ccf_folder

SMALL = replace(task.CONFIG, rounds=40, n_splits=3, seed=2)


@pytest.fixture
def trained(tmp_path: Path, duckdb_engine: Engine) -> tuple[Path, Path, task.TrainReport]:
    data = ccf_folder(tmp_path)
    report = task.train(duckdb_engine, data, tmp_path / "model", config=SMALL)
    return data, tmp_path / "model", report


def test_training_validates_out_of_fold_and_learns_the_planted_pattern(trained: tuple) -> None:
    _, _, report = trained
    assert report.rows == 240
    assert report.metrics["auc"] > 0.85
    assert set(report.segments) == {"industry", "enterprise type", "region (district code)"}
    industries = {row["segment"] for row in report.segments["industry"]}
    assert "J 金融业" in industries


def test_the_card_reports_metrics_by_segment_and_the_data_licence(trained: tuple) -> None:
    _, folder, _ = trained
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    for heading in [
        "## Intended use",
        "### By industry",
        "### By enterprise type",
        "### By region (district code)",
        "## Known limits",
        "## Licence of the data",
    ]:
        assert heading in card  # fmt: skip
    assert "research" in card
    assert "`registered_capital`" in card


def test_prediction_keeps_the_order_of_the_ids_and_explains_each_score(
    trained: tuple, duckdb_engine: Engine
) -> None:
    data, folder, _ = trained
    ids = ["ent00260", "ent00003", "nobody"]
    report = task.predict(duckdb_engine, folder, data, ids=ids)
    table = report.scored.to_arrow("zh")
    assert table.column("id").to_pylist() == ids
    assert table.column_names == ["id", "score", "flag", "reasons"]
    assert all(text.count("（") == 3 for text in table.column("reasons").to_pylist()[:2])
    assert any("1 ids are not in the registry" in note for note in report.notes)


def test_the_saved_model_loads_against_the_code_features(trained: tuple) -> None:
    _, folder, _ = trained
    model = RiskModel.load(folder, FEATURES, task=task.TASK)
    assert model.features.names == FEATURES.names


def test_a_folder_that_is_not_ccf2020_is_refused_listing_missing_files(
    tmp_path: Path, duckdb_engine: Engine
) -> None:
    (tmp_path / "wrong").mkdir()
    with pytest.raises(NotFound, match=r"ccf2020.*train/entprise_info\.csv.*fea\.csv"):
        task.train(duckdb_engine, tmp_path / "wrong", tmp_path / "model", config=SMALL)
