"""The model service: clear refusals, CSV in and out, and describing a model folder."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from smokewatch.errors import ConfigError, InvalidInput, NotFound
from smokewatch.services import models
from tests.score.ml.builders import ccf_folder, wdzj_folder


@pytest.fixture(scope="module")
def enterprise_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("enterprise")
    data = ccf_folder(root)
    models.train_enterprise_risk(data, root / "model")
    return data, root / "model"


def test_predictions_are_written_with_exactly_the_promised_columns(
    enterprise_model: tuple[Path, Path], tmp_path: Path
) -> None:
    data, model = enterprise_model
    ids = tmp_path / "ids.csv"
    ids.write_text("id\nent00250\nent00001\n", encoding="utf-8")
    report = models.predict(model, data, tmp_path / "pred.csv", ids_path=ids, lang="en")
    with (tmp_path / "pred.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "score", "flag", "reasons"]
    assert [r[0] for r in rows[1:]] == ["ent00250", "ent00001"]
    assert all(r[2] in {"0", "1"} and 0 <= float(r[1]) <= 1 for r in rows[1:])
    assert report.rows == 2


def test_options_of_the_other_model_are_refused(
    enterprise_model: tuple[Path, Path], tmp_path: Path
) -> None:
    data, model = enterprise_model
    with pytest.raises(InvalidInput, match="--as-of applies to platform-risk"):
        models.predict(model, data, tmp_path / "p.csv", as_of=date(2017, 6, 30))


def test_an_enterprise_model_cannot_score_a_platform_folder(
    enterprise_model: tuple[Path, Path], tmp_path: Path
) -> None:
    _, model = enterprise_model
    with pytest.raises(NotFound, match="does not look like the ccf2020"):
        models.predict(model, wdzj_folder(tmp_path), tmp_path / "p.csv")


def test_an_ids_file_needs_an_id_header(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("enterprise\nx\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="header with a column 'id'"):
        models.read_ids(path)


def test_training_never_replaces_a_folder_that_is_not_a_model(tmp_path: Path) -> None:
    keep = tmp_path / "documents"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a model folder"):
        models.train_platform_risk(tmp_path, keep, as_of=date(2017, 6, 30))
    assert (keep / "notes.txt").exists()


def test_a_folder_without_a_manifest_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a model artefact"):
        models.describe(tmp_path)


def test_describe_shows_features_with_their_descriptions_and_verification(
    enterprise_model: tuple[Path, Path],
) -> None:
    _, model = enterprise_model
    described = models.describe(model)
    assert described.verified
    assert described.task == "enterprise-risk"
    first = described.features[0]
    assert first["name"] == "industry_section"
    assert "GB/T 4754" in first["description"]
