"""Resolution records: what the matcher compares, computed once per input record.

:func:`prepare_records` turns enterprise-shaped rows (``id``, ``name``, ``uscc``,
``legal_representative``, ``phone``, ``registered_address``, ``adcode``) into the columns of
:data:`RECORD_SCHEMA`: the name read into its parts, the deterministic keys, and the place.
Values that do not parse (a USCC with a wrong check character, a phone that is no phone) become
null, so a bad identifier never links two records. It works on one Arrow batch at a time, so an
engine can run it as a Python step (``Engine.map_batches``) on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa

from smokewatch.model.types import ValueTypeError, normalise_text
from smokewatch.resolve.keys import Key, address_key, phone_key, uscc_key
from smokewatch.resolve.names import clean_name, parse_org_name

INPUT_COLUMNS = ("id", "name", "uscc", "legal_representative", "phone", "registered_address")
"""Columns read from the input (``adcode`` too, when present)."""

RECORD_SCHEMA = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("name_key", pa.string()),
        pa.field("trade_name", pa.string()),
        pa.field("industry", pa.string()),
        pa.field("form", pa.string()),
        pa.field("branch", pa.string()),
        pa.field("region_code", pa.string()),
        pa.field("city", pa.string()),
        pa.field("uscc", pa.string()),
        pa.field("legal_rep", pa.string()),
        pa.field("phone", pa.string()),
        pa.field("address_key", pa.string()),
    ]
)


def _key(fn: Callable[[str], Key], raw: Any) -> str | None:
    if raw is None or not str(raw).strip():
        return None
    try:
        return fn(str(raw)).value
    except ValueTypeError:
        return None


def _place(adcode: Any, region_code: str | None) -> tuple[str | None, str | None]:
    """The most specific known division code and its city (first four digits)."""
    code = str(adcode)[:6] if adcode else region_code
    if not code:
        return None, None
    city = code[:4] if code[2:4] != "00" else None
    return code, city


def prepare_row(row: dict[str, Any]) -> dict[str, Any]:
    """One input row (a mapping of :data:`INPUT_COLUMNS`) as a resolution record."""
    name = parse_org_name(row.get("name"))
    code, city = _place(row.get("adcode"), name.region_code)
    legal_rep = clean_name(row.get("legal_representative")) or None
    return {
        "record_id": str(row["id"]),
        "name": normalise_text(row.get("name") or "") or None,
        "name_key": name.key if name.trade_name else None,
        "trade_name": name.trade_name or None,
        "industry": "".join(name.industry) or None,
        "form": name.form,
        "branch": name.branch,
        "region_code": code,
        "city": city,
        "uscc": _key(uscc_key, row.get("uscc")),
        "legal_rep": legal_rep,
        "phone": _key(phone_key, row.get("phone")),
        "address_key": _key(address_key, row.get("registered_address")),
    }


def prepare_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A batch of input rows as a batch of :data:`RECORD_SCHEMA` (same row count and order)."""
    rows = [prepare_row(row) for row in batch.to_pylist()]
    return pa.RecordBatch.from_pylist(rows, schema=RECORD_SCHEMA)


def prepare_step(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """:func:`prepare_batch` as an engine Python step (``Engine.map_batches``)."""
    for batch in batches:
        yield prepare_batch(batch)


def prepare_records(table: pa.Table) -> pa.Table:
    """Every row of ``table`` as a resolution record (see the module docstring)."""
    missing = [c for c in ("id", "name") if c not in table.column_names]
    if missing:
        raise ValueTypeError(f"records need the columns id and name; missing {missing}")
    batches = [prepare_batch(b) for b in table.to_batches()]
    return pa.Table.from_batches(batches, schema=RECORD_SCHEMA)


__all__ = [
    "INPUT_COLUMNS",
    "RECORD_SCHEMA",
    "prepare_batch",
    "prepare_records",
    "prepare_row",
    "prepare_step",
]
