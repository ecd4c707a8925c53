"""DuckDB: the embedded default engine (a file per workspace, or in memory)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from smokewatch.engine._common import (
    check_name,
    check_required,
    engine_errors,
    guarded,
    normalise_arrow,
)
from smokewatch.engine.base import BatchFn, Capability
from smokewatch.engine.python_steps import PythonSteps, default_workers
from smokewatch.engine.sql import CompiledSql

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.settings import EngineSettings

_STAGING_PREFIX = "__sw_new_"
PYTHON_BATCH_ROWS = 8_192
"""Rows per batch handed to Python steps: small enough that a few tens of thousands of
candidate rows still spread over every worker."""


class DuckDBEngine:
    """The default engine: DuckDB through ibis, one connection per process."""

    name = "duckdb"
    dialect = "duckdb"
    capabilities = frozenset({Capability.REGEX, Capability.TRANSACTIONS})

    def __init__(self, path: Path | None, settings: EngineSettings) -> None:
        import ibis  # noqa: PLC0415 - keep import of the engine library lazy

        config: dict[str, Any] = {}
        if settings.memory_limit:
            config["memory_limit"] = settings.memory_limit
        if settings.threads:
            config["threads"] = settings.threads
        database = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.url = f"duckdb:///{database}" if path else "duckdb://:memory:"
        with engine_errors(self.name, "connect"):
            self._con = ibis.duckdb.connect(database=database, **config)
            self._raw = self._con.con
            self._raw.execute("SET TimeZone = 'UTC'")
        self._registered: dict[str, pa.Table] = {}
        self._counter = itertools.count()
        self._python = PythonSteps(settings.python_workers or default_workers())

    def version(self) -> str:
        """DuckDB library version."""
        import duckdb  # noqa: PLC0415

        return str(duckdb.__version__)

    def list_tables(self) -> list[str]:
        """Persistent tables and registered session tables."""
        return sorted(set(guarded(self.name, "list_tables", self._con.list_tables)))

    def has_table(self, name: str) -> bool:
        """Whether ``name`` exists."""
        return name in self.list_tables()

    def table(self, name: str) -> ir.Table:
        """An ibis expression over ``name``."""
        check_name(name)
        return guarded(self.name, f"table {name}", lambda: self._con.table(name))

    def ensure_table(self, name: str, schema: pa.Schema) -> None:
        """Create an empty table with ``schema`` unless it exists."""
        check_name(name)
        if self.has_table(name):
            return
        empty = schema.empty_table()
        with engine_errors(self.name, f"create {name}"):
            self._raw.register("__sw_empty", empty)
            try:
                self._raw.execute(
                    f'CREATE TABLE IF NOT EXISTS "{name}" AS SELECT * FROM __sw_empty'
                )
            finally:
                self._raw.unregister("__sw_empty")

    def register(self, name: str, data: pa.Table) -> ir.Table:
        """Expose Arrow data as a session view (zero copy); nulls its schema forbids are refused."""
        check_name(name)
        check_required(self.name, name, data, step=f"register {name}")
        with engine_errors(self.name, f"register {name}"):
            if name in self._registered:
                self._raw.unregister(name)
            self._raw.register(name, data)
            self._registered[name] = data
        return self.table(name)

    def replace_tables(self, tables: Mapping[str, pa.Table | ir.Table]) -> None:
        """Build every new table under a staging name, then swap all in one transaction."""
        for name, data in tables.items():
            check_name(name)
            if isinstance(data, pa.Table):
                check_required(self.name, name, data)
        staged: list[tuple[str, str]] = []
        try:
            for name, data in tables.items():
                stage = f"{_STAGING_PREFIX}{name}"
                self._create_as(stage, data, step=f"write {name}")
                staged.append((name, stage))
            with engine_errors(self.name, "swap tables"):
                self._raw.execute("BEGIN TRANSACTION")
                try:
                    for name, stage in staged:
                        self._raw.execute(f'DROP TABLE IF EXISTS "{name}"')
                        self._raw.execute(f'ALTER TABLE "{stage}" RENAME TO "{name}"')
                    self._raw.execute("COMMIT")
                except Exception:
                    self._raw.execute("ROLLBACK")
                    raise
        finally:
            for _, stage in staged:
                self._raw.execute(f'DROP TABLE IF EXISTS "{stage}"')

    def _create_as(self, target: str, data: pa.Table | ir.Table, *, step: str) -> None:
        """``CREATE TABLE target AS data``; failures name ``step`` (the table, not the stage)."""
        if isinstance(data, pa.Table):
            view = f"__sw_arrow_{next(self._counter)}"
            with engine_errors(self.name, step):
                self._raw.register(view, data)
                try:
                    self._raw.execute(f'CREATE OR REPLACE TABLE "{target}" AS SELECT * FROM {view}')
                finally:
                    self._raw.unregister(view)
            return
        sql = str(self._con.compile(data))
        with engine_errors(self.name, step, sql):
            self._raw.execute(f'CREATE OR REPLACE TABLE "{target}" AS {sql}')

    def sql(self, query: CompiledSql) -> ir.Table:
        """An ibis expression over a compiled query."""
        return guarded(self.name, query.step, lambda: self._con.sql(query.sql), query.sql)

    def compile(self, expr: ir.Table) -> str:
        """SQL of an expression in DuckDB's dialect."""
        return str(self._con.compile(expr))

    def create_view(self, name: str, expr: ir.Table) -> ir.Table:
        """A temporary view over an expression (never written to the database file)."""
        check_name(name)
        sql = self.compile(expr)
        with engine_errors(self.name, f"view {name}", sql):
            self._raw.execute(f'CREATE OR REPLACE TEMP VIEW "{name}" AS {sql}')
        return self.table(name)

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        """A temporary table holding the result of ``expr`` (never in the database file)."""
        check_name(name)
        sql = self.compile(expr)
        with engine_errors(self.name, f"materialise {name}", sql):
            self._raw.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {sql}')
        return self.table(name)

    def to_arrow(self, expr: ir.Table, *, step: str = "query") -> pa.Table:
        """Execute and fetch as Arrow."""
        return normalise_arrow(guarded(self.name, step, lambda: self._con.to_pyarrow(expr)))

    def count(self, expr: ir.Table, *, step: str = "count") -> int:
        """Row count of an expression."""
        return int(guarded(self.name, step, lambda: self._con.execute(expr.count())))

    def map_batches(self, expr: ir.Table, fn: BatchFn, schema: pa.Schema, *, name: str) -> ir.Table:
        """Stream ``expr`` through ``fn``; outputs are collected, then registered as ``name``.

        The input streams in batches; only the output is held in memory, which suits
        detectors (their output is far smaller than their input).
        """
        check_name(name)
        with engine_errors(self.name, f"map_batches {name}"):
            reader = self._con.to_pyarrow_batches(expr, chunk_size=PYTHON_BATCH_ROWS)
            try:
                out = [b for b in self._python.run(fn, iter(reader)) if b.num_rows]
            finally:
                reader.close()
            result = pa.Table.from_batches(out, schema=schema) if out else schema.empty_table()
        return self.register(name, result)

    def drop_table(self, name: str) -> None:
        """Drop a table or session view if present."""
        check_name(name)
        with engine_errors(self.name, f"drop {name}"):
            if name in self._registered:
                self._raw.unregister(name)
                del self._registered[name]
                return
            kind = self._raw.execute(
                "SELECT 'VIEW' FROM duckdb_views() WHERE view_name = ? "
                "UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE table_name = ?",
                [name, name],
            ).fetchone()
            if kind is not None:
                self._raw.execute(f'DROP {kind[0]} IF EXISTS "{name}"')

    def close(self) -> None:
        """Close the connection and stop Python workers."""
        self._python.close()
        self._registered.clear()
        self._con.disconnect()


__all__ = ["DuckDBEngine"]
