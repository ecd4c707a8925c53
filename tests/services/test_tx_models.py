"""Transfer scores per account and the CSV files of ``tx score``."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from smokewatch.services.tx_models import account_scores, write_scores

SCORED = pa.table(
    {
        "tran_id": pa.array([1, 2, 3], pa.int64()),
        "orig": ["a", "a", "c"],
        "bene": ["b", "c", "d"],
        "score": [0.9, 0.2, 0.7],
        "flag": pa.array([1, 0, 1], pa.int64()),
        "typology": ["fan_out", None, "cycle"],
        "reasons_zh": [None, None, None],
        "reasons_en": [None, None, None],
    }
)


def test_an_account_scores_as_its_riskiest_transfer_on_either_side() -> None:
    rows = {r["acct"]: r for r in account_scores(SCORED).to_pylist()}
    assert rows["a"] == {"acct": "a", "score": 0.9, "flag": 1, "transfers": 2, "flagged": 1,
                         "typology": "fan_out"}  # fmt: skip
    assert rows["c"]["score"] == 0.7
    assert (rows["c"]["transfers"], rows["c"]["flagged"], rows["c"]["typology"]) == (2, 1, "cycle")
    assert [r["acct"] for r in account_scores(SCORED).to_pylist()][:2] == ["a", "b"]


def test_scores_are_written_with_the_public_columns(tmp_path: Path) -> None:
    path = write_scores(SCORED, tmp_path / "out.csv")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["tran_id", "score", "flag", "typology"]
    assert rows[1] == ["1", "0.9", "1", "fan_out"]
    assert rows[2] == ["2", "0.2", "0", ""]
