"""Reading transfers: only the transfer columns, bad rows named by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.score.ml.transfers.data import read_transfers

HEADER = "tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\n"


def test_the_label_columns_are_never_read(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "1,a,b,TRANSFER,10.5,2017-01-02T00:00:00Z,True,7\n", encoding="utf-8")
    table = read_transfers(path)
    assert table.column_names == ["tran_id", "orig", "bene", "day", "amount"]
    assert table.to_pylist() == [
        {"tran_id": 1, "orig": "a", "bene": "b", "day": 17168, "amount": 10.5}
    ]


def test_a_file_without_labels_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "tran_id,orig_acct,bene_acct,base_amt,tran_timestamp\n1,a,b,10.5,2017-01-02T00:00:00Z\n",
        encoding="utf-8",
    )
    assert read_transfers(path).num_rows == 1


def test_bad_rows_are_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        HEADER
        + "1,a,,TRANSFER,10,2017-01-02T00:00:00Z,False,-1\n"
        + "2,a,b,TRANSFER,-3,2017-01-02T00:00:00Z,False,-1\n"
        + "2,a,b,TRANSFER,3,2017-01-02T00:00:00Z,False,-1\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as raised:
        read_transfers(path)
    message = str(raised.value)
    assert "empty orig_acct" not in message
    assert "empty bene_acct on line(s) 2" in message
    assert "negative base_amt on line(s) 3" in message
    assert "tran_id is not unique" in message


def test_a_missing_column_or_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("tran_id,orig_acct\n1,a\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        read_transfers(path)
    with pytest.raises(NotFound):
        read_transfers(tmp_path / "missing.csv")
