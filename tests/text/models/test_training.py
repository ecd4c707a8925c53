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
