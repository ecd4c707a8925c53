"""CSV files: encodings, exact row numbers, malformed rows as rejects, header checks."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smokewatch.errors import InvalidInput
from smokewatch.ingest.raw import RawBatch
from smokewatch.ingest.readers import ReadOptions, SourceFile, open_source_file
from tests.ingest.builders import REGISTRY_HEADER, registry_row, write_csv

COLUMNS = ["统一社会信用代码", "企业名称"]


def _open(path: Path, **options: object) -> SourceFile:
    return open_source_file(path, ReadOptions(**options), columns=COLUMNS)  # type: ignore[arg-type]


def _rows(source: SourceFile) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for batch in source.batches():
        names = batch.data.column(1).to_pylist()
        out.extend(zip(batch.row_numbers.to_pylist(), names, strict=True))
    return out


def _rejects(source: SourceFile) -> list[tuple[int, str]]:
    return [(r.row_number, r.reason) for b in source.batches() for r in b.rejects]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_encodings_are_detected_and_read_alike(
    tmp_path: Path, encoding: str, detected: str
) -> None:
    rows = [registry_row(1, 企业名称="芜湖镕鑫财富管理有限公司"), registry_row(2)]
    source = _open(write_csv(tmp_path / "e.csv", rows, encoding=encoding))
    assert source.encoding == detected
    assert source.header == REGISTRY_HEADER
    assert _rows(source) == [(2, "芜湖镕鑫财富管理有限公司"), (3, "芜湖市第2号财富管理有限公司")]


def test_characters_beyond_gbk_are_read_from_gb18030(tmp_path: Path) -> None:
    rows = [registry_row(1, 企业名称="芜湖䶮𠀀商贸有限公司")]
    source = _open(write_csv(tmp_path / "e.csv", rows, encoding="gb18030"))
    assert _rows(source) == [(2, "芜湖䶮𠀀商贸有限公司")]


def test_an_explicit_encoding_is_used(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [registry_row(1)], encoding="gbk")
    source = _open(path, encoding="gbk")
    assert source.encoding == "gbk"
    assert _rows(source) == [(2, "芜湖市第1号财富管理有限公司")]


def test_a_file_with_only_a_header_has_no_rows(tmp_path: Path) -> None:
    assert _rows(_open(write_csv(tmp_path / "e.csv", []))) == []


def test_a_file_in_neither_utf8_nor_gb18030_asks_for_an_encoding(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes("统一社会信用代码,企业名称\r\n".encode() + b"\xff\xfe\xff,x\r\n")
    with pytest.raises(InvalidInput, match=r"decodes neither as UTF-8 .* set encoding"):
        _open(path)


def test_a_file_that_is_not_its_declared_encoding_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [registry_row(1)], encoding="gbk")
    with pytest.raises(InvalidInput, match="is not valid utf-8 text"):
        _open(path, encoding="utf-8")


def test_a_quoted_value_over_several_lines_is_one_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "e.csv", [["A1", '"第一行\r\n第二行"'], ["A2", "乙公司"]], header=COLUMNS
    )
    assert _rows(_open(path)) == [(2, "第一行\r\n第二行"), (3, "乙公司")]


def test_rows_with_the_wrong_number_of_fields_become_rejects(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "e.csv",
        [["A1", "甲"], ["A2", "乙", "多余"], ["A3"], ["A4", "丁"]],
        header=COLUMNS,
    )
    source = _open(path)
    assert _rows(source) == [(2, "甲"), (5, "丁")]
    assert _rejects(source) == [
        (3, "row has 3 fields, the header has 2"),
        (4, "row has 1 fields, the header has 2"),
    ]


def test_a_rejected_row_keeps_its_fields_as_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [["A2", "乙", "多余"]], header=COLUMNS)
    [reject] = [r for b in _open(path).batches() for r in b.rejects]
    assert reject.raw == '{"统一社会信用代码": "A2", "企业名称": "乙", "_extra": ["多余"]}'


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(
        "芜湖市企业名录（导出）\r\n导出日期,2025-03-01\r\n统一社会信用代码,企业名称\r\nA1,甲\r\n"
    )
    source = _open(path, header_row=3)
    assert _rows(source) == [(4, "甲")]


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("统一社会信用代码,企业名称\n\nA1,甲\n,\n\nA2,乙\n")
    assert _rows(_open(path)) == [(3, "甲"), (6, "乙")]


def test_another_delimiter_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("统一社会信用代码;企业名称\nA1;甲,乙\n")
    assert _rows(_open(path, delimiter=";")) == [(2, "甲,乙")]


def test_header_names_compare_width_folded_and_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(" 统一社会信用代码　,企业名称\nA1,甲\n")
    assert _open(path).header == ("统一社会信用代码", "企业名称")


def test_missing_and_repeated_mapped_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("企业名称,企业名称,住所\n甲,甲,芜湖\n")
    with pytest.raises(InvalidInput) as info:
        _open(path)
    message = str(info.value)
    assert "columns missing from the header: 统一社会信用代码" in message
    assert "columns that appear more than once in the header: 企业名称" in message


def test_repeated_columns_that_are_not_mapped_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("统一社会信用代码,企业名称,备注,备注\nA1,甲,,\n")
    assert _rows(_open(path)) == [(2, "甲")]


def test_batches_hold_at_most_batch_size_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [registry_row(i) for i in range(7)])
    sizes = [b.data.num_rows for b in _open(path, batch_size=3).batches()]
    assert sizes == [3, 3, 1]


def test_all_cells_are_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [registry_row(1)])
    [batch] = list(_open(path).batches())
    assert set(batch.data.schema.types) == {pa.string()}


# A row spec: (kind, number of fields) — good rows carry their own row number in field 1.
ROW = st.sampled_from(["good", "multiline", "short", "long", "blank"])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(kinds=st.lists(ROW, max_size=30), header_row=st.integers(1, 3), size=st.integers(1, 5))
def test_every_row_keeps_the_number_a_person_would_count(
    tmp_path: Path, kinds: list[str], header_row: int, size: int
) -> None:
    lines = [f"标题{i}" for i in range(header_row - 1)] + ["编号,统一社会信用代码,企业名称"]
    good: list[tuple[int, str]] = []
    bad: list[int] = []
    for kind in kinds:
        number = len(lines) + 1
        if kind == "good":
            lines.append(f"{number},X,公司{number}")
            good.append((number, f"公司{number}"))
        elif kind == "multiline":
            lines.append(f'{number},X,"公司\n{number}"')
            good.append((number, f"公司\n{number}"))
        elif kind == "short":
            lines.append(f"{number},X")
            bad.append(number)
        elif kind == "long":
            lines.append(f"{number},X,公司,多余")
            bad.append(number)
        else:
            lines.append("")
    path = tmp_path / f"p{header_row}_{size}_{len(kinds)}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = _open(path, header_row=header_row, batch_size=size)
    batches: list[RawBatch] = list(source.batches())
    seen = [
        (n, name)
        for b in batches
        for n, name in zip(b.row_numbers.to_pylist(), b.data.column(2).to_pylist(), strict=True)
    ]
    assert seen == good
    assert [r.row_number for b in batches for r in b.rejects] == bad


def test_row_numbers_stay_exact_across_arrow_blocks(tmp_path: Path) -> None:
    lines = ["编号,统一社会信用代码,企业名称"]
    bad: list[int] = []
    for number in range(2, 40_002):
        if number % 997 == 0:
            lines.append(f"{number},X")
            bad.append(number)
        elif number % 13 == 0:
            lines.append(f'{number},X,"芜湖市某某财富管理\n有限公司{number}"')
        else:
            lines.append(f"{number},X,芜湖市某某财富管理有限公司{number:08d}")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 2 << 20  # several of Arrow's 1 MB blocks
    batches = list(_open(path, batch_size=5_000).batches())
    numbers = [n for b in batches for n in b.row_numbers.to_pylist()]
    first_fields = [int(v) for b in batches for v in b.data.column(0).to_pylist()]
    assert numbers == first_fields
    assert [r.row_number for b in batches for r in b.rejects] == bad
