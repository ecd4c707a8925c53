"""Training text models: what a training file must hold, refused with the reason if not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput
from smokewatch.text.models import train_news_events, train_sms_fraud
from smokewatch.text.models.training import MIN_TRAINING_TEXTS
from tests.text.models.conftest import finese_rows, sms_rows, write_sms_csv


def test_a_training_file_too_small_or_of_one_class_is_refused_with_the_reason(
    tmp_path: Path,
) -> None:
    few = write_sms_csv(tmp_path / "few.csv", sms_rows(n=12))
    with pytest.raises(InvalidInput, match=f"too few texts to train on: .* {MIN_TRAINING_TEXTS}"):
        train_sms_fraud(few, tmp_path / "few")
    normal_only = [row for row in sms_rows(n=90) if row[1] == "正常短信"]
    one_class = write_sms_csv(tmp_path / "one.csv", normal_only)
    with pytest.raises(InvalidInput, match="one class only"):
        train_sms_fraud(one_class, tmp_path / "one")
    news = tmp_path / "few.json"
    news.write_text(json.dumps(finese_rows(n=12), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidInput, match="too few texts to train on"):
        train_news_events(news, tmp_path / "news")
    assert not (tmp_path / "few").exists() and not (tmp_path / "news").exists()


def _manifest(folder: Path) -> dict[str, object]:
    found: dict[str, object] = json.loads((folder / "manifest.json").read_text("utf-8"))
    return found


def _validation(metrics: object) -> dict[str, object]:
    assert isinstance(metrics, dict)
    return {
        k: v for k, v in metrics.items() if k not in {"training_seconds", "split", "calibration"}
    }


def test_after_validation_the_sms_model_is_refitted_on_every_row_and_its_card_says_so(
    tmp_path: Path,
) -> None:
    rows = sms_rows()
    data = write_sms_csv(tmp_path / "sms.csv", rows)
    refitted = train_sms_fraud(data, tmp_path / "refit", seed=4)
    validated = train_sms_fraud(data, tmp_path / "kept", seed=4, refit=False)
    split = refitted.metrics["split"]
    assert split["refit_rows"] == len(rows) == split["train_rows"] + split["validation_rows"]
    assert validated.metrics["split"]["refit_rows"] is None
    # the same validated fit gives the figures; the artefact is another fit
    refit_figures, kept_figures = (_manifest(r.folder)["metrics"] for r in (refitted, validated))
    assert _validation(refit_figures) == _validation(kept_figures)
    # the temperature is chosen again inside every row; P(fraud) on validation is the first fit's
    assert refit_figures["calibration"]["validation"] == kept_figures["calibration"]["validation"]
    assert (refitted.folder / "arrays.npz").read_bytes() != (
        validated.folder / "arrays.npz"
    ).read_bytes()
    card = (refitted.folder / "MODEL_CARD.md").read_text("utf-8")
    assert f"refitted afterwards on all {len(rows)} rows" in card
    assert "refitted" not in (validated.folder / "MODEL_CARD.md").read_text("utf-8")


def test_after_validation_the_news_model_is_refitted_on_every_row(tmp_path: Path) -> None:
    rows = finese_rows()
    data = tmp_path / "finese.json"
    data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    refitted = train_news_events(data, tmp_path / "refit", seed=6)
    validated = train_news_events(data, tmp_path / "kept", seed=6, refit=False)
    assert refitted.metrics["split"]["refit_rows"] == len(rows)
    for part in ("per_text", "per_row", "subject"):
        assert refitted.metrics[part] == validated.metrics[part]
    arrays = [(r.folder / "arrays.npz").read_bytes() for r in (refitted, validated)]
    assert arrays[0] != arrays[1]  # another fit
    gazetteer = [(r.folder / "gazetteer.json").read_text("utf-8") for r in (refitted, validated)]
    assert len(json.loads(gazetteer[0])) >= len(json.loads(gazetteer[1]))
