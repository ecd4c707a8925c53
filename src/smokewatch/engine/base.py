"""The :class:`Engine` protocol: the only way the analytic pipeline touches an engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import pyarrow as pa

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.sql import CompiledSql

BatchFn = Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]
"""A Python step over Arrow batches. It must be picklable (a module-level function, or a
``functools.partial`` of one) because Spark ships it to its Python workers."""


class Capability(StrEnum):
    """Optional abilities an engine declares; rules that need one are checked at load."""

    REGEX = "regex"
    TRANSACTIONS = "transactions"
    DISTRIBUTED = "distributed"


@runtime_checkable
class Engine(Protocol):
    """An analytic engine: tables in, Arrow out, Python steps over Arrow batches."""

    name: str
    """``duckdb`` or ``spark``."""

    dialect: str
    """The sqlglot dialect rule SQL is transpiled to."""

    capabilities: frozenset[Capability]
    """What this engine can do beyond the common core."""

    url: str
    """The URL the engine was opened with (no secrets)."""

    def version(self) -> str:
        """Version of the underlying engine library."""
        ...

    def list_tables(self) -> list[str]:
        """Names of persistent tables and session tables."""
        ...

    def has_table(self, name: str) -> bool:
        """Whether a table or session table of this name exists."""
        ...

    def table(self, name: str) -> ir.Table:
        """An ibis expression over a table."""
        ...

    def ensure_table(self, name: str, schema: pa.Schema) -> None:
        """Create an empty persistent table with ``schema`` unless it exists."""
        ...

    def register(self, name: str, data: pa.Table) -> ir.Table:
        """Make Arrow data available as a session table (gone when the engine closes)."""
        ...

    def replace_tables(self, tables: Mapping[str, pa.Table | ir.Table]) -> None:
        """Replace persistent tables with new contents, all or nothing.

        Readers see either the old or the new contents of every table, never a mix within a
        table; a crash before the switch leaves the old contents intact.
        """
        ...

    def sql(self, query: CompiledSql) -> ir.Table:
        """An ibis expression over a compiled (bound, transpiled) SQL query."""
        ...

    def compile(self, expr: ir.Table) -> str:
        """The SQL of an expression in this engine's dialect (for logs and errors)."""
        ...

    def create_view(self, name: str, expr: ir.Table) -> ir.Table:
        """A session view (not materialised) over an expression, usable by name in SQL."""
        ...

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        """Compute an expression now into a session table ``name`` (dropped by ``drop_table``).

        For intermediate results that later queries read several times: the engine keeps the
        rows (DuckDB a temporary table, Spark a local checkpoint, memory and disk) instead of
        recomputing them at each reference.
        """
        ...

    def to_arrow(self, expr: ir.Table, *, step: str = "query") -> pa.Table:
        """Execute an expression and return its result as Arrow."""
        ...

    def count(self, expr: ir.Table, *, step: str = "count") -> int:
        """Number of rows of an expression."""
        ...

    def map_batches(self, expr: ir.Table, fn: BatchFn, schema: pa.Schema, *, name: str) -> ir.Table:
        """Run a Python step over the Arrow batches of ``expr``; the result is a session table.

        On DuckDB the step runs in this process; on Spark it runs on the executors
        (``mapInArrow``), so the same detector code scales out unchanged.
        """
        ...

    def drop_table(self, name: str) -> None:
        """Drop a persistent or session table if it exists."""
        ...

    def close(self) -> None:
        """Release connections and sessions."""
        ...


__all__ = ["BatchFn", "Capability", "Engine"]
