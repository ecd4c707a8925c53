"""Turn an engine URL into an :class:`~smokewatch.engine.base.Engine`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from smokewatch.errors import InvalidInput

if TYPE_CHECKING:
    from smokewatch.engine.base import Engine
    from smokewatch.settings import EngineSettings

SUPPORTED = "duckdb:///path/file.duckdb, duckdb://:memory:, spark://local[N] or spark://host:port"


def connect(url: str, settings: EngineSettings, *, data_dir: Path | None = None) -> Engine:
    """Open the engine named by ``url``.

    ``data_dir`` is where Spark keeps its Parquet tables (a workspace passes its
    ``warehouse/`` folder); DuckDB keeps everything in the file named by the URL.

    Examples:
        >>> from smokewatch.settings import EngineSettings
        >>> engine = connect("duckdb://:memory:", EngineSettings())
        >>> engine.name, engine.dialect
        ('duckdb', 'duckdb')
        >>> engine.close()
    """
    if url.startswith("duckdb://"):
        from smokewatch.engine.duckdb import DuckDBEngine  # noqa: PLC0415

        rest = url.removeprefix("duckdb://")
        if rest in {"", ":memory:", "/:memory:"}:
            return DuckDBEngine(None, settings)
        if not rest.startswith("/"):
            raise InvalidInput(f"DuckDB URLs need an absolute path (duckdb:///abs/path): {url!r}")
        return DuckDBEngine(Path(rest[1:] if rest.startswith("//") else rest), settings)
    if url.startswith("spark://"):
        from smokewatch.engine.spark import SparkEngine  # noqa: PLC0415

        master = url.removeprefix("spark://")
        if not master:
            raise InvalidInput(f"Spark URL needs a master, e.g. spark://local[2]: {url!r}")
        if not master.startswith("local"):
            master = f"spark://{master}"
        if data_dir is None:
            raise InvalidInput("the Spark engine needs a data directory for its tables")
        return SparkEngine(master, data_dir, settings)
    raise InvalidInput(f"unsupported engine URL {url!r}; use {SUPPORTED}")


__all__ = ["SUPPORTED", "connect"]
