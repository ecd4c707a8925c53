from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from smokewatch.demo.files import CsvWriter, normalise_encoding, write_xlsx
from smokewatch.errors import InvalidInput
from tests.demo.conftest import read_licences

TABLE = pa.table({"名称": ["芜湖鑫源有限公司", "镜湖区便利店"], "人数": ["3", None]})


def _csv(encoding: str, chunks: int = 2) -> bytes:
    stream = io.BytesIO()
    writer = CsvWriter(stream, encoding)
    for _ in range(chunks):
        writer.write(TABLE)
    return stream.getvalue()


def test_the_header_is_written_once() -> None:
    assert _csv("utf-8").decode("utf-8").count("名称") == 1


def test_empty_values_are_empty_cells() -> None:
    assert _csv("utf-8", 1).decode("utf-8").splitlines()[2] == '"镜湖区便利店",'


def test_gb18030_output_decodes_as_gb18030() -> None:
    assert _csv("GB18030").decode("gb18030") == _csv("utf-8").decode("utf-8")


def test_utf8_sig_writes_one_byte_order_mark() -> None:
    data = _csv("utf-8-sig", 3)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1


def test_bytes_written_are_counted() -> None:
    stream = io.BytesIO()
    writer = CsvWriter(stream, "gb18030")
    writer.write(TABLE)
    assert writer.bytes_written == len(stream.getvalue())


def test_unknown_encodings_are_refused() -> None:
    with pytest.raises(InvalidInput, match="encoding"):
        normalise_encoding("klingon-8")


def test_xlsx_bytes_depend_only_on_content(tmp_path: Path) -> None:
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    write_xlsx(TABLE, one, sheet="表", created=date(2026, 11, 1))
    write_xlsx(TABLE, two, sheet="表", created=date(2026, 11, 1))
    assert one.read_bytes() == two.read_bytes()


def test_xlsx_entries_carry_the_given_date(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_xlsx(TABLE, path, sheet="表", created=date(2026, 11, 1))
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 1, 0, 0, 0)}


def test_xlsx_reads_back_as_text_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_xlsx(TABLE, path, sheet="表", created=date(2026, 11, 1))
    assert read_licences(path) == [
        {"名称": "芜湖鑫源有限公司", "人数": "3"},
        {"名称": "镜湖区便利店", "人数": None},
    ]
