"""A small trained SMS model shared by the text service tests (trained once per session)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from smokewatch.text.models import train_sms_fraud
from tests.text.models.conftest import sms_rows


@pytest.fixture(scope="session")
def sms_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained ``sms-fraud`` model folder (small synthetic training set)."""
    folder = tmp_path_factory.mktemp("sms-model")
    data = folder / "sms.csv"
    with data.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["content", "label_id", "label_name", "original_label"])
        for text, label in sms_rows():
            writer.writerow([text, 0, label, label])
    return train_sms_fraud(data, folder / "model", seed=3).folder
