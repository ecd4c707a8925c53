"""Model artefacts: atomic, verified, never pickled."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from smokewatch.errors import ConfigError
from smokewatch.ml.artefact import Manifest, file_sha256, load_artefact, save_artefact


def _save(folder: Path) -> Path:
    manifest = Manifest(
        kind="text-classifier",
        task="demo",
        labels=["a", "b"],
        features={"names": ["x", "y"]},
        training_data={"file": "train.csv", "sha256": "0" * 64, "rows": 2},
        metrics={"f1": 1.0},
    )
    return save_artefact(
        folder,
        manifest,
        arrays={"coef": np.arange(4.0).reshape(2, 2)},
        parts={"vocabulary": {"理财": 0}},
        card="# demo\n",
    )


def test_an_artefact_round_trips(tmp_path: Path) -> None:
    folder = _save(tmp_path / "model")
    loaded = load_artefact(folder, kind="text-classifier", task="demo", feature_names=["x", "y"])
    assert loaded.manifest.labels == ["a", "b"]
    assert loaded.arrays["coef"].tolist() == [[0.0, 1.0], [2.0, 3.0]]
    assert loaded.parts["vocabulary"] == {"理财": 0}
    assert set(loaded.manifest.files) == {"arrays.npz", "vocabulary.json", "MODEL_CARD.md"}


def test_a_changed_file_is_refused(tmp_path: Path) -> None:
    folder = _save(tmp_path / "model")
    (folder / "vocabulary.json").write_text(json.dumps({"理财": 1}), encoding="utf-8")
    with pytest.raises(ConfigError, match="sha256"):
        load_artefact(folder, kind="text-classifier")


def test_a_different_feature_list_is_refused(tmp_path: Path) -> None:
    folder = _save(tmp_path / "model")
    with pytest.raises(ConfigError, match="feature list"):
        load_artefact(folder, kind="text-classifier", feature_names=["x", "z"])


def test_another_kind_of_model_is_refused(tmp_path: Path) -> None:
    folder = _save(tmp_path / "model")
    with pytest.raises(ConfigError, match="not risk-model"):
        load_artefact(folder, kind="risk-model")


def test_object_arrays_cannot_be_loaded(tmp_path: Path) -> None:
    folder = _save(tmp_path / "model")
    np.savez(folder / "arrays.npz", coef=np.array([object()], dtype=object))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["arrays.npz"] = file_sha256(folder / "arrays.npz")
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ValueError, match="allow_pickle"):
        load_artefact(folder, kind="text-classifier")


def test_saving_replaces_an_existing_artefact_whole(tmp_path: Path) -> None:
    folder = _save(tmp_path / "model")
    (folder / "stray.txt").write_text("old", encoding="utf-8")
    _save(folder)
    assert not (folder / "stray.txt").exists()


def test_native_text_files_are_stored_and_verified(tmp_path: Path) -> None:
    manifest = Manifest(
        kind="risk-model", task="t", labels=["0", "1"], features={}, training_data={}, metrics={}
    )
    folder = save_artefact(
        tmp_path / "m", manifest, arrays={}, parts={}, card="#", texts={"model.txt": "tree\n"}
    )
    assert load_artefact(folder, kind="risk-model").texts == {"model.txt": "tree\n"}
    (folder / "model.txt").write_text("tampered\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"model\.txt"):
        load_artefact(folder, kind="risk-model")
