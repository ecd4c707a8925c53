"""CSV: encoding detection and Arrow's streaming CSV reader with exact row numbers.

Encodings: ``auto`` checks that the whole file decodes as UTF-8 (with or without a BOM), else
as GB18030 (which covers GBK and GB2312); an explicit encoding is checked the same way, so a
wrong one fails before anything is loaded.

The header (and any title rows above it) is read with the ``csv`` module; Arrow then parses
the data from the byte offset after it, serially, because only then does it report the
record number of each malformed row. Those numbers let every later row keep its exact
number even though Arrow drops the malformed rows from its batches.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from smokewatch.errors import InvalidInput
from smokewatch.ingest.encoding import detect_encoding
from smokewatch.ingest.raw import (
    RawBatch,
    ReadOptions,
    SourceFile,
    check_header,
    drop_blank_rows,
    normalise_name,
    record_json,
)
from smokewatch.ingest.rejects import RowReject

_BOM = codecs.BOM_UTF8
_HEAD = 1 << 20
_BLOCK = 2 << 20
"""Arrow's CSV block: its streaming reader reads about 16 blocks ahead, so blocks stay small
and :class:`_Regroup` joins them into batches of the requested number of rows."""


def open_csv(path: Path, options: ReadOptions, wanted: list[str]) -> SourceFile:
    """Open a CSV file: detect its encoding, read its header, check the mapped columns."""
    encoding = detect_encoding(path, options.encoding)
    header, data_offset = _csv_header(path, encoding, options)
    check_header(path, header, wanted)

    def stream() -> Iterator[RawBatch]:
        return _csv_batches(
            path, encoding=encoding, header=header, offset=data_offset, options=options
        )

    return SourceFile(path, "csv", encoding, header, stream)


def _csv_header(path: Path, encoding: str, options: ReadOptions) -> tuple[tuple[str, ...], int]:
    """Header names and the byte offset of the first data row."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
        complete = not fh.read(1)
    text = codecs.getincrementaldecoder(encoding)().decode(head, final=complete)
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line

    reader = csv.reader(lines(), delimiter=options.delimiter)
    cells: list[str] = []
    try:
        for _ in range(options.header_row):
            cells = next(reader, [])
    except csv.Error as exc:
        raise InvalidInput(f"{path.name}: cannot read the header: {exc}") from exc
    if not cells or (consumed >= len(text) and not complete):
        raise InvalidInput(f"{path.name}: no header in row {options.header_row}")
    prefix = text[:consumed]
    base = "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding
    offset = len(prefix.encode(base)) + (
        len(_BOM) if head.startswith(_BOM) and base != encoding else 0
    )
    return tuple(normalise_name(c) for c in cells), offset


class _Numbering:
    """Assigns row numbers to the good rows of Arrow's batches, skipping malformed rows."""

    def __init__(self, first: int) -> None:
        self._next = 1  # record number after the header, as Arrow counts
        self._first = first
        self._pending: list[int] = []

    def skip(self, record: int) -> int:
        self._pending.append(record)
        return self._first - 1 + record

    def assign(self, count: int) -> pa.Array:
        pending = np.array(sorted(self._pending), dtype=np.int64)
        candidates = np.arange(self._next, self._next + count + len(pending), dtype=np.int64)
        if len(pending):
            candidates = candidates[~np.isin(candidates, pending)]
        records = candidates[:count]
        if count:
            self._next = int(records[-1]) + 1
        self._pending = [p for p in self._pending if p >= self._next]
        return pa.array(records + (self._first - 1))


def _csv_batches(
    path: Path,
    *,
    encoding: str,
    header: tuple[str, ...],
    offset: int,
    options: ReadOptions,
) -> Iterator[RawBatch]:
    names = [f"f{i}" for i in range(len(header))]
    invalid: list[Any] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row)
        return "skip"

    codec = codecs.lookup(encoding).name
    arrow_encoding = "utf8" if codec in {"utf-8", "utf-8-sig"} else encoding
    numbering = _Numbering(options.header_row + 1)
    regroup = _Regroup(header, options.batch_size)
    if path.stat().st_size <= offset:
        return  # a header and nothing else
    with path.open("rb") as fh:
        fh.seek(offset)
        try:
            reader = pacsv.open_csv(
                fh,
                read_options=pacsv.ReadOptions(
                    use_threads=False,
                    block_size=_BLOCK,
                    column_names=names,
                    encoding=arrow_encoding,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=options.delimiter,
                    newlines_in_values=True,
                    ignore_empty_lines=False,
                    invalid_row_handler=on_invalid,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    batch = pa.RecordBatch.from_pylist([], schema=reader.schema)
                    done = True
                else:
                    done = False
                rejects = [_field_count_reject(row, numbering, header, options) for row in invalid]
                invalid.clear()
                numbers = numbering.assign(batch.num_rows)
                data = pa.RecordBatch.from_arrays(batch.columns, names=list(header))
                yield from regroup.add(*drop_blank_rows(data, numbers), rejects)
                if done:
                    yield from regroup.flush()
                    return
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{path.name}: cannot parse as CSV: {exc}") from exc


class _Regroup:
    """Collects Arrow's block-sized batches into batches of ``size`` rows."""

    def __init__(self, header: tuple[str, ...], size: int) -> None:
        self._header = list(header)
        self._size = size
        self._data: list[pa.RecordBatch] = []
        self._numbers: list[pa.Array] = []
        self._rejects: list[RowReject] = []
        self._rows = 0

    def add(
        self, data: pa.RecordBatch, numbers: pa.Array, rejects: list[RowReject]
    ) -> Iterator[RawBatch]:
        if data.num_rows:
            self._data.append(data)
            self._numbers.append(numbers)
            self._rows += data.num_rows
        self._rejects.extend(rejects)
        while self._rows >= self._size:
            yield self._take(self._size)

    def flush(self) -> Iterator[RawBatch]:
        if self._rows or self._rejects:
            yield self._take(self._rows)

    def _take(self, count: int) -> RawBatch:
        if self._data:
            data = pa.concat_batches(self._data) if len(self._data) > 1 else self._data[0]
            numbers = pa.concat_arrays(self._numbers)
        else:
            empty = [pa.array([], pa.string()) for _ in self._header]
            data = pa.RecordBatch.from_arrays(empty, names=self._header)
            numbers = pa.array([], pa.int64())
        batch = RawBatch(data.slice(0, count), numbers.slice(0, count), tuple(self._rejects))
        rest = data.num_rows - count
        self._data = [data.slice(count)] if rest else []
        self._numbers = [numbers.slice(count)] if rest else []
        self._rows = rest
        self._rejects = []
        return batch


def _field_count_reject(
    row: Any, numbering: _Numbering, header: tuple[str, ...], options: ReadOptions
) -> RowReject:
    number = numbering.skip(int(row.number))
    fields = next(csv.reader([row.text], delimiter=options.delimiter), [])
    return RowReject(
        row_number=number,
        column=None,
        reason=f"row has {row.actual_columns} fields, the header has {row.expected_columns}",
        raw=record_json(header, list(fields)),
    )


__all__ = ["detect_encoding", "open_csv"]
