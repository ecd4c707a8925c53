from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from smokewatch.demo import write_registry_file
from smokewatch.demo.records import REGISTRY_HEADERS
from smokewatch.errors import InvalidInput
from smokewatch.ingest.spec import load_source_spec
from smokewatch.model.types import ValueTypeError, clean_uscc
from tests.demo.conftest import read_registry
from tests.demo.oracle import name_words, scope_activities


def test_the_file_has_the_requested_rows_across_chunks(tmp_path: Path) -> None:
    result = write_registry_file(tmp_path / "r.csv", rows=2_500, seed=1, chunk_rows=1_000)
    rows = read_registry(result.path, "utf-8")
    assert len(rows) == result.rows == 2_500
    assert tuple(rows[0]) == REGISTRY_HEADERS


def test_uscc_values_are_unique_across_chunks(tmp_path: Path) -> None:
    result = write_registry_file(tmp_path / "r.csv", rows=3_000, seed=1, chunk_rows=700)
    codes = [r["统一社会信用代码"] for r in read_registry(result.path, "utf-8")]
    assert len(set(codes)) == 3_000
    assert [clean_uscc(c) for c in codes] == codes


def test_the_same_arguments_write_the_same_bytes(tmp_path: Path) -> None:
    one = write_registry_file(tmp_path / "one.csv", rows=1_500, seed=4, chunk_rows=500)
    two = write_registry_file(tmp_path / "two.csv", rows=1_500, seed=4, chunk_rows=500)
    assert one.path.read_bytes() == two.path.read_bytes()


def test_a_few_percent_of_rows_give_the_detectors_work(tmp_path: Path) -> None:
    result = write_registry_file(tmp_path / "r.csv", rows=20_000, seed=2)
    rows = read_registry(result.path, "utf-8")
    flagged = sum(bool(name_words(r["企业名称"]) or scope_activities(r["经营范围"])) for r in rows)
    assert 0.03 * len(rows) <= flagged <= 0.05 * len(rows)


def test_gb18030_files_decode_as_gb18030(tmp_path: Path) -> None:
    result = write_registry_file(tmp_path / "r.csv", rows=300, seed=1, encoding="GB18030")
    assert result.encoding == "gb18030"
    assert len(read_registry(result.path, "gb18030")) == 300


def test_parquet_files_hold_text_columns(tmp_path: Path) -> None:
    result = write_registry_file(
        tmp_path / "r.parquet", rows=1_200, seed=1, fmt="parquet", chunk_rows=500
    )
    table = pq.read_table(result.path)
    assert table.num_rows == 1_200
    assert tuple(table.column_names) == REGISTRY_HEADERS


def test_bad_rows_are_written_at_the_requested_rate(tmp_path: Path) -> None:
    result = write_registry_file(
        tmp_path / "r.csv", rows=4_000, seed=1, chunk_rows=2_000, bad_row_rate=0.004
    )
    assert sum(result.bad_rows.values()) == 16
    invalid = 0
    for row in read_registry(result.path, "utf-8"):
        try:
            clean_uscc(row["统一社会信用代码"])
        except ValueTypeError:
            invalid += 1
    assert invalid == result.bad_rows["bad_check_char"]


def test_an_empty_file_still_has_its_header(tmp_path: Path) -> None:
    result = write_registry_file(tmp_path / "r.csv", rows=0, seed=1)
    assert result.path.read_text(encoding="utf-8").startswith('"统一社会信用代码"')


def test_unknown_formats_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="xlsx"):
        write_registry_file(tmp_path / "r.xlsx", rows=10, seed=1, fmt="xlsx")


def test_the_matching_source_yml_points_at_the_file(tmp_path: Path) -> None:
    result = write_registry_file(tmp_path / "r.csv", rows=10, seed=1, encoding="gb18030")
    spec = yaml.safe_load(result.source_yaml())
    assert Path(spec["location"]) == result.path.resolve()
    assert spec["encoding"] == "gb18030"


@pytest.mark.parametrize(("fmt", "name"), [("csv", "r.csv"), ("parquet", "r.parquet")])
def test_the_matching_source_yml_passes_the_ingest_spec_loader(
    tmp_path: Path, fmt: str, name: str
) -> None:
    result = write_registry_file(tmp_path / name, rows=10, seed=1, fmt=fmt)
    source = tmp_path / "sources" / "bench" / "source.yml"
    source.parent.mkdir(parents=True)
    source.write_text(result.source_yaml("bench"), encoding="utf-8")
    spec = load_source_spec(source)
    assert spec.id == "bench"
    assert spec.table == "enterprise"
