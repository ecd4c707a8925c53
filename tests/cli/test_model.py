"""``smokewatch model``: train, predict and show from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.score.ml.builders import ccf_folder, wdzj_folder
from tests.score.ml.enterprise.full_builders import write_base_info


def test_train_predict_and_show_a_platform_model(sw: Run, tmp_path: Path) -> None:
    pytest.importorskip("lightgbm", reason="training needs the ml extra (wheel check runs without)")
    data = wdzj_folder(tmp_path)
    model = tmp_path / "model"
    trained = sw("model", "train", "platform-risk", "--data", str(data), "--as-of", "2017-06-30",
                 "--out", str(model))  # fmt: skip
    assert trained.code == 0, trained.err
    assert "out-of-time test" in trained.out
    predicted = sw("model", "predict", "--model", str(model), "--data", str(data),
                   "--out", str(tmp_path / "pred.csv"))  # fmt: skip
    assert predicted.code == 0, predicted.err
    assert "60 scored" in predicted.err
    header = (tmp_path / "pred.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "platName,score,flag,reasons"
    shown = sw("model", "show", str(model), "--json")
    assert shown.code == 0
    assert shown.json()["task"] == "platform-risk"


def test_a_missing_data_folder_is_one_line_on_stderr(sw: Run, tmp_path: Path) -> None:
    result = sw("model", "train", "enterprise-risk", "--data", str(tmp_path / "nope"),
                "--out", str(tmp_path / "m"))  # fmt: skip
    assert result.code == 1
    assert result.err.startswith("error: no such data folder")


def test_showing_a_folder_that_is_not_a_model_fails_clearly(sw: Run, tmp_path: Path) -> None:
    result = sw("model", "show", str(tmp_path))
    assert result.code == 1
    assert "not a model artefact" in result.err


def test_enterprise_commands_say_which_inputs_they_read_and_refuse_a_mismatch(
    sw: Run, tmp_path: Path
) -> None:
    pytest.importorskip("lightgbm", reason="training needs the ml extra (wheel check runs without)")
    data = ccf_folder(tmp_path)
    write_base_info(data, encoding="gb18030")
    model = tmp_path / "model"
    trained = sw("model", "train", "enterprise-risk", "--data", str(data), "--out", str(model))
    assert trained.code == 0, trained.err
    assert trained.out.startswith("inputs: base_info: using train/base_info.csv")
    assert "note: train/base_info.csv row 7 rejected: regcap" in trained.out
    predicted = sw("model", "predict", "--model", str(model), "--data", str(data),
                   "--out", str(tmp_path / "pred.csv"))  # fmt: skip
    assert predicted.code == 0, predicted.err
    assert predicted.out.startswith("inputs: base_info: using train/base_info.csv")
    assert "273 scored" in predicted.err
    shown = sw("model", "show", str(model), "--json")
    assert shown.json()["extra"]["input_variant"] == "base_info"
    (data / "train/base_info.csv").unlink()
    refused = sw("model", "predict", "--model", str(model), "--data", str(data),
                 "--out", str(tmp_path / "again.csv"))  # fmt: skip
    assert refused.code != 0
    assert "trained on the base_info inputs" in refused.err
