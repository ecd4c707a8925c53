"""Apache Spark: the scale-out engine (``spark://local[2]`` or a cluster master URL).

Persistent tables are Parquet folders under the engine's data directory, one version folder
per write (``<table>/v000007/``), and one catalog for the directory (``_CATALOG.json``, see
:mod:`smokewatch.engine._catalog`) naming the published version of every table. A write goes
to ``.staging/`` first and is published by one atomic catalog replacement, so readers never
see a half-written table, the tables of one ``replace_tables`` flip together, and a crash
leaves every table at its previous version.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyarrow as pa
import pyarrow.parquet as pq

from smokewatch.engine import _catalog
from smokewatch.engine._common import (
    check_name,
    check_required,
    engine_errors,
    guarded,
    normalise_arrow,
)
from smokewatch.engine.base import BatchFn, Capability
from smokewatch.engine.sql import CompiledSql
from smokewatch.errors import MissingExtra

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.settings import EngineSettings


class SparkEngine:
    """Spark through ibis's PySpark backend; Python steps run as ``mapInArrow``."""

    name = "spark"
    dialect = "spark"
    capabilities = frozenset({Capability.REGEX, Capability.DISTRIBUTED})

    def __init__(self, master: str, data_dir: Path, settings: EngineSettings) -> None:
        try:
            import ibis  # noqa: PLC0415
            from pyspark.sql import SparkSession  # noqa: PLC0415
        except ImportError as exc:
            raise MissingExtra("the Spark engine", "spark") from exc
        self.url = f"spark://{master}"
        self._data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        # Python workers must run the interpreter that has smokewatch installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        builder = (
            SparkSession.builder.master(master)
            .appName("smokewatch")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", str(settings.spark_shuffle_partitions))
            .config("spark.driver.memory", settings.spark_driver_memory)
            .config("spark.sql.warehouse.dir", str(data_dir / "_spark_warehouse"))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        )
        if master.startswith("local"):
            # Offline machines: never try to resolve the host name.
            builder = builder.config("spark.driver.host", "127.0.0.1").config(
                "spark.driver.bindAddress", "127.0.0.1"
            )
        with engine_errors(self.name, "connect"):
            self._session = builder.getOrCreate()
            self._session.sparkContext.setLogLevel("ERROR")
            self._con = ibis.pyspark.connect(self._session)
        self._counter = itertools.count()
        self._session_tables: set[str] = set()
        self._exposed: set[str] = set()
        self._claims: dict[Path, int] = {}
        with engine_errors(self.name, "open catalog"):
            _catalog.migrate(data_dir)
            _catalog.sweep(data_dir)  # versions left by writers that died mid-write
        for name in sorted(_catalog.read(data_dir)):
            self._expose(name)

    # -- storage -------------------------------------------------------------------------

    def _current(self, name: str) -> Path | None:
        version = _catalog.read(self._data_dir).get(name)
        return None if version is None else self._data_dir / name / version

    def _expose(self, name: str) -> None:
        path = self._current(name)
        if path is not None:
            self._session.read.parquet(str(path)).createOrReplaceTempView(name)
            self._exposed.add(name)

    def _write_version(self, name: str, data: pa.Table | ir.Table) -> Path:
        """Write ``data`` into a staging folder of its own; :meth:`_publish` moves it in place.

        Staging (``.staging/<table>/<random>/``, see :func:`_catalog.stage`) rather than the
        table's folder: the clean-up after a flip removes every unpublished version folder of
        the table, and must not take one that a writer in another process is still writing.
        The staged folder is claimed (a file lock) until :meth:`_discard`, so that the sweep at
        the next open removes it only if this process died. A failed write raises
        :class:`EngineError` (step ``write <name>``) and removes what it had written.
        """
        step = f"write {name}"
        with engine_errors(self.name, step):
            target, claim = _catalog.stage(self._data_dir, name)
        self._claims[target] = claim
        try:
            if isinstance(data, pa.Table):
                with engine_errors(self.name, step):
                    target.mkdir(parents=True)
                    pq.write_table(data, target / "part-00000.parquet")
            else:
                sql = str(self._con.compile(data))
                with engine_errors(self.name, step, sql):
                    self._session.sql(sql).write.mode("error").parquet(str(target))
        except BaseException:
            self._discard(target)
            raise
        return target

    def _discard(self, staged: Path) -> None:
        """Remove a staged version (a no-op once it is published: it was moved), free its claim."""
        _catalog.unstage(staged, self._claims.pop(staged, None))

    def _publish(self, staged: Mapping[str, Path], *, only_new: bool = False) -> None:
        """Flip the staged versions in one catalog write (:func:`_catalog.publish`), expose them."""
        with engine_errors(self.name, f"publish {', '.join(staged)}"):
            published = _catalog.publish(self._data_dir, staged, only_new=only_new)
            for name in published:
                self._expose(name)

    # -- protocol ------------------------------------------------------------------------

    def version(self) -> str:
        """Spark version of the running session."""
        return str(self._session.version)

    def list_tables(self) -> list[str]:
        """Persistent tables and session views."""
        return sorted(set(_catalog.read(self._data_dir)) | self._session_tables)

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
        if self._current(name) is not None:
            return
        staged = self._write_version(name, schema.empty_table())
        try:
            self._publish({name: staged}, only_new=True)
        finally:
            self._discard(staged)  # still staged if another writer created the table first

    def register(self, name: str, data: pa.Table) -> ir.Table:
        """Expose Arrow data as a session view; nulls its schema forbids are refused."""
        check_name(name)
        check_required(self.name, name, data, step=f"register {name}")
        with engine_errors(self.name, f"register {name}"):
            if data.num_rows == 0:
                # createDataFrame cannot infer anything from an empty (chunkless) table.
                from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415

                frame = self._session.createDataFrame([], schema=from_arrow_schema(data.schema))
            else:
                # PySpark 4.0 sends the table as an Arrow stream and stops reading at the first
                # empty batch: every row after an empty chunk would be silently lost.
                batches = [b for b in data.to_batches() if b.num_rows]
                frame = self._session.createDataFrame(
                    pa.Table.from_batches(batches, schema=data.schema)
                )
            frame.createOrReplaceTempView(name)
        self._session_tables.add(name)
        return self.table(name)

    def replace_tables(self, tables: Mapping[str, pa.Table | ir.Table]) -> None:
        """Write new versions of every table first, then flip them all in one catalog write.

        If any write or the flip fails, the versions already written are removed again and
        the catalog does not change: every table keeps its previous contents.
        """
        for name, data in tables.items():
            check_name(name)
            if isinstance(data, pa.Table):
                check_required(self.name, name, data)
        written: dict[str, Path] = {}
        try:
            for name, data in tables.items():
                written[name] = self._write_version(name, data)
            self._publish(written)
        finally:
            for staged in written.values():
                self._discard(staged)  # a no-op for the versions published

    def sql(self, query: CompiledSql) -> ir.Table:
        """An ibis expression over a compiled query."""
        return guarded(self.name, query.step, lambda: self._con.sql(query.sql), query.sql)

    def compile(self, expr: ir.Table) -> str:
        """SQL of an expression in Spark's dialect."""
        return str(self._con.compile(expr))

    def create_view(self, name: str, expr: ir.Table) -> ir.Table:
        """A temporary view over an expression."""
        check_name(name)
        sql = self.compile(expr)
        with engine_errors(self.name, f"view {name}", sql):
            self._session.sql(sql).createOrReplaceTempView(name)
        self._session_tables.add(name)
        return self.table(name)

    def materialise(self, name: str, expr: ir.Table) -> ir.Table:
        """A session view over a local checkpoint of ``expr`` (computed now, plan cut)."""
        check_name(name)
        sql = self.compile(expr)
        with engine_errors(self.name, f"materialise {name}", sql):
            frame: Any = self._session.sql(sql)
            frame.localCheckpoint(eager=True).createOrReplaceTempView(name)
        self._session_tables.add(name)
        return self.table(name)

    def to_arrow(self, expr: ir.Table, *, step: str = "query") -> pa.Table:
        """Execute and fetch as Arrow."""
        return normalise_arrow(guarded(self.name, step, lambda: self._con.to_pyarrow(expr)))

    def count(self, expr: ir.Table, *, step: str = "count") -> int:
        """Row count of an expression."""
        return int(guarded(self.name, step, lambda: self._con.execute(expr.count())))

    def map_batches(self, expr: ir.Table, fn: BatchFn, schema: pa.Schema, *, name: str) -> ir.Table:
        """Run ``fn`` on the executors with ``mapInArrow``; the result is checkpointed."""
        from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415

        check_name(name)
        _ship_by_value(fn)
        sql = str(self._con.compile(expr))
        with engine_errors(self.name, f"map_batches {name}", sql):
            frame: Any = self._session.sql(sql).mapInArrow(
                cast("Any", fn), from_arrow_schema(schema)
            )
            frame.localCheckpoint(eager=True).createOrReplaceTempView(name)
        self._session_tables.add(name)
        return self.table(name)

    def drop_table(self, name: str) -> None:
        """Drop a session view, or else a persistent table with all its versions."""
        check_name(name)
        self._session.catalog.dropTempView(name)
        if name in self._session_tables:
            # A session table may shadow a persistent one of the same name: only the session
            # table goes, and the persistent table becomes visible again.
            self._session_tables.discard(name)
            self._expose(name)
            return
        self._exposed.discard(name)
        with engine_errors(self.name, f"drop {name}"):
            _catalog.drop(self._data_dir, name)

    def close(self) -> None:
        """Drop this engine's views; the Spark session itself is shared per process."""
        for name in self._session_tables | self._exposed:
            self._session.catalog.dropTempView(name)
        self._session_tables.clear()
        self._exposed.clear()


def _ship_by_value(fn: BatchFn) -> None:
    """Modules loaded from a rule folder are not importable on executors: pickle them by value.

    Such modules carry ``__smokewatch_by_value__ = True`` (set by the rule loader).
    """
    target = fn.func if isinstance(fn, functools.partial) else fn
    module = sys.modules.get(getattr(target, "__module__", "") or "")
    if module is not None and getattr(module, "__smokewatch_by_value__", False):
        from pyspark import cloudpickle  # noqa: PLC0415

        register: Any = cloudpickle.register_pickle_by_value
        register(module)


__all__ = ["SparkEngine"]
