"""Model 1 with the original base_info/change_info files, whenever the data folder has them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pytest

from smokewatch.engine import Engine, connect
from smokewatch.errors import ConfigError
from smokewatch.score.ml.enterprise import data, task
from smokewatch.score.ml.enterprise.changes import CHANGES
from smokewatch.score.ml.enterprise.features import FEATURES, feature_set
from smokewatch.score.ml.enterprise.full_inputs import DERIVED, Variant, detect_variant
from smokewatch.score.ml.enterprise.registry_full import BASE_INFO
from smokewatch.score.ml.features import compute_features
from smokewatch.services import models as model_service
from smokewatch.settings import EngineSettings
from tests.score.ml.builders import ccf_folder
from tests.score.ml.enterprise.full_builders import (
    EXTRA_IDS,
    write_base_info,
    write_change_info,
)

SMALL = replace(task.CONFIG, rounds=30, n_splits=3, seed=2)
FULL = Variant(base_info=True, change_info=True)


@pytest.fixture
def full_folder(tmp_path: Path) -> Path:
    folder = ccf_folder(tmp_path)
    write_base_info(folder, encoding="gbk")
    write_change_info(folder, encoding="utf-8")
    return folder


def test_without_the_original_files_the_features_are_the_shipped_ones(tmp_path: Path) -> None:
    folder = ccf_folder(tmp_path)
    assert detect_variant(folder) == DERIVED
    assert feature_set(DERIVED) is FEATURES
    assert len(FEATURES.names) == 58
    assert not set(FEATURES.names) & {*BASE_INFO.names, *CHANGES.names}


def test_each_variant_adds_its_features_before_the_risk_rates() -> None:
    names = feature_set(FULL).names
    assert names[: len(FEATURES.names) - 3] == FEATURES.names[:-3]
    assert names[-3:] == FEATURES.names[-3:]
    assert set(names) == {*FEATURES.names, *BASE_INFO.names, *CHANGES.names}
    assert set(feature_set(Variant(change_info=True)).names) == {*FEATURES.names, *CHANGES.names}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_base_info_is_read_in_any_encoding_with_its_bad_row_rejected_and_reported(
    tmp_path: Path, duckdb_engine: Engine, encoding: str
) -> None:
    folder = ccf_folder(tmp_path, labelled=120, unlabelled=10)
    write_base_info(folder, encoding=encoding)
    report = task.train(duckdb_engine, folder, tmp_path / "model", config=SMALL)
    assert report.inputs.startswith("base_info: using train/base_info.csv")
    assert "train/base_info.csv found: 133 rows used" in report.notes[0]
    assert report.notes[1] == "train/base_info.csv row 7 rejected: regcap: '十万' is not a number"


def test_training_says_which_inputs_it_used_in_report_manifest_and_card(
    tmp_path: Path, duckdb_engine: Engine, full_folder: Path
) -> None:
    report = task.train(duckdb_engine, full_folder, tmp_path / "model", config=SMALL)
    assert report.inputs.startswith("base_info+change_info: using train/base_info.csv and")
    unverified = "change rows by kind (item codes mapped by an UNVERIFIED"
    assert any(note.startswith(unverified) for note in report.notes)
    manifest = json.loads((tmp_path / "model/manifest.json").read_text(encoding="utf-8"))
    assert manifest["extra"]["input_variant"] == "base_info+change_info"
    assert manifest["features"]["names"] == feature_set(FULL).names
    files = {f["file"]: f for f in manifest["training_data"]["files"]}
    assert files["train/base_info.csv"]["rejected"] == 1
    assert files["train/base_info.csv"]["encoding"] == "gb18030"
    assert "derived_partial/Explore16_datafountain_ccf/fea.csv" not in files
    card = (tmp_path / "model/MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Inputs present: the original `train/base_info.csv` and `train/change_info.csv`" in card
    assert "`scope_investment_words`" in card
    described = model_service.describe(tmp_path / "model")
    assert described.verified, described.problem


def test_with_base_info_every_enterprise_of_the_file_can_be_scored(
    tmp_path: Path, duckdb_engine: Engine, full_folder: Path
) -> None:
    task.train(duckdb_engine, full_folder, tmp_path / "model", config=SMALL)
    report = task.predict(duckdb_engine, tmp_path / "model", full_folder, ids=EXTRA_IDS)
    assert report.scored.to_arrow().column("id").to_pylist() == EXTRA_IDS
    assert not any("not in the registry" in note for note in report.notes)
    everyone = task.predict(duckdb_engine, tmp_path / "model", full_folder)
    assert everyone.rows == 270 + len(EXTRA_IDS)


def test_a_derived_model_is_refused_once_the_folder_has_base_info(
    tmp_path: Path, duckdb_engine: Engine
) -> None:
    folder = ccf_folder(tmp_path)
    task.train(duckdb_engine, folder, tmp_path / "model", config=SMALL)
    write_base_info(folder)
    with pytest.raises(ConfigError, match=r"trained on the derived_partial inputs.*base_info"):
        task.predict(duckdb_engine, tmp_path / "model", folder, ids=["ent00001"])


def test_a_full_model_is_refused_on_a_folder_without_the_change_history(
    tmp_path: Path, duckdb_engine: Engine, full_folder: Path
) -> None:
    task.train(duckdb_engine, full_folder, tmp_path / "model", config=SMALL)
    (full_folder / "train/change_info.csv").unlink()
    with pytest.raises(ConfigError, match="trained on the base_info\\+change_info inputs"):
        task.predict(duckdb_engine, tmp_path / "model", full_folder, ids=["ent00001"])


def test_a_manifest_edited_to_claim_another_variant_is_refused_by_its_feature_list(
    tmp_path: Path, duckdb_engine: Engine, full_folder: Path
) -> None:
    task.train(duckdb_engine, full_folder, tmp_path / "model", config=SMALL)
    (full_folder / "train/change_info.csv").unlink()
    path = tmp_path / "model/manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["extra"]["input_variant"] = "base_info"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ConfigError):
        task.predict(duckdb_engine, tmp_path / "model", full_folder, ids=["ent00001"])


def _full_features(engine: Engine, folder: Path) -> pa.Table:
    loaded = data.load(engine, folder, labels=False)
    subjects = engine.register(
        "__sw_subjects", pa.table({"id": pa.array(["ent00001", "ent00005", *EXTRA_IDS])})
    )
    return compute_features(engine, feature_set(FULL), data.views_for(loaded, subjects))


def test_the_new_features_are_the_same_on_every_engine(
    engine: Engine, full_folder: Path, tmp_path: Path
) -> None:
    reference = connect("duckdb://:memory:", EngineSettings())
    try:
        expected = _full_features(reference, full_folder)
    finally:
        reference.close()
    got = _full_features(engine, full_folder)
    for name in ["id", *BASE_INFO.names, *CHANGES.names, *FEATURES.names[:-3]]:
        assert got.column(name).to_pylist() == expected.column(name).to_pylist(), name
