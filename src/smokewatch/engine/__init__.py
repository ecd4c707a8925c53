"""Analytic engines behind one narrow protocol: DuckDB (default) and Spark (scale-out).

Everything the analytic pipeline does to a database or cluster goes through
:class:`~smokewatch.engine.base.Engine`; :func:`~smokewatch.engine.connect.connect` turns a
URL into one.
"""

from __future__ import annotations

from smokewatch.engine.base import BatchFn, Capability, Engine
from smokewatch.engine.connect import connect
from smokewatch.engine.sql import CompiledSql

__all__ = ["BatchFn", "Capability", "CompiledSql", "Engine", "connect"]
