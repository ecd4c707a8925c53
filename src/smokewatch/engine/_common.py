"""Helpers shared by the engine implementations."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pyarrow as pa

from smokewatch.errors import EngineError, InvalidInput, SmokewatchError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
T = TypeVar("T")


def check_name(name: str) -> str:
    """Table names are plain identifiers; anything else is refused before it reaches SQL."""
    if not _NAME.match(name):
        raise InvalidInput(f"not a valid table name: {name!r}")
    return name


@contextmanager
def engine_errors(engine: str, step: str, sql: str | None = None) -> Iterator[None]:
    """Re-raise backend failures as :class:`EngineError` with the step and the SQL."""
    try:
        yield
    except SmokewatchError:
        raise
    except Exception as exc:
        raise EngineError(
            f"{type(exc).__name__}: {exc}", engine=engine, step=step, sql=sql
        ) from exc


def guarded(engine: str, step: str, fn: Callable[[], T], sql: str | None = None) -> T:
    """Call ``fn`` inside :func:`engine_errors`."""
    with engine_errors(engine, step, sql):
        return fn()


def check_required(engine: str, name: str, data: pa.Table, *, step: str | None = None) -> None:
    """Refuse nulls in the columns ``data``'s schema declares non-nullable, before any write.

    DuckDB's ``CREATE TABLE AS`` over Arrow kept such rows while Spark's Parquet writer raised
    a bare ``ArrowInvalid`` (no step, and after the earlier tables of the replace had been
    written): the same call succeeded on one engine and failed on the other. Both engines now
    refuse it with the same :class:`EngineError` and keep the previous contents.

    ``register`` checks too (``step`` ``register <name>``): a session view whose rows break
    its own schema would pass the nulls on to whatever is computed from it. DuckDB's zero-copy
    view kept them; Spark refused them with a bare ``ValueError`` from its Arrow cast.
    """
    nulls = [
        f"{field.name} ({data.column(i).null_count} of {data.num_rows} rows)"
        for i, field in enumerate(data.schema)
        if not field.nullable and data.column(i).null_count
    ]
    if nulls:
        raise EngineError(
            f"nulls in non-nullable column(s) {', '.join(nulls)}",
            engine=engine,
            step=step or f"write {name}",
        )


def _normal_type(dtype: pa.DataType) -> pa.DataType:
    if pa.types.is_timestamp(dtype) and dtype.tz is None:
        # Spark returns session-time-zone (UTC) timestamps without a zone.
        return pa.timestamp(dtype.unit, tz="UTC")
    if pa.types.is_timestamp(dtype) and dtype.tz not in {"UTC", "Etc/UTC"}:
        return pa.timestamp(dtype.unit, tz="UTC")
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        return pa.list_(_normal_type(dtype.value_type))
    return dtype


def normalise_arrow(table: pa.Table) -> pa.Table:
    """One Arrow shape for every engine: UTC timestamps, ``item``-named list children."""
    schema = pa.schema([pa.field(f.name, _normal_type(f.type), f.nullable) for f in table.schema])
    return table if schema.equals(table.schema) else table.cast(schema)


__all__ = ["check_name", "check_required", "engine_errors", "guarded", "normalise_arrow"]
