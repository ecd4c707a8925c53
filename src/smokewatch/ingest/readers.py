"""Reading source files (CSV, XLSX, Parquet, JSON lines) as a stream of raw batches.

:func:`open_source_file` opens a file by format and checks that every mapped column appears
exactly once in its header; :meth:`SourceFile.batches` then streams :class:`RawBatch` objects
of text cells with their row numbers (see :mod:`smokewatch.ingest.raw`). Rows that cannot be
split into fields (wrong field count, broken JSON) come back as rejects, never as crashes.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.ingest.csv_reader import detect_encoding, open_csv
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
from smokewatch.ingest.spec import FORMAT_BY_SUFFIX
from smokewatch.ingest.values import LIST_SEPARATOR, as_text


def detect_format(path: Path, declared: str) -> str:
    """The file format: ``declared`` unless ``auto``, then by suffix."""
    if declared != "auto":
        return declared
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InvalidInput(f"{path.name}: old .xls workbooks are not supported; save as .xlsx")
    if suffix not in FORMAT_BY_SUFFIX:
        known = ", ".join(FORMAT_BY_SUFFIX)
        raise InvalidInput(
            f"{path.name}: cannot tell the format from the suffix ({known}); "
            "set format in source.yml"
        )
    return FORMAT_BY_SUFFIX[suffix]


def open_source_file(path: Path, options: ReadOptions, *, columns: Collection[str]) -> SourceFile:
    """Open ``path`` and check that every mapped column appears exactly once in its header.

    Raises :class:`NotFound` for a missing file and :class:`InvalidInput` for an unreadable
    one (naming the missing or duplicated columns, or asking for an encoding).
    """
    if not path.is_file():
        raise NotFound(f"source file not found: {path}")
    fmt = detect_format(path, options.format)
    wanted = [normalise_name(c) for c in columns]
    if fmt == "csv":
        return open_csv(path, options, wanted)
    if fmt == "xlsx":
        return _open_xlsx(path, options, wanted)
    if fmt == "parquet":
        return _open_parquet(path, options, wanted)
    if fmt == "jsonl":
        return _open_jsonl(path, options, wanted)
    raise InvalidInput(f"unsupported format {fmt!r}")


def cell_text(value: Any) -> str | None:
    """A spreadsheet or JSON cell as text (integral floats without ``.0``, dates as ISO)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join("" if v is None else str(cell_text(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _open_xlsx(path: Path, options: ReadOptions, wanted: list[str]) -> SourceFile:
    with _Workbook(path, options.sheet) as rows:
        header_cells: tuple[Any, ...] = ()
        for _ in range(options.header_row):
            header_cells = next(rows, ())
    names = [normalise_name(cell_text(c)) for c in header_cells]
    while names and not names[-1]:
        names.pop()
    header = tuple(names)
    if not header:
        raise InvalidInput(f"{path.name}: no header in row {options.header_row}")
    check_header(path, header, wanted)

    def stream() -> Iterator[RawBatch]:
        return _xlsx_batches(path, header, options)

    return SourceFile(path, "xlsx", None, header, stream)


class _Workbook:
    """Rows of one sheet, read-only and streaming; closes the workbook on exit."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        import openpyxl  # noqa: PLC0415 - only XLSX sources need it
        from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
            raise InvalidInput(f"{path.name}: not a readable XLSX workbook: {exc}") from exc
        if sheet is not None and sheet not in self._book.sheetnames:
            self._book.close()
            raise InvalidInput(
                f"{path.name}: no sheet {sheet!r}; sheets: {', '.join(self._book.sheetnames)}"
            )
        self._sheet = self._book[sheet] if sheet is not None else self._book.worksheets[0]

    def __enter__(self) -> Iterator[tuple[Any, ...]]:
        reset = getattr(self._sheet, "reset_dimensions", None)
        if reset is not None:
            reset()  # exporters often write wrong dimensions; read what is there
        return self._sheet.iter_rows(values_only=True)

    def __exit__(self, *exc: object) -> None:
        self._book.close()


def _xlsx_batches(path: Path, header: tuple[str, ...], options: ReadOptions) -> Iterator[RawBatch]:
    width = len(header)
    with _Workbook(path, options.sheet) as rows:
        for _ in range(options.header_row):
            next(rows, None)
        columns: list[list[str | None]] = [[] for _ in range(width)]
        numbers: list[int] = []
        rejects: list[RowReject] = []
        for number, row in enumerate(rows, start=options.header_row + 1):
            cells = [cell_text(v) for v in row]
            extra = [c for c in cells[width:] if c not in (None, "")]
            if extra:
                used = (
                    width + max(i for i, c in enumerate(cells[width:]) if c not in (None, "")) + 1
                )
                rejects.append(
                    RowReject(
                        number,
                        None,
                        f"row has {used} fields, the header has {width}",
                        record_json(header, cells[:used]),
                    )
                )
                continue
            cells = (cells + [None] * width)[:width]
            if all(c in (None, "") for c in cells):
                continue
            for column, cell in zip(columns, cells, strict=True):
                column.append(cell)
            numbers.append(number)
            if len(numbers) >= options.batch_size:
                yield _xlsx_batch(header, columns, numbers, rejects)
                columns, numbers, rejects = [[] for _ in range(width)], [], []
        if numbers or rejects:
            yield _xlsx_batch(header, columns, numbers, rejects)


def _xlsx_batch(
    header: tuple[str, ...],
    columns: list[list[str | None]],
    numbers: list[int],
    rejects: list[RowReject],
) -> RawBatch:
    arrays = [pa.array(c, pa.string()) for c in columns]
    return RawBatch(
        pa.RecordBatch.from_arrays(arrays, names=list(header)),
        pa.array(numbers, pa.int64()),
        tuple(rejects),
    )


def _open_parquet(path: Path, options: ReadOptions, wanted: list[str]) -> SourceFile:
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InvalidInput(f"{path.name}: not a readable Parquet file: {exc}") from exc
    header = tuple(normalise_name(n) for n in schema.names)
    check_header(path, header, wanted)

    def stream() -> Iterator[RawBatch]:
        parquet = pq.ParquetFile(path)
        start = 1
        try:
            for batch in parquet.iter_batches(batch_size=options.batch_size):
                data = pa.RecordBatch.from_arrays(
                    [as_text(c) for c in batch.columns], names=list(header)
                )
                numbers = pa.array(np.arange(start, start + batch.num_rows, dtype=np.int64))
                start += batch.num_rows
                data, numbers = drop_blank_rows(data, numbers)
                if data.num_rows:
                    yield RawBatch(data, numbers)
        finally:
            parquet.close()

    return SourceFile(path, "parquet", None, header, stream)


def _open_jsonl(path: Path, options: ReadOptions, wanted: list[str]) -> SourceFile:
    encoding = "utf-8-sig" if options.encoding == "auto" else options.encoding
    keys = tuple(dict.fromkeys(wanted))

    def stream() -> Iterator[RawBatch]:
        return _jsonl_batches(path, encoding, keys, options.batch_size)

    return SourceFile(path, "jsonl", encoding, keys, stream)


def _jsonl_batches(
    path: Path, encoding: str, keys: tuple[str, ...], size: int
) -> Iterator[RawBatch]:
    columns: list[list[str | None]] = [[] for _ in keys]
    numbers: list[int] = []
    raws: list[str] = []
    rejects: list[RowReject] = []
    try:
        with path.open("r", encoding=encoding, newline="") as fh:
            for number, line in enumerate(fh, start=1):
                text = line.strip()
                if not text:
                    continue
                row = _json_object(text)
                if isinstance(row, str):
                    rejects.append(
                        RowReject(number, None, row, json.dumps(text, ensure_ascii=False))
                    )
                    continue
                for column, key in zip(columns, keys, strict=True):
                    column.append(cell_text(row.get(key)))
                numbers.append(number)
                raws.append(text)
                if len(numbers) >= size:
                    yield _jsonl_batch(keys, columns, numbers, raws, rejects)
                    columns, numbers, raws, rejects = [[] for _ in keys], [], [], []
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path.name} is not valid {encoding} text: {exc}; set encoding in source.yml"
        ) from exc
    if numbers or rejects:
        yield _jsonl_batch(keys, columns, numbers, raws, rejects)


def _json_object(text: str) -> dict[str, Any] | str:
    try:
        value = json.loads(text)
    except ValueError as exc:
        return f"not valid JSON: {exc}"
    if not isinstance(value, dict):
        return f"not a JSON object but {type(value).__name__}"
    return value


def _jsonl_batch(
    keys: tuple[str, ...],
    columns: list[list[str | None]],
    numbers: list[int],
    raws: list[str],
    rejects: list[RowReject],
) -> RawBatch:
    return RawBatch(
        pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in columns], names=list(keys)),
        pa.array(numbers, pa.int64()),
        tuple(rejects),
        pa.array(raws, pa.string()),
    )


def raw_rows(source: SourceFile, rows: Collection[int]) -> dict[int, str]:
    """Raw JSON of the given rows, read again from the file (for late rejects)."""
    wanted = set(rows)
    found: dict[int, str] = {}
    if not wanted:
        return found
    for batch in source.batches():
        numbers = batch.row_numbers.to_numpy()
        for index in np.flatnonzero(np.isin(numbers, list(wanted))).tolist():
            found[int(numbers[index])] = batch.raw_of(index)
        if len(found) == len(wanted):
            break
    return found


__all__ = [
    "RawBatch",
    "ReadOptions",
    "SourceFile",
    "cell_text",
    "detect_encoding",
    "detect_format",
    "open_source_file",
    "raw_rows",
]
