"""Transfer-risk model on AMLSim ews12k: protocol metrics, a verified artefact, scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smokewatch.errors import ConfigError
from smokewatch.score.ml.transfers import task
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES

TYPOLOGIES = {"cycle", "fan_in", "fan_out", "gather_scatter", "random", "scatter_gather"}


def test_training_reports_the_temporal_protocol(ews12k_transfer_model: Path) -> None:
    manifest = json.loads((ews12k_transfer_model / "manifest.json").read_text(encoding="utf-8"))
    metrics = manifest["metrics"]
    assert metrics["split_rows"] == {"train": 36898, "validation": 12299, "test": 12300}
    assert metrics["test"]["positives"] > 0
    assert metrics["test"]["f1"] > 0.8  # GFP + XGBoost: 0.72 on this split
    assert set(metrics["test_recall_by_typology"]) == TYPOLOGIES
    assert 0 < manifest["extra"]["threshold"] < 1
    assert manifest["extra"]["typologies"] == sorted(TYPOLOGIES)
    assert "typology.txt" in manifest["files"]
    card = (ews12k_transfer_model / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Recall per typology" in card


def test_no_feature_reads_ids_or_raw_amounts() -> None:
    # The raw amount is an AMLSim shortcut (scatter-gather amounts come from a narrow range).
    names = set(TRANSFER_FEATURES.names)
    assert not names & {"amount", "tran_id", "orig", "bene", "pair_amount", "o_out_amt"}


def test_a_changed_typology_booster_is_refused(ews12k_transfer_model: Path, tmp_path: Path) -> None:
    copy = tmp_path / "model"
    copy.mkdir()
    for path in ews12k_transfer_model.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    with (copy / "typology.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    with pytest.raises(ConfigError):
        task.load(copy)


def test_loading_gives_a_picklable_scoring_spec(ews12k_transfer_model: Path) -> None:
    loaded = task.load(ews12k_transfer_model, top=2)
    assert loaded.spec.top == 2
    assert set(loaded.spec.typologies) == TYPOLOGIES
    assert loaded.windows.window == 10
