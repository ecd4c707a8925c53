"""Writing export tables as files: CSV in any encoding (streamed) and reproducible XLSX."""

from __future__ import annotations

import codecs
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pcsv
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from smokewatch.errors import InvalidInput

_UTF8 = "utf-8"
_UTF8_BOM = "utf-8-sig"


def normalise_encoding(encoding: str) -> str:
    """The codec's canonical name (``GB18030`` → ``gb18030``); unknown names are rejected."""
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise InvalidInput(f"unknown text encoding {encoding!r}") from exc


class CsvWriter:
    """Appends Arrow tables to a CSV stream in one encoding, writing the header once.

    Arrow writes UTF-8; other encodings are transcoded chunk by chunk, so memory stays
    bounded by the chunk size.
    """

    def __init__(self, stream: BinaryIO, encoding: str = _UTF8) -> None:
        self._stream = stream
        self._encoding = normalise_encoding(encoding)
        self._started = False
        self.bytes_written = 0

    def write(self, table: pa.Table) -> None:
        """Append the rows of ``table`` (the header too, on the first call)."""
        sink = pa.BufferOutputStream()
        options = pcsv.WriteOptions(include_header=not self._started)
        pcsv.write_csv(table, sink, write_options=options)
        data = sink.getvalue().to_pybytes()
        if self._encoding == _UTF8_BOM:
            data = (codecs.BOM_UTF8 if not self._started else b"") + data
        elif self._encoding != _UTF8:
            data = data.decode(_UTF8).encode(self._encoding)
        self._stream.write(data)
        self.bytes_written += len(data)
        self._started = True


def write_csv(table: pa.Table, path: Path, *, encoding: str = _UTF8) -> int:
    """Write ``table`` to ``path`` as CSV; returns the number of bytes written."""
    with path.open("wb") as stream:
        writer = CsvWriter(stream, encoding)
        writer.write(table)
        return writer.bytes_written


def _fixed_zip(data: bytes, moment: datetime) -> bytes:
    """Re-pack a ZIP with every entry stamped ``moment`` (ZIP entries carry write times)."""
    out = io.BytesIO()
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def write_xlsx(table: pa.Table, path: Path, *, sheet: str, created: date) -> int:
    """Write ``table`` as a one-sheet workbook whose bytes depend only on the content.

    Document properties and ZIP entry times are set to ``created`` (midnight), so the same
    table always gives the same file. Values are written as text, as registers export them.
    """
    workbook = Workbook()
    worksheet = workbook.active
    if worksheet is None:  # pragma: no cover - a new workbook always has a sheet
        raise InvalidInput("openpyxl created a workbook without a sheet")
    worksheet.title = sheet
    worksheet.append(table.column_names)
    for row in table.to_pylist():
        worksheet.append([row[name] for name in table.column_names])
    moment = datetime(created.year, created.month, created.day)
    workbook.properties.creator = "smokewatch"
    workbook.properties.created = moment
    workbook.properties.modified = moment
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    data = _fixed_zip(buffer.getvalue(), moment)
    path.write_bytes(data)
    return len(data)


__all__ = ["CsvWriter", "normalise_encoding", "write_csv", "write_xlsx"]
