"""Bulk writes: chunked ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Values go through each column type's own bind processing on both backends (JSON encoding,
UTC timestamps), so a bulk write stores exactly what an ORM insert would. PostgreSQL's
``COPY`` runs on the session's own connection, inside the unit of work's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, Final, cast

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

CHUNK_SIZE: Final = 5_000
"""Rows per ``executemany`` call on SQLite."""

_STAGE: Final = "_sw_stage"
_ORDINAL: Final = "_sw_ordinal"

Row = Mapping[str, Any]


def insert(session: Session, table: sa.Table, columns: Sequence[str], rows: Iterable[Row]) -> int:
    """Insert ``rows`` (dicts with exactly ``columns``); returns how many."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _copy(connection, table, table.name, columns, rows)
    statement = sa.insert(table)
    return _executemany(connection, statement, rows, table=table, columns=columns)


def upsert(
    session: Session,
    table: sa.Table,
    columns: Sequence[str],
    rows: Iterable[Row],
    *,
    key: str,
    keep: Collection[str] = (),
) -> int:
    """Insert ``rows``, or update the stored row with the same ``key``; returns how many.

    On conflict every column except ``key`` and those in ``keep`` takes the new value. When
    ``rows`` repeats a key, the last row wins.
    """
    connection = session.connection()
    updated = [c for c in columns if c != key and c not in keep]
    if connection.dialect.name == "postgresql":
        return _copy_upsert(connection, table, columns, rows, key=key, updated=updated)
    statement = sqlite.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[key], set_={c: statement.excluded[c] for c in updated}
    )
    return _executemany(connection, statement, rows, table=table, columns=columns)


def _executemany(
    connection: Connection,
    statement: sa.Executable,
    rows: Iterable[Row],
    *,
    table: sa.Table | None = None,
    columns: Sequence[str] = (),
) -> int:
    """Chunked ``executemany``.

    With ``table`` and ``columns`` given, rows become positional tuples through the columns'
    own bind processors and go to the driver directly, several times faster than letting
    SQLAlchemy process a dict per row.
    """
    written = 0
    iterator = iter(rows)
    if table is None or not columns:
        while chunk := list(islice(iterator, CHUNK_SIZE)):
            connection.execute(statement, chunk)
            written += len(chunk)
        return written
    compiled = cast(
        "SQLCompiler",
        cast("sa.ClauseElement", statement).compile(
            dialect=connection.dialect, column_keys=list(columns)
        ),
    )
    order = list(compiled.positiontup or [])
    processors = dict(zip(columns, _processors(connection, table, columns), strict=True))
    sql = str(compiled)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        params = [tuple(_bind(processors[name], row[name]) for name in order) for row in chunk]
        connection.exec_driver_sql(sql, params)
        written += len(chunk)
    return written


def _bind(process: Callable[[Any], Any] | None, value: Any) -> Any:
    return process(value) if process is not None else value


def _processors(
    connection: Connection, table: sa.Table, columns: Sequence[str]
) -> list[Callable[[Any], Any] | None]:
    dialect = connection.dialect
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def _quoted(connection: Connection, names: Iterable[str]) -> str:
    quote = connection.dialect.identifier_preparer.quote
    return ", ".join(quote(name) for name in names)


def _copy(
    connection: Connection,
    table: sa.Table,
    target: str,
    columns: Sequence[str],
    rows: Iterable[Row],
) -> int:
    processors = _processors(connection, table, columns)
    sql = f"COPY {connection.dialect.identifier_preparer.quote(target)} "
    sql += f"({_quoted(connection, columns)}) FROM STDIN"
    driver: Any = connection.connection.driver_connection  # psycopg.Connection
    written = 0
    try:
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(_values(row, columns, processors))
                written += 1
    except connection.dialect.loaded_dbapi.Error as error:
        raise sa.exc.DBAPIError.instance(
            sql, None, error, connection.dialect.loaded_dbapi.Error
        ) from error
    return written


def _values(
    row: Row, columns: Sequence[str], processors: Sequence[Callable[[Any], Any] | None]
) -> Iterator[Any]:
    for name, process in zip(columns, processors, strict=True):
        value = row[name]
        yield process(value) if process is not None else value


def _copy_upsert(
    connection: Connection,
    table: sa.Table,
    columns: Sequence[str],
    rows: Iterable[Row],
    *,
    key: str,
    updated: Sequence[str],
) -> int:
    # COPY into a staging table (numbered in arrival order), then one INSERT ... SELECT that
    # keeps the last row per key, because ON CONFLICT cannot touch one row twice.
    quote = connection.dialect.identifier_preparer.quote
    target, stage, cols = quote(table.name), quote(_STAGE), _quoted(connection, columns)
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS SELECT {cols} FROM {target} WITH NO DATA"
    )
    connection.exec_driver_sql(
        f"ALTER TABLE {stage} ADD COLUMN {_ORDINAL} BIGINT GENERATED ALWAYS AS IDENTITY"
    )
    written = _copy(connection, table, _STAGE, columns, rows)
    assignments = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in updated)
    connection.exec_driver_sql(
        f"INSERT INTO {target} ({cols}) "
        f"SELECT DISTINCT ON ({quote(key)}) {cols} FROM {stage} "
        f"ORDER BY {quote(key)}, {_ORDINAL} DESC "
        f"ON CONFLICT ({quote(key)}) DO UPDATE SET {assignments}"
    )
    connection.exec_driver_sql(f"DROP TABLE {stage}")
    return written


__all__ = ["CHUNK_SIZE", "insert", "upsert"]
