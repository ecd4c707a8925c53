"""XLSX, Parquet and JSON-lines files, format detection, and re-reading rows for rejects."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.ingest.readers import (
    ReadOptions,
    SourceFile,
    cell_text,
    detect_format,
    open_source_file,
    raw_rows,
)
from tests.ingest.builders import (
    registry_row,
    uscc,
    write_csv,
    write_jsonl,
    write_parquet,
    write_xlsx,
)

COLUMNS = ["统一社会信用代码", "企业名称"]


def _open(path: Path, columns: list[str] = COLUMNS, **options: object) -> SourceFile:
    return open_source_file(path, ReadOptions(**options), columns=columns)  # type: ignore[arg-type]


def _table(source: SourceFile) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for batch in source.batches():
        for number, row in zip(batch.row_numbers.to_pylist(), batch.data.to_pylist(), strict=True):
            out.append({"row": number, **row})
    return out


# -- XLSX ------------------------------------------------------------------------------------


def test_xlsx_rows_are_numbered_like_the_spreadsheet(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [*COLUMNS, "注册资本", "成立日期"],
            [uscc(1), "甲公司", 1000, datetime(2019, 5, 6)],
            [None, None, None, None],
            [uscc(2), "乙公司", 12.5, date(2020, 1, 2)],
        ],
    )
    assert _table(_open(path)) == [
        {
            "row": 2,
            "统一社会信用代码": uscc(1),
            "企业名称": "甲公司",
            "注册资本": "1000",
            "成立日期": "2019-05-06",
        },
        {
            "row": 4,
            "统一社会信用代码": uscc(2),
            "企业名称": "乙公司",
            "注册资本": "12.5",
            "成立日期": "2020-01-02",
        },
    ]


def test_xlsx_reads_the_named_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [COLUMNS, [uscc(1), "甲公司"]], sheet="牌照")
    assert [r["企业名称"] for r in _table(_open(path, sheet="牌照"))] == ["甲公司"]


def test_a_missing_sheet_is_named_with_the_sheets_there_are(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [COLUMNS], sheet="牌照")
    with pytest.raises(InvalidInput, match="no sheet '登记'; sheets: 牌照"):
        _open(path, sheet="登记")


def test_an_xlsx_row_with_cells_beyond_the_header_is_rejected(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx", [COLUMNS, [uscc(1), "甲", None, "多余"], [uscc(2), "乙"]]
    )
    source = _open(path)
    assert [r["row"] for r in _table(source)] == [3]
    [reject] = [r for b in source.batches() for r in b.rejects]
    assert (reject.row_number, reject.reason) == (2, "row has 4 fields, the header has 2")


def test_an_xlsx_header_below_title_rows_is_found(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [["金融牌照登记表"], COLUMNS, [uscc(1), "甲公司"]])
    assert _table(_open(path, header_row=2))[0]["row"] == 3


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(InvalidInput, match="not a readable XLSX workbook"):
        _open(path)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ("甲", "甲"),
        (True, "true"),
        (13912345678, "13912345678"),
        (1.0e10, "10000000000"),
        (2.5, "2.5"),
        (datetime(2019, 5, 6, 0, 0), "2019-05-06"),
        (datetime(2019, 5, 6, 9, 30), "2019-05-06 09:30:00"),
        (["甲", "乙"], "甲\x1f乙"),
    ],
)
def test_cells_are_read_as_text(value: object, text: str | None) -> None:
    assert cell_text(value) == text


# -- Parquet ---------------------------------------------------------------------------------


def test_parquet_values_are_read_as_text_numbered_from_one(tmp_path: Path) -> None:
    table = pa.table(
        {
            "统一社会信用代码": [uscc(1), uscc(2)],
            "企业名称": ["甲公司", "乙公司"],
            "成立日期": pa.array([date(2019, 5, 6), None]),
            "从业人数": pa.array([12, 3], pa.int32()),
            "曾用名": pa.array([["旧名一", "旧名二"], None], pa.list_(pa.string())),
        }
    )
    rows = _table(_open(write_parquet(tmp_path / "r.parquet", table)))
    assert rows == [
        {
            "row": 1,
            "统一社会信用代码": uscc(1),
            "企业名称": "甲公司",
            "成立日期": "2019-05-06",
            "从业人数": "12",
            "曾用名": "旧名一\x1f旧名二",
        },
        {
            "row": 2,
            "统一社会信用代码": uscc(2),
            "企业名称": "乙公司",
            "成立日期": None,
            "从业人数": "3",
            "曾用名": None,
        },
    ]


def test_a_parquet_file_without_a_mapped_column_is_refused(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "r.parquet", pa.table({"企业名称": ["甲"]}))
    with pytest.raises(InvalidInput, match="columns missing from the header: 统一社会信用代码"):
        _open(path)


# -- JSON lines ------------------------------------------------------------------------------


def test_json_lines_are_numbered_by_line(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "r.jsonl",
        [{"统一社会信用代码": uscc(1), "企业名称": "甲公司"}, "", {"企业名称": "乙公司", "x": 1}],
    )
    assert _table(_open(path)) == [
        {"row": 1, "统一社会信用代码": uscc(1), "企业名称": "甲公司"},
        {"row": 3, "统一社会信用代码": None, "企业名称": "乙公司"},
    ]


def test_broken_json_lines_become_rejects(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", ['{"企业名称": "甲"', "[1, 2]", {"企业名称": "乙"}])
    source = _open(path)
    rejects = [
        (r.row_number, r.reason.split(":")[0], r.raw) for b in source.batches() for r in b.rejects
    ]
    assert rejects == [
        (1, "not valid JSON", '"{\\"企业名称\\": \\"甲\\""'),
        (2, "not a JSON object but list", '"[1, 2]"'),
    ]
    assert [r["row"] for r in _table(source)] == [3]


def test_a_json_line_is_its_own_raw_record(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", [{"企业名称": "甲", "备注": [1, 2]}])
    [batch] = list(_open(path).batches())
    assert batch.raw_of(0) == '{"企业名称": "甲", "备注": [1, 2]}'


# -- formats and files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", "csv"),
        ("a.TXT", "csv"),
        ("a.xlsx", "xlsx"),
        ("a.parquet", "parquet"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
    ],
)
def test_the_format_follows_the_suffix(name: str, fmt: str) -> None:
    assert detect_format(Path(name), "auto") == fmt


def test_a_declared_format_wins_over_the_suffix() -> None:
    assert detect_format(Path("export.dat"), "csv") == "csv"


def test_old_excel_files_are_refused_with_advice() -> None:
    with pytest.raises(InvalidInput, match=r"save as \.xlsx"):
        detect_format(Path("a.xls"), "auto")


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="source file not found"):
        _open(tmp_path / "missing.csv")


def test_rows_can_be_read_again_as_raw_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [registry_row(i) for i in range(5)])
    raws = raw_rows(_open(path, batch_size=2), [3, 5])
    assert sorted(raws) == [3, 5]
    assert '"企业名称": "芜湖市第1号财富管理有限公司"' in raws[3]
