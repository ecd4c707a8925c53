"""Raw rows as the readers deliver them: text cells, row numbers and unreadable rows.

Row numbers are what a person sees: for CSV and XLSX the header is row ``header_row`` (1 by
default) and the first data row is the next one (a CSV record whose quoted value spans lines
is one row); for JSON lines the line number; for Parquet the row index + 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.errors import InvalidInput
from smokewatch.ingest.rejects import RowReject
from smokewatch.ingest.values import as_text
from smokewatch.model.types import fold_width


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read a file (from the source spec, with the run's batch size)."""

    format: str = "auto"
    encoding: str = "auto"
    delimiter: str = ","
    sheet: str | None = None
    header_row: int = 1
    batch_size: int = 65_536


@dataclass(frozen=True, slots=True)
class RawBatch:
    """Raw cells of consecutive rows, their row numbers and the unreadable rows among them."""

    data: pa.RecordBatch
    """One string column per header field (JSON lines: per requested key)."""

    row_numbers: pa.Array
    """Row number (int64) of every row of ``data``."""

    rejects: tuple[RowReject, ...] = ()
    """Rows that could not be split into fields."""

    raw_json: pa.Array | None = None
    """JSON lines only: the original text of each row."""

    def raw_of(self, index: int) -> str:
        """The raw row ``index`` as a JSON object (for rejects)."""
        if self.raw_json is not None:
            return str(self.raw_json[index].as_py())
        row = {
            name: self.data.column(i)[index].as_py()
            for i, name in enumerate(self.data.schema.names)
        }
        return json.dumps(row, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """An opened source file: its format, encoding and header; :meth:`batches` streams it."""

    path: Path
    format: str
    encoding: str | None
    header: tuple[str, ...]
    _stream: Callable[[], Iterator[RawBatch]] = field(repr=False)

    def batches(self) -> Iterator[RawBatch]:
        """Stream the rows (each call reads the file again from the start)."""
        return self._stream()


def normalise_name(name: object) -> str:
    """Header cells and spec column names compare width-folded and trimmed."""
    return fold_width(str(name if name is not None else "").replace("\ufeff", "")).strip()


def check_header(path: Path, header: tuple[str, ...], wanted: Collection[str]) -> None:
    """Raise :class:`InvalidInput` naming mapped columns missing from or repeated in a header."""
    missing = sorted({c for c in wanted if c not in header})
    repeated = sorted({c for c in wanted if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"columns missing from the header: {', '.join(missing)}")
    if repeated:
        problems.append(f"columns that appear more than once in the header: {', '.join(repeated)}")
    if problems:
        shown = ", ".join(header[:40]) + (" …" if len(header) > 40 else "")
        raise InvalidInput(f"{path.name}: {'; '.join(problems)} (header: {shown})")


def record_json(header: tuple[str, ...], fields: list[Any]) -> str:
    """A raw row as a JSON object; fields beyond the header go to ``_extra``."""
    row: dict[str, Any] = dict(zip(header, fields, strict=False))
    if len(fields) > len(header):
        row["_extra"] = fields[len(header) :]
    return json.dumps(row, ensure_ascii=False, default=str)


def drop_blank_rows(data: pa.RecordBatch, numbers: pa.Array) -> tuple[pa.RecordBatch, pa.Array]:
    """Remove rows whose cells are all empty (they are neither loaded nor rejected)."""
    if data.num_columns == 0 or data.num_rows == 0:
        return data, numbers
    blank = np.ones(data.num_rows, dtype=bool)
    for column in data.columns:
        text = as_text(column)
        blank &= ~np.asarray(pc.fill_null(pc.not_equal(text, ""), False))
    if not blank.any():
        return data, numbers
    keep = pa.array(~blank)
    return data.filter(keep), numbers.filter(keep)


__all__ = [
    "RawBatch",
    "ReadOptions",
    "SourceFile",
    "check_header",
    "drop_blank_rows",
    "normalise_name",
    "record_json",
]
