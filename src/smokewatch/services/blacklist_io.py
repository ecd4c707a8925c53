"""Files of the untrustworthy-borrower list: reading a reported list, writing the export.

A list arrives as CSV (UTF-8 or GBK/GB18030, detected) or XLSX, one listed borrower a row.
Headers may be the column names below or their Chinese labels:

================  ==============================================  ========
column            header                                          required
================  ==============================================  ========
subject_type      主体类型 (个人/自然人 · 企业/单位/机构)             no (told by the number)
id_number         证件号码, 身份证号码, 统一社会信用代码               one of the two
id_hash           证件号码哈希 (sha256 of the number, hex)           one of the two
name              名称, 姓名, 主体名称                               yes
reporter          报送机构, 报送单位                                 yes
reporter_uscc     报送机构信用代码                                   no
amount_evaded     逃废债金额 (元; 万元/亿元 understood)               yes
evaded_on         逃废债日期, 违约日期                               no
listed_on         列入日期                                           yes
reason            列入原因                                           yes
evidence_ref      证据, 证据材料                                     no
adcode            行政区划代码                                       no (the importer's division)
================  ==============================================  ========

Every problem of a row becomes a reject (row number, column, reason, raw row); good rows are
kept. The clear identity number never leaves this module: a row carries the exchange hash
(:func:`~smokewatch.model.types.identity.exchange_hash`) and the masked number.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from smokewatch.errors import InvalidInput
from smokewatch.ingest.raw import ReadOptions, normalise_name
from smokewatch.ingest.readers import open_source_file
from smokewatch.ingest.rejects import RowReject
from smokewatch.ingest.values import clean_adcode
from smokewatch.model.divisions import load_divisions
from smokewatch.model.types import ValueTypeError, clean_date, clean_money, clean_uscc
from smokewatch.model.types.identity import (
    classify_identifier,
    clean_exchange_hash,
    exchange_hash,
    mask_identifier,
)

HEADERS: Final[Mapping[str, tuple[str, ...]]] = {
    "subject_type": ("主体类型", "类型"),
    "id_number": ("证件号码", "身份证号码", "统一社会信用代码", "证件号"),
    "id_hash": ("证件号码哈希", "证件哈希"),
    "name": ("名称", "姓名", "主体名称", "姓名/名称"),
    "reporter": ("报送机构", "报送单位"),
    "reporter_uscc": ("报送机构信用代码",),
    "amount_evaded": ("逃废债金额", "金额"),
    "evaded_on": ("逃废债日期", "违约日期"),
    "listed_on": ("列入日期",),
    "reason": ("列入原因", "原因"),
    "evidence_ref": ("证据", "证据材料"),
    "adcode": ("行政区划代码", "区划代码"),
}
"""Column → the Chinese headers it is also known by."""
REQUIRED: Final = ("name", "reporter", "amount_evaded", "listed_on", "reason")
SUBJECT_TYPES: Final[Mapping[str, str]] = {
    "person": "person",
    "个人": "person",
    "自然人": "person",
    "enterprise": "enterprise",
    "企业": "enterprise",
    "单位": "enterprise",
    "机构": "enterprise",
    "法人": "enterprise",
}


@dataclass(frozen=True, slots=True)
class ListedRow:
    """One valid row of a reported list (no clear identity number)."""

    row_number: int
    subject_type: str
    id_kind: str
    exchange: str
    """sha256 of the canonical number (what loan books carry)."""
    id_display: str | None
    name: str
    reporter: str
    reporter_uscc: str | None
    amount_evaded: Decimal
    evaded_on: date | None
    listed_on: date
    reason: str
    evidence_ref: str | None
    adcode: str | None


@dataclass(frozen=True, slots=True)
class ReadList:
    """What a list file held: its valid rows and the rejects."""

    path: Path
    encoding: str | None
    rows_read: int
    rows: tuple[ListedRow, ...]
    rejects: tuple[RowReject, ...]


def _header_map(header: Sequence[str], path: Path) -> dict[str, str]:
    """Column → header cell found in the file."""
    by_name = {normalise_name(h): h for h in header}
    found: dict[str, str] = {}
    for column, labels in HEADERS.items():
        for candidate in (column, *labels):
            if normalise_name(candidate) in by_name:
                found[column] = by_name[normalise_name(candidate)]
                break
    missing = [f"{c} ({HEADERS[c][0]})" for c in REQUIRED if c not in found]
    if "id_number" not in found and "id_hash" not in found:
        missing.append("id_number (证件号码) or id_hash (证件号码哈希)")
    if missing:
        raise InvalidInput(f"{path.name}: columns missing from the header: {', '.join(missing)}")
    return found


def read_list(path: Path, *, encoding: str = "auto", today: date | None = None) -> ReadList:
    """Read and validate a reported list (CSV or XLSX).

    Raises:
        NotFound: no such file.
        InvalidInput: unreadable file, or a required column is missing from the header.
    """
    opened = open_source_file(path, ReadOptions(encoding=encoding), columns=())
    found = _header_map(opened.header, path)
    rows: list[ListedRow] = []
    rejects: list[RowReject] = []
    read = 0
    for batch in opened.batches():
        rejects.extend(batch.rejects)
        read += len(batch.rejects)
        cells = batch.data.to_pylist()
        numbers = batch.row_numbers.to_pylist()
        for index, (number, raw_cells) in enumerate(zip(numbers, cells, strict=True)):
            read += 1
            values = {c: _text(raw_cells.get(h)) for c, h in found.items()}
            parsed, problems = parse_row(int(number), values, today=today or date.today())
            if parsed is not None:
                rows.append(parsed)
            raw = _redacted(batch.raw_of(index), found.get("id_number"))
            rejects.extend(RowReject(int(number), col, why, raw) for col, why in problems)
    return ReadList(path, opened.encoding, read, tuple(rows), tuple(rejects))


def _redacted(raw: str, id_header: str | None) -> str:
    """The raw row of a reject with its identity number masked (rejects are shown and saved)."""
    if id_header is None:
        return raw
    try:
        row = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(row, dict) and isinstance(row.get(id_header), str):
        row[id_header] = mask_identifier(row[id_header].strip())
    return json.dumps(row, ensure_ascii=False)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _identity(values: Mapping[str, str | None]) -> tuple[str, str, str, str | None]:
    """``(subject_type, id_kind, exchange hash, masked number)`` of a row."""
    declared_raw = values.get("subject_type")
    declared = None
    if declared_raw is not None:
        declared = SUBJECT_TYPES.get(declared_raw.lower())
        if declared is None:
            raise _Problem("subject_type", f"unknown subject type {declared_raw!r} (个人 or 企业)")
    number = values.get("id_number")
    if number is not None:
        try:
            kind, canonical = classify_identifier(number)
        except ValueTypeError as exc:
            raise _Problem("id_number", str(exc)) from None
        if declared is not None and declared != kind:
            raise _Problem("subject_type", f"declared {declared} but the number is a {kind}'s")
        id_kind = "id_number" if kind == "person" else "uscc"
        return kind, id_kind, exchange_hash(canonical), mask_identifier(canonical)
    given = values.get("id_hash")
    if given is None:
        raise _Problem("id_number", "no identity number and no hashed identity")
    try:
        hashed = clean_exchange_hash(given)
    except ValueTypeError as exc:
        raise _Problem("id_hash", str(exc)) from None
    if declared is None:
        raise _Problem("subject_type", "a hashed identity needs the subject type (个人 or 企业)")
    return declared, "hash", hashed, None


class _Problem(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _date(values: Mapping[str, str | None], column: str, today: date) -> date | None:
    raw = values.get(column)
    if raw is None:
        return None
    try:
        day = clean_date(raw)
    except ValueTypeError as exc:
        raise _Problem(column, str(exc)) from None
    if day is not None and day > today:
        raise _Problem(column, f"{day.isoformat()} is in the future")
    return day


def _amount(raw: str | None) -> Decimal:
    if raw is None:
        raise _Problem("amount_evaded", "the amount evaded is required")
    try:
        money = clean_money(raw)
    except ValueTypeError as exc:
        raise _Problem("amount_evaded", str(exc)) from None
    if money.currency != "CNY":
        raise _Problem("amount_evaded", f"amounts are in yuan, not {money.currency}")
    if money.amount <= 0:
        raise _Problem("amount_evaded", "the amount evaded must be positive")
    return money.amount


def _adcode(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        code = clean_adcode(raw)
    except ValueTypeError as exc:
        raise _Problem("adcode", str(exc)) from None
    if code not in load_divisions():
        raise _Problem("adcode", f"unknown division code {code!r}")
    return code


def _reporter_uscc(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return clean_uscc(raw)
    except ValueTypeError as exc:
        raise _Problem("reporter_uscc", str(exc)) from None


def parse_row(
    number: int, values: Mapping[str, str | None], *, today: date
) -> tuple[ListedRow | None, list[tuple[str | None, str]]]:
    """Validate one row: the row, or ``None`` and every ``(column, reason)`` found."""
    problems: list[tuple[str | None, str]] = []
    results: dict[str, Any] = {}
    checks: dict[str, Any] = {
        "identity": lambda: _identity(values),
        "amount_evaded": lambda: _amount(values.get("amount_evaded")),
        "evaded_on": lambda: _date(values, "evaded_on", today),
        "listed_on": lambda: _date(values, "listed_on", today),
        "adcode": lambda: _adcode(values.get("adcode")),
        "reporter_uscc": lambda: _reporter_uscc(values.get("reporter_uscc")),
    }
    for key, check in checks.items():
        try:
            results[key] = check()
        except _Problem as problem:
            problems.append((problem.column, problem.reason))
    for column in ("name", "reporter", "reason"):
        if values.get(column) is None:
            problems.append((column, f"{column.replace('_', ' ')} is required"))
    if "listed_on" in results and results["listed_on"] is None:
        problems.append(("listed_on", "the listing date is required"))
    listed, evaded = results.get("listed_on"), results.get("evaded_on")
    if listed is not None and evaded is not None and evaded > listed:
        problems.append(("evaded_on", "the evasion is dated after the listing"))
    if problems:
        return None, problems
    subject_type, id_kind, exchange, display = results["identity"]
    return (
        ListedRow(
            row_number=number,
            subject_type=subject_type,
            id_kind=id_kind,
            exchange=exchange,
            id_display=display,
            name=str(values["name"]),
            reporter=str(values["reporter"]),
            reporter_uscc=results["reporter_uscc"],
            amount_evaded=results["amount_evaded"],
            evaded_on=evaded,
            listed_on=results["listed_on"],
            reason=str(values["reason"]),
            evidence_ref=values.get("evidence_ref"),
            adcode=results["adcode"],
        ),
        [],
    )


EXPORT_COLUMNS: Final = (
    ("id", "名单编号 entry"),
    ("subject_type", "主体类型 type"),
    ("name", "名称 name"),
    ("id_display", "证件号码 (脱敏) ID (masked)"),
    ("reporter", "报送机构 reporter"),
    ("reporter_uscc", "报送机构信用代码 reporter USCC"),
    ("amount_evaded", "逃废债金额（元） amount evaded (yuan)"),
    ("evaded_on", "逃废债日期 evaded on"),
    ("listed_on", "列入日期 listed on"),
    ("reason", "列入原因 reason"),
    ("evidence_ref", "证据 evidence"),
    ("adcode", "行政区划代码 division"),
    ("status", "状态 status"),
    ("removed_on", "移出日期 removed on"),
    ("removal_reason", "移出原因 removal reason"),
)
"""Columns of the joint-discipline export, with their bilingual headers."""


def _cells(rows: Sequence[Mapping[str, Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [_cell(row.get(column)) for column, _ in EXPORT_COLUMNS]


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_export(rows: Sequence[Mapping[str, Any]], path: Path) -> str:
    """Write the rows as CSV (UTF-8 with BOM, for Excel) or XLSX, atomically; return the format.

    Raises:
        InvalidInput: the folder does not exist or the suffix is neither .csv nor .xlsx.
    """
    if not path.parent.is_dir():
        raise InvalidInput(f"the output folder does not exist: {path.parent}")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput(f"{path.name}: export to .csv or .xlsx")
    partial = path.with_name(f".{path.name}.partial")
    try:
        if suffix == ".csv":
            with partial.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([label for _, label in EXPORT_COLUMNS])
                writer.writerows(_cells(rows))
        else:
            _write_xlsx(rows, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return suffix[1:]


def _write_xlsx(rows: Sequence[Mapping[str, Any]], path: Path) -> None:
    from openpyxl import Workbook  # noqa: PLC0415 - only this export needs it

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "恶意逃废债名单"
    sheet.append([label for _, label in EXPORT_COLUMNS])
    for cells in _cells(rows):
        sheet.append(cells)
    book.save(path)


__all__ = [
    "EXPORT_COLUMNS",
    "HEADERS",
    "REQUIRED",
    "ListedRow",
    "ReadList",
    "parse_row",
    "read_list",
    "write_export",
]
