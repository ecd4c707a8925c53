"""``smokewatch tx train|score``: the public interface of the transfer-risk model."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run

ROWS = 15_000
"""Scoring the first rows of ews12k is enough to compare outputs (and much faster)."""


def _subset(source: Path, target: Path, *, drop_labels: bool, flip_labels: bool) -> Path:
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for _, row in zip(range(ROWS), reader, strict=False)]
        fields = list(reader.fieldnames or [])
    if drop_labels:
        fields = [f for f in fields if f not in {"is_sar", "alert_id"}]
    with gzip.open(target, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            if flip_labels:
                row["is_sar"] = "False" if row["is_sar"] == "True" else "True"
                row["alert_id"] = "42"
            writer.writerow(row)
    return target


@pytest.mark.slow
def test_scoring_never_reads_the_label_columns(
    sw: Run, ews12k_transfer_model: Path, shared_data: Path, tmp_path: Path
) -> None:
    source = shared_data / "amlsim/ews12k/transactions.csv.gz"
    outputs = []
    for name, drop, flip in [("same", False, False), ("none", True, False), ("flip", False, True)]:
        data = _subset(source, tmp_path / f"{name}.csv.gz", drop_labels=drop, flip_labels=flip)
        out = tmp_path / f"{name}.out.csv"
        result = sw("tx", "score", "--model", str(ews12k_transfer_model),
                    "--transactions", str(data), "--out", str(out))  # fmt: skip
        assert result.code == 0, result.err
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] == outputs[2]
    rows = list(csv.DictReader(outputs[0].splitlines()))
    assert list(rows[0]) == ["tran_id", "score", "flag", "typology"]
    assert len(rows) == ROWS
    flagged = [r for r in rows if r["flag"] == "1"]
    assert flagged
    assert all(r["typology"] for r in flagged)
    assert not any(r["typology"] for r in rows if r["flag"] == "0")


@pytest.mark.slow
def test_reasons_and_account_scores_on_request(
    sw: Run, ews12k_transfer_model: Path, shared_data: Path, tmp_path: Path
) -> None:
    data = _subset(shared_data / "amlsim/ews12k/transactions.csv.gz", tmp_path / "t.csv.gz",
                   drop_labels=True, flip_labels=False)  # fmt: skip
    result = sw("tx", "score", "--model", str(ews12k_transfer_model), "--transactions", str(data),
                "--accounts", str(shared_data / "amlsim/ews12k/accounts.csv.gz"),
                "--out", str(tmp_path / "o.csv"), "--reasons", str(tmp_path / "r.csv"),
                "--accounts-out", str(tmp_path / "a.csv"), "--lang", "en")  # fmt: skip
    assert result.code == 0, result.err
    reasons = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert reasons
    assert all(r["reasons"].count("(") == 3 for r in reasons)
    accounts = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert list(accounts[0]) == ["acct", "score", "flag", "transfers", "flagged", "typology"]
    assert accounts[0]["flag"] == "1"


def test_a_missing_model_folder_is_one_line_on_stderr(sw: Run, tmp_path: Path) -> None:
    missing, data, out = tmp_path / "nope", tmp_path / "t.csv", tmp_path / "o.csv"
    result = sw("tx", "score", "--model", str(missing), "--transactions", str(data),
                "--out", str(out))  # fmt: skip
    assert result.code == 1
    assert result.err.startswith("error: no such model folder")


@pytest.mark.slow
def test_cut_training_and_the_threshold_rule_are_recorded(
    sw: Run, shared_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "model"
    result = sw("tx", "train", "--data", str(shared_data / "amlsim/ews12k"), "--out", str(out),
                "--cuts", "1", "--threshold-rule", "low:0.01", "--json")  # fmt: skip
    assert result.code == 0, result.err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["extra"]["training"]["cuts"] == 1
    assert manifest["extra"]["training"]["threshold_rule"] == "low:0.01"
    assert "cut right after it" in manifest["metrics"]["protocol"]
    assert "rule low:0.01" in (out / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_an_unknown_threshold_rule_is_one_line_on_stderr(
    sw: Run, shared_data: Path, tmp_path: Path
) -> None:
    result = sw("tx", "train", "--data", str(shared_data / "amlsim/ews12k"),
                "--out", str(tmp_path / "m"), "--threshold-rule", "median")  # fmt: skip
    assert result.code == 1
    assert "unknown threshold rule" in result.err
