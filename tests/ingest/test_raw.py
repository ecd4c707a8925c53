"""Raw batches: blank rows, raw records as JSON, header checks."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from smokewatch.errors import InvalidInput
from smokewatch.ingest.raw import (
    RawBatch,
    check_header,
    drop_blank_rows,
    normalise_name,
    record_json,
)


def test_rows_whose_cells_are_all_empty_are_dropped_with_their_numbers() -> None:
    data = pa.RecordBatch.from_pydict({"a": ["x", "", None, ""], "b": ["", "", None, "y"]})
    kept, numbers = drop_blank_rows(data, pa.array([2, 3, 4, 5]))
    assert (kept.to_pylist(), numbers.to_pylist()) == (
        [{"a": "x", "b": ""}, {"a": "", "b": "y"}],
        [2, 5],
    )


def test_a_raw_record_maps_header_to_fields_and_keeps_extra_fields() -> None:
    assert record_json(("甲", "乙"), ["1", "2", "3"]) == '{"甲": "1", "乙": "2", "_extra": ["3"]}'


def test_a_raw_batch_gives_each_row_as_json() -> None:
    batch = RawBatch(pa.RecordBatch.from_pydict({"企业名称": ["甲", None]}), pa.array([2, 3]))
    assert [batch.raw_of(0), batch.raw_of(1)] == ['{"企业名称": "甲"}', '{"企业名称": null}']


def test_names_compare_without_bom_width_or_spaces() -> None:
    assert normalise_name("\ufeff 企业名称（全称）　") == "企业名称(全称)"


def test_a_header_check_names_every_missing_and_repeated_column() -> None:
    with pytest.raises(InvalidInput) as info:
        check_header(Path("x.csv"), ("甲", "甲", "乙"), ["甲", "丙", "丁"])
    assert str(info.value) == (
        "x.csv: columns missing from the header: 丁, 丙; "
        "columns that appear more than once in the header: 甲 (header: 甲, 甲, 乙)"
    )
