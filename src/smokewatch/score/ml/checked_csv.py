"""Optional model inputs read like ingest reads sources: any encoding, row-level rejects.

The competition files a model may find beside its required inputs (``base_info.csv``,
``change_info.csv`` of the CCF BDCI 2020 release) come as UTF-8 or GBK/GB18030, with CRLF or
LF line ends. :func:`read_checked_csv` reads them through the ingest readers (the encoding is
detected from the whole file, rows with the wrong number of fields are rejected with their
row number), then converts each declared column. A row whose cell does not convert, whose key
is empty, or whose key repeats an earlier row is rejected with the row number, the column and
the reason; the other rows are kept. The run reports the rejects; nothing is silently dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.errors import InvalidInput
from smokewatch.ingest.raw import ReadOptions
from smokewatch.ingest.readers import open_source_file

NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
EMPTY = frozenset({"", "NA", "NaN", "nan", "NULL", "null", "None"})
"""Cell texts read as empty."""


class ColumnType(StrEnum):
    """How a column's text is converted."""

    TEXT = "text"
    NUMBER = "number"
    """A decimal number (float64); ``123.0`` and ``1e3`` are numbers."""
    DATE = "date"
    """A calendar date: ``2009-06-25``, ``2009/6/25``, either with a time, or ``20090625``
    with up to six digits of time (``20190122150214``, also with a trailing ``.0``)."""


DATE_PATTERN = (
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    r"|^(\d{4})(\d{2})(\d{2})(?:\d{2}){0,3}(?:\.0+)?$"
)
_DATE = re.compile(DATE_PATTERN)


@dataclass(frozen=True, slots=True)
class Reject:
    """A row left out, and why."""

    row: int
    """Row number as a person sees it (the header is row 1)."""
    column: str | None
    reason: str
    raw: str

    def to_json(self) -> dict[str, Any]:
        """The reject as a JSON object (for manifests and reports)."""
        return {"row": self.row, "column": self.column, "reason": self.reason, "raw": self.raw}


@dataclass(frozen=True, slots=True)
class CheckedTable:
    """The rows that converted, the rows rejected, and the file's encoding."""

    table: pa.Table
    rejects: tuple[Reject, ...]
    encoding: str
    rows_read: int


def _texts(column: pa.Array) -> list[str | None]:
    values = column.to_pylist()
    return [None if v is None or v.strip() in EMPTY else v.strip() for v in values]


def _convert(texts: list[str | None], kind: ColumnType) -> tuple[pa.Array, list[int | None]]:
    """Converted values and, per row, ``None`` or the index of an unconvertible cell."""
    array = pa.array(texts, pa.string())
    if kind is ColumnType.TEXT:
        return array, [None] * len(texts)
    if kind is ColumnType.NUMBER:
        ok = pc.fill_null(pc.match_substring_regex(array, NUMBER), True)
        clean = pc.if_else(ok, array, pa.scalar(None, pa.string()))
        bad = np.flatnonzero(~np.asarray(ok))
        return pc.cast(clean, pa.float64()), _marks(len(texts), bad)
    dates: list[Any] = []
    bad_rows: list[int] = []
    for index, text in enumerate(texts):
        match = None if text is None else _DATE.match(text)
        if text is None:
            dates.append(None)
            continue
        try:
            if match is None:
                raise ValueError(text)
            y, m, d = (g for g in match.groups() if g is not None)
            dates.append(date(int(y), int(m), int(d)))
        except ValueError:
            dates.append(None)
            bad_rows.append(index)
    return pa.array(dates, pa.date32()), _marks(len(texts), np.array(bad_rows, dtype=np.int64))


def _marks(rows: int, bad: np.ndarray) -> list[int | None]:
    marks: list[int | None] = [None] * rows
    for index in bad.tolist():
        marks[index] = index
    return marks


def _raw(header: list[str], batch: pa.RecordBatch, index: int) -> str:
    row = {name: batch.column(i)[index].as_py() for i, name in enumerate(header)}
    return json.dumps(row, ensure_ascii=False)


def read_checked_csv(
    path: Path, columns: Mapping[str, ColumnType], *, key: str | None = "id"
) -> CheckedTable:
    """Read the declared ``columns`` of a CSV file; reject rows that do not convert.

    ``key`` (when given) must be filled and unique: a row without it, or repeating the key
    of an earlier row, is rejected. Extra columns in the file are ignored.

    Raises:
        InvalidInput: the file lacks a declared column, or cannot be decoded or parsed.
    """
    source = open_source_file(path, ReadOptions(), columns=list(columns))
    header = list(source.header)
    kept: dict[str, list[pa.Array]] = {name: [] for name in columns}
    rejects: list[Reject] = []
    seen: dict[str, int] = {}
    rows_read = 0
    for batch in source.batches():
        rejects.extend(Reject(r.row_number, r.column, r.reason, r.raw) for r in batch.rejects)
        data = batch.data
        numbers = batch.row_numbers.to_pylist()
        rows_read += data.num_rows + len(batch.rejects)
        reasons: dict[int, tuple[str, str]] = {}
        converted: dict[str, pa.Array] = {}
        for name, kind in columns.items():
            texts = _texts(data.column(header.index(name)))
            values, marks = _convert(texts, kind)
            converted[name] = values
            for index in (m for m in marks if m is not None):
                reasons.setdefault(index, (name, f"{name}: {texts[index]!r} is not a {kind}"))
        if key is not None:
            for index, text in enumerate(converted[key].to_pylist()):
                if index in reasons:
                    continue
                if text is None:
                    reasons[index] = (key, f"{key} is empty")
                elif text in seen:
                    reasons[index] = (key, f"{key} {text} already given on row {seen[text]}")
                else:
                    seen[text] = numbers[index]
        for index, (column, reason) in sorted(reasons.items()):
            rejects.append(Reject(numbers[index], column, reason, _raw(header, data, index)))
        keep = np.ones(data.num_rows, dtype=bool)
        keep[list(reasons)] = False
        mask = pa.array(keep)
        for name in columns:
            kept[name].append(converted[name].filter(mask))
    types = {ColumnType.TEXT: pa.string(), ColumnType.NUMBER: pa.float64()}
    table = pa.table(
        {
            name: pa.concat_arrays(kept[name])
            if kept[name]
            else pa.array([], types.get(kind, pa.date32()))
            for name, kind in columns.items()
        }
    )
    if rows_read and not table.num_rows:
        first = rejects[0].reason if rejects else "no rows"
        raise InvalidInput(f"{path}: every row was rejected (first: {first})")
    rejects.sort(key=lambda r: r.row)
    return CheckedTable(table, tuple(rejects), source.encoding or "utf-8", rows_read)


__all__ = ["EMPTY", "CheckedTable", "ColumnType", "Reject", "read_checked_csv"]
