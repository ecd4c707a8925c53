"""Model 1 on the real CCF BDCI 2020 folder: trains within budget and scores held-back ids."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from smokewatch.services import models


@pytest.mark.slow
def test_enterprise_risk_trains_on_the_real_data_and_scores_unlabelled_ids(
    shared_data: Path, tmp_path: Path
) -> None:
    data = shared_data / "ccf2020"
    report = models.train_enterprise_risk(data, tmp_path / "model")
    assert report.rows == 11892
    assert report.metrics["auc"] > 0.98
    assert report.metrics["f1_threshold_chosen_on_other_folds"]["f1"] > 0.78
    labelled = {row["id"] for row in csv.DictReader((data / "train/entprise_info.csv").open())}
    with (data / "derived_partial/Explore16_datafountain_ccf/fea.csv").open() as handle:
        unlabelled = [row["id"] for row in csv.DictReader(handle) if row["id"] not in labelled]
    ids = tmp_path / "ids.csv"
    ids.write_text("id\n" + "\n".join(unlabelled) + "\n", encoding="utf-8")
    predicted = models.predict(tmp_path / "model", data, tmp_path / "pred.csv", ids_path=ids)
    assert predicted.rows == len(unlabelled) == 2973
    assert not predicted.notes
