"""Large registry files for benchmarks, streamed in chunks with bounded memory.

The rows follow the demo city's distribution, plus a share of finance-flavoured rows
(restricted words in names or scopes, hollow capital, decoys) so the detectors have real
work. :func:`registry_source_yaml` gives the ``source.yml`` that ingests the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from smokewatch.demo.city import DEFAULT_AS_OF, bad_row_counts, corrupt_rows
from smokewatch.demo.files import CsvWriter, normalise_encoding
from smokewatch.demo.pools import load_pools
from smokewatch.demo.records import registry_schema
from smokewatch.demo.registry import RegistryGenerator
from smokewatch.demo.sources import registry_source_yaml
from smokewatch.demo.uscc import MAX_INDEX
from smokewatch.errors import InvalidInput

DEFAULT_FINANCE_SHARE = 0.045
"""Share of finance-flavoured rows; with the decoys this gives about 4 % restricted rows."""

FORMATS = ("csv", "parquet")


@dataclass(frozen=True, slots=True)
class RegistryFile:
    """What :func:`write_registry_file` wrote."""

    path: Path
    rows: int
    bytes: int
    fmt: str
    encoding: str | None
    bad_rows: Mapping[str, int]

    def source_yaml(self, source_id: str = "registry") -> str:
        """The ``source.yml`` that ingests this file (absolute location, same format)."""
        return registry_source_yaml(
            location=str(self.path.resolve()),
            fmt=self.fmt,
            encoding=self.encoding or "utf-8",
            source_id=source_id,
        )


def write_registry_file(
    path: Path | str,
    *,
    rows: int,
    seed: int,
    fmt: str = "csv",
    encoding: str = "utf-8",
    chunk_rows: int = 100_000,
    as_of: date = DEFAULT_AS_OF,
    finance_share: float = DEFAULT_FINANCE_SHARE,
    bad_row_rate: float = 0.0,
) -> RegistryFile:
    """Write a synthetic registry export of ``rows`` rows, ``chunk_rows`` at a time.

    Each chunk draws from its own random stream (seed, chunk number), so the file is a
    function of all arguments including ``chunk_rows``. USCCs are unique across the file
    (except deliberately duplicated bad rows); names may repeat, as they do across regions.

    Args:
        path: the file to write (parents are created).
        rows: number of data rows.
        seed: the only source of randomness.
        fmt: ``csv`` or ``parquet`` (text columns, one row group per chunk).
        encoding: CSV encoding (``utf-8``, ``utf-8-sig``, ``gb18030`` …).
        chunk_rows: rows generated and written at a time (bounds memory).
        as_of: evaluation date the dates are drawn around.
        finance_share: share of rows drawn from the finance profiles.
        bad_row_rate: share of deliberately bad rows per chunk.

    Raises:
        InvalidInput: bad format, encoding, or sizes.
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"registry files are {' or '.join(FORMATS)}, not {fmt!r}")
    if not 0 <= rows < MAX_INDEX or chunk_rows < 1:
        raise InvalidInput(f"rows must lie in [0, {MAX_INDEX}) and chunk_rows be positive")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    generator = RegistryGenerator(load_pools(), seed=seed, as_of=as_of)
    bad_total: dict[str, int] = {}
    codec = normalise_encoding(encoding) if fmt == "csv" else None
    with target.open("wb") as stream:
        csv_writer = CsvWriter(stream, codec) if codec else None
        parquet = None if csv_writer else pq.ParquetWriter(stream, registry_schema())
        for number, start in enumerate(range(0, rows, chunk_rows)):
            size = min(chunk_rows, rows - start)
            rng = np.random.default_rng([seed, number])
            table = generator.block(rng, size, start_index=start, finance_share=finance_share)
            counts = bad_row_counts(size, bad_row_rate)
            if any(counts.values()):
                table, bad = corrupt_rows(table, rng, counts, np.ones(size, dtype=np.bool_))
                for b in bad:
                    bad_total[b.kind] = bad_total.get(b.kind, 0) + 1
            if csv_writer is not None:
                csv_writer.write(table)
            elif parquet is not None:
                parquet.write_table(table)
        if csv_writer is not None and rows == 0:
            csv_writer.write(registry_schema().empty_table())
        if parquet is not None:
            parquet.close()
    return RegistryFile(
        path=target,
        rows=rows,
        bytes=target.stat().st_size,
        fmt=fmt,
        encoding=codec,
        bad_rows=bad_total,
    )


__all__ = ["DEFAULT_FINANCE_SHARE", "FORMATS", "RegistryFile", "write_registry_file"]
