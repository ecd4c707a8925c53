"""Optional model inputs: any encoding, CRLF, and every bad row rejected with its reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput
from smokewatch.score.ml.checked_csv import ColumnType, read_checked_csv

COLUMNS = {"id": ColumnType.TEXT, "capital": ColumnType.NUMBER, "since": ColumnType.DATE}


def _file(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "base.csv"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def test_good_rows_convert_and_bad_rows_are_rejected_with_row_column_and_reason(
    tmp_path: Path,
) -> None:
    path = _file(
        tmp_path,
        "id,capital,since,ignored\n"
        "a,100.0,2009-06-25 00:00:00,x\n"
        "b,十万,2010-01-01,x\n"
        ",5,2010-01-01,x\n"
        "a,7,2011-02-03,x\n"
        "c,1e3,20190122150214.0,x\n"
        "d,,2019-02-30,x\n"
        "e,3,2012/3/4,x\n"
        "f,4,,x,too,many\n"
        "g,NaN,,x\n",
    )
    checked = read_checked_csv(path, COLUMNS)
    table = checked.table.to_pydict()
    assert table == {
        "id": ["a", "c", "e", "g"],
        "capital": [100.0, 1000.0, 3.0, None],
        "since": [date(2009, 6, 25), date(2019, 1, 22), date(2012, 3, 4), None],
    }
    assert [(r.row, r.column, r.reason) for r in checked.rejects] == [
        (3, "capital", "capital: '十万' is not a number"),
        (4, "id", "id is empty"),
        (5, "id", "id a already given on row 2"),
        (7, "since", "since: '2019-02-30' is not a date"),
        (9, None, "row has 6 fields, the header has 4"),
    ]
    assert '"capital": "十万"' in checked.rejects[0].raw
    assert checked.rows_read == 9


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_files_are_read_as_gb18030(tmp_path: Path, encoding: str) -> None:
    path = _file(tmp_path, "id,capital,since\n投资甲,1,2001-01-01\n", encoding)
    checked = read_checked_csv(path, COLUMNS)
    assert checked.encoding == "gb18030"
    assert checked.table.column("id").to_pylist() == ["投资甲"]


def test_a_missing_column_or_a_file_of_only_bad_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="columns missing from the header: since"):
        read_checked_csv(_file(tmp_path, "id,capital\na,1\n"), COLUMNS)
    with pytest.raises(InvalidInput, match="every row was rejected"):
        read_checked_csv(_file(tmp_path, "id,capital,since\na,x,2001-01-01\n"), COLUMNS)
