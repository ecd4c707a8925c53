"""``evaluate_text_model``: a trained text model scored on a labelled file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smokewatch.errors import ConfigError, InvalidInput
from smokewatch.services.text_eval import ALL_ROWS, evaluate_text_model
from smokewatch.text.models import TrainReport, load_text_model, train_sms_fraud
from tests.text.models.conftest import finese_rows, sms_rows, write_sms_csv


def _card(model: Path) -> dict[str, object]:
    metrics: dict[str, object] = json.loads((model / "manifest.json").read_text("utf-8"))["metrics"]
    return metrics


def test_on_its_training_file_a_news_model_scores_the_validation_split_as_its_card(
    news_model: TrainReport,
) -> None:
    data = news_model.folder.parent / "finese_train_list.json"
    found = evaluate_text_model(news_model.folder, data)
    card = _card(news_model.folder)
    assert found.scope.startswith("the validation split of the model's training file (seed 5")
    assert found.rows == card["split"]["validation_rows"]  # type: ignore[index]
    for part in ("per_text", "per_row", "subject_given", "subject"):
        assert found.metrics[part] == card[part]
    headline = dict(found.headline())
    assert headline["subject exact match"] == card["subject"]["exact_match"]  # type: ignore[index]
    assert found.notes == ()


def test_on_its_training_file_an_sms_model_scores_the_validation_split_as_its_card(
    sms_model: Path,
) -> None:
    found = evaluate_text_model(sms_model, sms_model.parent / "sms.csv")
    card = _card(sms_model)
    assert found.rows == card["split"]["validation_rows"]  # type: ignore[index]
    for key in ("accuracy", "per_class", "loan_fraud", "fraud_vs_normal", "confusions"):
        assert found.metrics[key] == card[key]
    calibration = card["calibration"]["validation"]["after"]  # type: ignore[index]
    assert found.metrics["fraud_probability"] == calibration


def test_every_row_of_the_training_file_is_scored_on_request_and_called_optimistic(
    sms_model: Path,
) -> None:
    found = evaluate_text_model(sms_model, sms_model.parent / "sms.csv", all_rows=True)
    assert (found.rows, found.scope) == (len(sms_rows()), ALL_ROWS)
    assert "the figures are optimistic" in found.notes[0]


def test_a_refitted_model_refuses_its_own_training_file_unless_every_row_is_asked_for(
    tmp_path: Path,
) -> None:
    data = write_sms_csv(tmp_path / "sms.csv")
    model = train_sms_fraud(data, tmp_path / "model", seed=3).folder  # refitted (the default)
    with pytest.raises(InvalidInput, match="refitted on every row of it after validation"):
        evaluate_text_model(model, data)
    everything = evaluate_text_model(model, data, all_rows=True)
    assert (everything.rows, everything.scope) == (len(sms_rows()), ALL_ROWS)
    assert "the figures are optimistic" in everything.notes[0]
    other = evaluate_text_model(model, write_sms_csv(tmp_path / "ours.csv", sms_rows(n=30, seed=5)))
    assert (other.rows, other.scope) == (30, ALL_ROWS)


def test_another_file_is_scored_whole_one_prediction_per_row(
    sms_model: Path, tmp_path: Path
) -> None:
    rows = sms_rows(n=45, seed=99)
    found = evaluate_text_model(sms_model, write_sms_csv(tmp_path / "ours.csv", rows))
    predicted = [p.category for p in load_text_model(sms_model).predict([t for t, _ in rows])]
    right = sum(p == label for p, (_, label) in zip(predicted, rows, strict=True))
    assert (found.rows, found.scope, found.notes) == (45, ALL_ROWS, ())
    assert found.metrics["accuracy"] == round(right / 45, 4)
    assert sum(c["support"] for c in found.metrics["per_class"].values()) == 45


def test_a_gb18030_file_gives_the_figures_of_its_utf8_copy(sms_model: Path, tmp_path: Path) -> None:
    rows = sms_rows(n=30, seed=5)
    utf8 = evaluate_text_model(sms_model, write_sms_csv(tmp_path / "u.csv", rows))
    gbk = evaluate_text_model(sms_model, write_sms_csv(tmp_path / "g.csv", rows, "gb18030"))
    assert (utf8.encoding, gbk.encoding) == ("utf-8", "gb18030")
    assert gbk.metrics == utf8.metrics


def test_labels_the_model_does_not_know_are_named_and_count_as_errors(
    news_model: TrainReport, tmp_path: Path
) -> None:
    rows = finese_rows(n=8, seed=3)
    rows[0][2] = "涉嫌洗钱"
    data = tmp_path / "ours.json"
    data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    found = evaluate_text_model(news_model.folder, data)
    assert found.notes == (
        "labels the model does not know, always counted as errors: 涉嫌洗钱 (1 rows)",
    )
    assert found.metrics["per_text"]["accuracy"] <= 7 / 8


def test_a_file_in_another_format_or_missing_is_refused_by_name(
    news_model: TrainReport, sms_model: Path, tmp_path: Path
) -> None:
    csv_file = write_sms_csv(tmp_path / "sms.csv", sms_rows(n=6))
    with pytest.raises(InvalidInput, match=r"sms\.csv: not a FinESE list"):
        evaluate_text_model(news_model.folder, csv_file)
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(finese_rows(n=4)), encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"list\.json: not a content,label_name CSV"):
        evaluate_text_model(sms_model, listed)
    with pytest.raises(InvalidInput, match="no such labelled file"):
        evaluate_text_model(sms_model, tmp_path / "nope.csv")
    with pytest.raises(ConfigError, match="not a text model"):
        evaluate_text_model(tmp_path, csv_file)
