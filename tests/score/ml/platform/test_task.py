"""Model 2 end to end on a small wdzj-shaped folder: out-of-time validation, then scoring."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from smokewatch.engine import Engine
from smokewatch.score.ml.platform import task
from smokewatch.score.ml.training import TrainingConfig
from tests.score.ml.builders import wdzj_folder

SMALL = TrainingConfig(rounds=30, n_splits=3, seed=2)
AS_OF = date(2017, 6, 30)


def test_training_reports_the_out_of_time_test_and_scores_the_operating_platforms(
    tmp_path: Path, duckdb_engine: Engine
) -> None:
    folder = wdzj_folder(tmp_path)
    report = task.train(duckdb_engine, folder, tmp_path / "model", as_of=AS_OF, config=SMALL)
    out_of_time = report.metrics["out_of_time"]
    assert out_of_time["rows"] > 0
    assert out_of_time["auc"] is not None
    card = (tmp_path / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Why it should generalise" in card
    assert "### By province" in card

    scored = task.predict(duckdb_engine, tmp_path / "model", folder)
    table = scored.scored.to_arrow("en")
    assert table.num_rows == 60  # the operating platforms
    scores = table.column("score").to_pylist()
    assert scores == sorted(scores, reverse=True)
    assert all(table.column("reasons").to_pylist())


def test_evaluation_dates_go_back_one_year_at_a_time() -> None:
    assert task.evaluation_dates(AS_OF) == [
        date(2016, 6, 30),
        date(2015, 6, 30),
        date(2014, 6, 30),
        date(2013, 6, 30),
    ]
