"""Parsing raw cell text into typed values, vectorised over Arrow arrays where it pays.

Registry files have a million rows, so the hot paths work on whole arrays: text is trimmed
and width-folded with Arrow kernels (Python touches only the cells that hold full-width
characters), USCCs are checked with numpy over a byte matrix, and every other type is parsed
once per *distinct* value (a million rows hold a few thousand dates, amounts and statuses).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.model.tables import PROVENANCE_COLUMNS, Column, ColumnType, TableSchema
from smokewatch.model.types import (
    ValueTypeError,
    clean_date,
    clean_money,
    clean_phone,
    clean_uscc,
    fold_width,
)
from smokewatch.model.types.uscc import ALPHABET, REGISTRATION_AUTHORITIES, WEIGHTS
from smokewatch.model.vocab import Vocabulary

MONEY_UNITS = ("", "元", "千", "千元", "万", "万元", "亿", "亿元")
"""Units accepted by ``unit:`` (the ones :func:`~smokewatch.model.types.clean_money` knows)."""

MAX_AMOUNT = Decimal("1e18")
"""Amounts are stored as decimal(20, 2); anything this large does not fit."""

DEFAULT_SPLIT = r"[;；,，、]"
"""How list columns are split when the mapping gives no ``split``."""

LIST_SEPARATOR = "\x1f"
"""Joins the items of native list values (JSON arrays, Parquet lists) in raw text."""

ADDRESS_COLUMNS = ("registered_address", "address")
"""Columns an adcode is derived from, in order of preference."""

_PROVENANCE = frozenset(c.name for c in PROVENANCE_COLUMNS)
_FULL_WIDTH = r"[\x{FF01}-\x{FF5E}\x{3000}]"
_DIGITS = re.compile(r"^\d{6}(?:\d{3}(?:\d{3})?)?$")
_TRUE = frozenset({"true", "t", "yes", "y", "1", "是"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "否"})
_INT = re.compile(r"^[+-]?\d+(?:\.0*)?$")


class SetBy(StrEnum):
    """Why a column cannot be mapped: ingest fills it."""

    KEY = "the key"
    PROVENANCE = "provenance"
    ADDRESS = "the adcode derivation"


class Semantic(StrEnum):
    """Value types recognised by column name (the table YAML declares only storage types)."""

    USCC = "uscc"
    PHONE = "phone"
    ADCODE = "adcode"


def semantic_of(name: str) -> Semantic | None:
    """The value type a column name implies (``uscc``, ``*_uscc``, ``phone``, ``adcode`` …)."""
    if name == "uscc" or name.endswith("_uscc"):
        return Semantic.USCC
    if name == "phone" or name.endswith("_phone"):
        return Semantic.PHONE
    if name == "adcode":
        return Semantic.ADCODE
    return None


def derives_adcode(table: TableSchema) -> str | None:
    """The address column an adcode is derived from, when the table has one."""
    names = set(table.column_names)
    if not {"adcode", "adcode_source"} <= names:
        return None
    return next((c for c in ADDRESS_COLUMNS if c in names), None)


def column_kind(table: TableSchema, name: str) -> SetBy | None:
    """Whether ingest fills ``name`` itself (then a spec may not map it)."""
    if name in table.key and name == "id":
        return SetBy.KEY
    if table.provenance and name in _PROVENANCE:
        return SetBy.PROVENANCE
    if name == "adcode_source" and derives_adcode(table) is not None:
        return SetBy.ADDRESS
    return None


# -- scalar parsing --------------------------------------------------------------------------


def fold_strip(text: str) -> str | None:
    """Width-fold and trim; empty text is ``None``."""
    out = fold_width(text).strip()
    return out or None


def vocab_index(vocab: Vocabulary) -> dict[str, str]:
    """Folded wording (term id, lower-case id, synonym) → term id."""
    index: dict[str, str] = {}
    for raw, term in vocab.synonyms.items():
        index[fold_width(raw).strip()] = term
    for term in vocab.terms:
        index[term] = term
        index[term.lower()] = term
    return index


@dataclass(frozen=True, slots=True)
class ScalarParser:
    """Parses one cleaned (folded, trimmed, non-empty) text into a column's Python value."""

    column: Column
    unit: str = ""
    split: re.Pattern[str] | None = None
    vocab: Mapping[str, str] | None = None

    def __call__(self, text: str) -> Any:
        """The typed value; raises :class:`ValueTypeError` with a reason for people."""
        if self.vocab is not None:
            term = self.vocab.get(text) or self.vocab.get(text.lower())
            if term is None:
                raise ValueTypeError(f"unknown {self.column.vocab} value {text!r}")
            return term
        return _PARSERS[self.column.type](self, text)


def _parse_string(parser: ScalarParser, text: str) -> str:
    semantic = semantic_of(parser.column.name)
    if semantic is Semantic.USCC:
        return clean_uscc(text)
    if semantic is Semantic.PHONE:
        return clean_phone(text)
    if semantic is Semantic.ADCODE:
        return clean_adcode(text)
    return text


def _parse_decimal(parser: ScalarParser, text: str) -> Any:
    money = clean_money(
        text, default_unit=parser.unit, default_currency="", signed=parser.column.signed
    )
    if abs(money.amount) >= MAX_AMOUNT:
        raise ValueTypeError(f"amount too large to store: {text!r}")
    return money


def _parse_int(_: ScalarParser, text: str) -> int:
    digits = text.replace(",", "").replace(" ", "")
    if not _INT.match(digits):
        raise ValueTypeError(f"not an integer: {text!r}")
    value = int(digits.split(".")[0])
    if not -(2**63) <= value < 2**63:
        raise ValueTypeError(f"integer out of range: {text!r}")
    return value


def _parse_float(_: ScalarParser, text: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError as exc:
        raise ValueTypeError(f"not a number: {text!r}") from exc
    if not math.isfinite(value):
        raise ValueTypeError(f"not a finite number: {text!r}")
    return value


def _parse_bool(_: ScalarParser, text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueTypeError(f"not a yes/no value: {text!r}")


_STAMP = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?$"
)
_COMPACT_STAMP = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2}):?(\d{2}):?(\d{2}))?$")


def _parse_timestamp(_: ScalarParser, text: str) -> datetime:
    """A timestamp in ISO 8601 or in the forms bank statements use.

    2017/1/5 09:30:00, 2017年1月5日 9时30分, 20170105, 20170105093000: a date alone is
    midnight, and a time without a zone is kept as UTC.
    """
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        match = _STAMP.match(text) or _COMPACT_STAMP.match(text)
        if match is None:
            raise ValueTypeError(f"not a timestamp: {text!r}") from None
        year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
        try:
            value = datetime(year, month, day, hour, minute, second)
        except ValueError as exc:
            raise ValueTypeError(f"not a calendar date and time: {text!r} ({exc})") from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse_json(_: ScalarParser, text: str) -> str:
    try:
        json.loads(text)
    except ValueError as exc:
        raise ValueTypeError(f"not JSON: {text!r}") from exc
    return text


def _parse_list(parser: ScalarParser, text: str) -> list[str] | None:
    if LIST_SEPARATOR in text:  # the items of a JSON or Parquet list
        parts = text.split(LIST_SEPARATOR)
    else:
        parts = (parser.split or re.compile(DEFAULT_SPLIT)).split(text)
    items = [item.strip() for item in parts]
    return [item for item in items if item] or None


_PARSERS: Mapping[ColumnType, Callable[[ScalarParser, str], Any]] = {
    ColumnType.STRING: _parse_string,
    ColumnType.DECIMAL: _parse_decimal,
    ColumnType.DATE: lambda _, text: clean_date(text),
    ColumnType.INT64: _parse_int,
    ColumnType.FLOAT64: _parse_float,
    ColumnType.BOOL: _parse_bool,
    ColumnType.TIMESTAMP: _parse_timestamp,
    ColumnType.JSON: _parse_json,
    ColumnType.LIST_STRING: _parse_list,
}


def clean_adcode(text: str) -> str:
    """A 6- or 9-digit division code; 12-digit statistical codes lose their zero tail.

    Examples:
        >>> clean_adcode("340202000000"), clean_adcode("340202001")
        ('340202', '340202001')
    """
    code = text.strip()
    if not _DIGITS.match(code):
        raise ValueTypeError(f"not a division code (6 or 9 digits): {text!r}")
    code = code[:9]  # a 12-digit village code names its township in the first nine
    return code[:6] if code.endswith("000") else code


def parse_constant(table: TableSchema, name: str, value: str) -> Any:
    """Parse a spec constant (a default) for column ``name``; raises :class:`ValueTypeError`."""
    column = table.column(name)
    text = fold_strip(value)
    if text is None:
        raise ValueTypeError("empty value")
    vocab = None
    if column.vocab is not None:
        from smokewatch.model.vocab import get_vocabulary  # noqa: PLC0415 - cheap, cached

        vocab = vocab_index(get_vocabulary(column.vocab))
    return ScalarParser(column, vocab=vocab)(text)


# -- vectorised ------------------------------------------------------------------------------


def as_text(array: pa.Array) -> pa.Array:
    """Any raw column as strings (native Parquet/JSON types are printed)."""
    if pa.types.is_string(array.type):
        return array
    if pa.types.is_large_string(array.type) or pa.types.is_dictionary(array.type):
        return array.cast(pa.string())
    if pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        joined = [
            None if v is None else LIST_SEPARATOR.join("" if x is None else str(x) for x in v)
            for v in array.to_pylist()
        ]
        return pa.array(joined, pa.string())
    return pc.cast(array, pa.string())


def clean_text(array: pa.Array) -> pa.Array:
    """Width-fold, trim, and turn empty strings into nulls, over a whole string array."""
    array = pc.utf8_trim_whitespace(fold_width_array(array))
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def fold_width_array(array: pa.Array) -> pa.Array:
    """:func:`~smokewatch.model.types.fold_width` over a string array, in numpy.

    Full-width ASCII (U+FF01-U+FF5E) is three UTF-8 bytes ``EF BC xx`` / ``EF BD xx`` and the
    ideographic space (U+3000) is ``E3 80 80``; each becomes one ASCII byte, and the offsets
    shrink by the bytes removed before them. In valid UTF-8, ``EF`` and ``E3`` are always
    lead bytes, so no other character can be mistaken for these.
    """
    if len(array) == 0:
        return array
    array = array.cast(pa.string())
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[
        array.offset : array.offset + len(array) + 1
    ]
    start, stop = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[start:stop]
    if data.size < 3:
        return array
    candidates = np.flatnonzero((data[:-2] == 0xEF) | (data[:-2] == 0xE3))
    if candidates.size == 0:
        return array
    first, second, third = data[candidates], data[candidates + 1], data[candidates + 2]
    low = (first == 0xEF) & (second == 0xBC) & (third >= 0x81)
    high = (first == 0xEF) & (second == 0xBD) & (third <= 0x9E)
    space = (first == 0xE3) & (second == 0x80) & (third == 0x80)
    folded = low | high | space
    leads = candidates[folded]
    if leads.size == 0:
        return array
    out = data.copy()
    tail = third[folded]
    out[leads] = np.where(low[folded], tail - 0x60, np.where(high[folded], tail - 0x20, 0x20))
    out = np.delete(out, np.concatenate([leads + 1, leads + 2]))
    relative = offsets - start
    # Offsets sit on character boundaries: each folded character before one removes 2 bytes.
    new_offsets = relative - 2 * np.searchsorted(leads, relative)
    validity = array.is_valid().buffers()[1] if array.null_count else None
    return pa.StringArray.from_buffers(
        len(array),
        pa.py_buffer(new_offsets.astype(np.int32)),
        pa.py_buffer(out),
        validity,
        array.null_count,
    )


_LUT = np.full(256, 255, dtype=np.uint8)
for _value, _char in enumerate(ALPHABET):
    _LUT[ord(_char)] = _value
_AUTHORITY = np.zeros(256, dtype=bool)
for _char in REGISTRATION_AUTHORITIES:
    _AUTHORITY[ord(_char)] = True
_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)


def check_uscc(array: pa.Array) -> tuple[pa.Array, dict[int, str]]:
    """Canonical USCCs (upper case, no spaces or hyphens) and the reasons of invalid rows.

    The check character of every 18-byte candidate is verified at once with numpy; Python
    only explains the failures.
    """
    canon = pc.utf8_upper(pc.replace_substring_regex(array, r"[\s\-]", ""))
    valid = np.asarray(canon.is_valid())
    lengths = np.asarray(pc.fill_null(pc.binary_length(canon), 0))
    ok = np.zeros(len(canon), dtype=bool)
    rows = np.flatnonzero(valid & (lengths == 18))
    if rows.size:
        codes = _byte_matrix(canon.take(pa.array(rows)), 18)
        values = _LUT[codes]
        checks = (31 - (values[:, :17].astype(np.int64) @ _WEIGHTS) % 31) % 31
        good = (values != 255).all(axis=1) & _AUTHORITY[codes[:, 0]] & (values[:, 17] == checks)
        ok[rows] = good
    reasons: dict[int, str] = {}
    for row in np.flatnonzero(valid & ~ok).tolist():
        reasons[row] = _uscc_reason(str(canon[row].as_py()))
    return canon, reasons


def check_phone(array: pa.Array) -> tuple[pa.Array, dict[int, str]]:
    """Phones normalised as :func:`~smokewatch.model.types.clean_phone` does, over an array.

    Mobiles and 400/800 numbers become their digits, landlines ``0553-1234567``; a leading
    0086 or 86 goes. Python only explains the failures.
    """
    digits = pc.replace_substring_regex(array, r"\D", "")
    digits = pc.replace_substring_regex(digits, r"^0086", "")
    digits = pc.replace_substring_regex(digits, r"^86(\d{11})$", r"\1")
    plain = pc.match_substring_regex(digits, r"^(?:1[3-9]\d{9}|(?:400|800)\d{7})$")
    landline = pc.match_substring_regex(digits, r"^0\d{2,3}\d{7,8}$")
    dashed = pc.replace_substring_regex(digits, r"^(0\d{2,3})(\d{7,8})$", r"\1-\2")
    canon = pc.if_else(plain, digits, pc.if_else(landline, dashed, pa.scalar(None, pa.string())))
    failed = np.asarray(array.is_valid()) & ~np.asarray(canon.is_valid())
    reasons: dict[int, str] = {}
    for row in np.flatnonzero(failed).tolist():
        try:
            clean_phone(str(array[row].as_py()))
        except ValueTypeError as exc:
            reasons[row] = str(exc)
    return canon, reasons


def _uscc_reason(code: str) -> str:
    try:
        clean_uscc(code)
    except ValueTypeError as exc:
        return str(exc)
    return "not a valid USCC"  # pragma: no cover - numpy and clean_uscc agree


def _byte_matrix(array: pa.Array, width: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """The bytes of a string array whose values all have ``width`` bytes, one row each."""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset :]
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)
    start = int(offsets[0])
    return data[start : start + width * len(array)].reshape(-1, width)


@dataclass(frozen=True, slots=True)
class Parsed:
    """The result of parsing a column once per distinct value."""

    values: Sequence[Any]
    """Parsed value of each distinct text (``None`` where parsing failed)."""

    indices: pa.Array
    """Per row, the index of its distinct text (null for empty cells)."""

    errors: Mapping[int, str]
    """Distinct-value index → reason, for the texts that failed."""

    def take(self, values: pa.Array) -> pa.Array:
        """Spread one typed value per distinct text back over the rows."""
        return values.take(self.indices)

    def failed_rows(self) -> dict[int, str]:
        """Row → reason for the rows whose text failed."""
        if not self.errors:
            return {}
        failed = pc.is_in(self.indices, value_set=pa.array(list(self.errors), pa.int32()))
        rows = np.flatnonzero(np.asarray(pc.fill_null(failed, False)))
        codes = self.indices.take(pa.array(rows)).to_pylist()
        return {int(r): self.errors[c] for r, c in zip(rows.tolist(), codes, strict=True)}


def parse_distinct(array: pa.Array, parse: Callable[[str], Any]) -> Parsed:
    """Apply ``parse`` to each distinct non-null text of ``array`` once."""
    encoded = pc.dictionary_encode(array)
    values: list[Any] = []
    errors: dict[int, str] = {}
    for i, text in enumerate(encoded.dictionary.to_pylist()):
        try:
            values.append(parse(text))
        except ValueTypeError as exc:
            values.append(None)
            errors[i] = str(exc)
    return Parsed(values, encoded.indices.cast(pa.int32()), errors)


__all__ = [
    "ADDRESS_COLUMNS",
    "DEFAULT_SPLIT",
    "LIST_SEPARATOR",
    "MAX_AMOUNT",
    "MONEY_UNITS",
    "Parsed",
    "ScalarParser",
    "Semantic",
    "SetBy",
    "as_text",
    "check_phone",
    "check_uscc",
    "clean_adcode",
    "clean_text",
    "column_kind",
    "derives_adcode",
    "fold_strip",
    "fold_width_array",
    "parse_constant",
    "parse_distinct",
    "semantic_of",
    "vocab_index",
]
