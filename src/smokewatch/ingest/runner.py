"""Ingest runs: one source file → its typed table, idempotent and atomic.

A run hashes the file; when the engine's ``_ingest_state`` table says the source last
loaded the same bytes with the same spec, nothing happens (status ``unchanged``). Otherwise
the file is streamed through the reader and the mapper, the good rows are staged in a
memory-mapped Arrow file (so a million rows do not sit in the process heap), duplicate ids
are settled (the last occurrence wins), and the new contents of the target table and of the
state table are handed to :meth:`Engine.replace_tables` in one call: readers see the old or
the new table, and a failure at any step leaves the old one in place.

Ingest never touches the operational store; the service layer records the returned
:class:`IngestResult` (run, counts, rejects).
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.errors import ConfigError, IngestRunFailed, InvalidInput, NotFound
from smokewatch.ingest.mapping import Mapper, MappingContext
from smokewatch.ingest.readers import ReadOptions, SourceFile, open_source_file, raw_rows
from smokewatch.ingest.rejects import REJECTS_SCHEMA, RowReject, rejects_table
from smokewatch.ingest.spec import SourceSpec
from smokewatch.ingest.values import derives_adcode
from smokewatch.logs import bind_run, get_logger
from smokewatch.text.address import get_address_resolver

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine
    from smokewatch.progress import Progress

STATE_TABLE = "_ingest_state"
"""Engine-side table that remembers, per source and table, what was last loaded."""

STATE_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("table", pa.string(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("config_hash", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("loaded_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)
"""Schema of :data:`STATE_TABLE` (``config_hash`` covers the spec and ``within_adcode``)."""

_HASH_CHUNK = 4 << 20
_log = get_logger("smokewatch.ingest")


class IngestStatus(StrEnum):
    """Outcome of a run."""

    LOADED = "loaded"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What a run did; the service layer stores it (run record, counts, rejects)."""

    run_id: str
    source_id: str
    table: str
    status: IngestStatus
    file: Path
    content_hash: str
    encoding: str | None
    rows_read: int
    """Data rows in the file (blank rows excluded)."""
    rows_loaded: int
    rows_rejected: int
    """Distinct rows rejected (a row may have several reasons in ``rejects``)."""
    rejects: pa.Table = field(repr=False)
    """``row_number, column, reason, raw`` (see :data:`REJECTS_SCHEMA`)."""
    nulls_coerced: Mapping[str, int]
    """Target column → values that failed their type and were stored as null."""
    rows_removed: int
    """Snapshot mode: rows of this source that the new file no longer has."""
    duration_s: float


@dataclass(slots=True)
class _Collected:
    """Running totals while the file streams through the mapper."""

    rows_read: int = 0
    rows_loaded: int = 0
    rejects: list[RowReject] = field(default_factory=list)
    nulls: dict[str, int] = field(default_factory=dict)
    ids: list[pa.Array] = field(default_factory=list)
    rows: list[pa.Array] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def ingest_source(
    engine: Engine,
    spec: SourceSpec,
    *,
    file: Path | None,
    run_id: str,
    now: datetime,
    batch_size: int,
    within_adcode: str | None,
    progress: Progress,
) -> IngestResult:
    """Load one source file into its typed table (see the module documentation).

    Raises :class:`NotFound` (no file), :class:`InvalidInput` (unreadable file, wrong
    header) and :class:`ConfigError` unchanged; any other failure becomes
    :class:`IngestRunFailed`, with the previous tables intact.
    """
    started = time.perf_counter()
    path = spec.resolve_file(file)
    with bind_run(run_id=run_id, source=spec.id, engine=engine.name):
        try:
            return _run(
                engine,
                spec,
                path=path,
                run_id=run_id,
                now=now,
                batch_size=batch_size,
                within_adcode=within_adcode,
                progress=progress,
                started=started,
            )
        except (InvalidInput, NotFound, ConfigError):
            raise
        except Exception as exc:  # run boundary: every other failure fails the run, chained
            _log.error("ingest_failed", error=f"{type(exc).__name__}: {exc}")
            raise IngestRunFailed(
                f"ingest run {run_id} of source {spec.id!r} failed ({type(exc).__name__}: {exc}); "
                f"table {spec.table!r} is unchanged"
            ) from exc


def _run(
    engine: Engine,
    spec: SourceSpec,
    *,
    path: Path,
    run_id: str,
    now: datetime,
    batch_size: int,
    within_adcode: str | None,
    progress: Progress,
    started: float,
) -> IngestResult:
    if not path.is_file():
        raise NotFound(f"source file not found: {path}")
    content_hash = file_sha256(path)
    config_hash = _config_hash(spec, within_adcode)
    engine.ensure_table(spec.table, spec.target.arrow_schema())
    engine.ensure_table(STATE_TABLE, STATE_SCHEMA)
    state = engine.to_arrow(engine.table(STATE_TABLE), step="read ingest state")
    result = partial(
        IngestResult, run_id, spec.id, spec.table, file=path, content_hash=content_hash
    )
    if _already_loaded(state, spec, content_hash, config_hash):
        _log.info("ingest_unchanged", content_hash=content_hash)
        return result(
            status=IngestStatus.UNCHANGED,
            encoding=None,
            rows_read=0,
            rows_loaded=0,
            rows_rejected=0,
            rejects=REJECTS_SCHEMA.empty_table(),
            nulls_coerced={},
            rows_removed=0,
            duration_s=time.perf_counter() - started,
        )
    resolver = get_address_resolver() if derives_adcode(spec.target) else None
    mapper = Mapper(spec, MappingContext(spec.id, run_id, now, within_adcode, resolver))
    options = ReadOptions(
        spec.format, spec.encoding, spec.delimiter, spec.sheet, spec.header_row, batch_size
    )
    source = open_source_file(path, options, columns=mapper.source_columns)
    new_state = _new_state(
        state, spec, content_hash=content_hash, config_hash=config_hash, run_id=run_id, now=now
    )
    collected, removed = _load(
        engine, spec, source=source, mapper=mapper, new_state=new_state, progress=progress
    )
    rejects = rejects_table(collected.rejects)
    rows_rejected = len(pc.unique(rejects.column("row_number"))) if rejects.num_rows else 0
    duration = time.perf_counter() - started
    _log.info("ingest_loaded", rows=collected.rows_read, rejected=rows_rejected, seconds=duration)
    return result(
        status=IngestStatus.LOADED,
        encoding=source.encoding,
        rows_read=collected.rows_read,
        rows_loaded=collected.rows_read - rows_rejected,
        rows_rejected=rows_rejected,
        rejects=rejects,
        nulls_coerced=dict(sorted(collected.nulls.items())),
        rows_removed=removed,
        duration_s=duration,
    )


def _load(
    engine: Engine,
    spec: SourceSpec,
    *,
    source: SourceFile,
    mapper: Mapper,
    new_state: pa.Table,
    progress: Progress,
) -> tuple[_Collected, int]:
    """Stage the file's rows, settle duplicates and switch both tables in one call."""
    # Session tables are named after the source, so runs of different sources never clash.
    tag = hashlib.sha1(spec.id.encode(), usedforsecurity=False).hexdigest()[:12]
    with ExitStack() as stack:
        staging = tempfile.TemporaryDirectory(prefix="sw-ingest-", ignore_cleanup_errors=True)
        folder = Path(stack.enter_context(staging))
        staged, collected = _stage(source, mapper, folder / "rows.arrow", progress)
        superseded = _superseded(collected)
        collected.rejects.extend(_duplicate_rejects(source, superseded))
        fresh = stack.enter_context(_registered(engine, f"_sw_stage_{tag}", staged))
        if superseded:
            rows = pa.table({"source_row": pa.array(list(superseded), pa.int64())})
            dup = stack.enter_context(_registered(engine, f"_sw_superseded_{tag}", rows))
            fresh = fresh.anti_join(dup, fresh.source_row == dup.source_row)
        new_table, removed = _new_table(engine, spec, fresh)
        engine.replace_tables({spec.table: new_table, STATE_TABLE: new_state})
    return collected, removed


def _config_hash(spec: SourceSpec, within_adcode: str | None) -> str:
    return hashlib.sha256(f"{spec.config_hash()}|{within_adcode or ''}".encode()).hexdigest()


def _already_loaded(state: pa.Table, spec: SourceSpec, content_hash: str, config_hash: str) -> bool:
    for row in state.to_pylist():
        if row["source"] == spec.id and row["table"] == spec.table:
            return bool(row["content_hash"] == content_hash and row["config_hash"] == config_hash)
    return False


def _stage(
    source: SourceFile, mapper: Mapper, path: Path, progress: Progress
) -> tuple[pa.Table, _Collected]:
    """Map every batch, write the good rows to an Arrow file and map it back into memory."""
    collected = _Collected()
    schema = mapper.target_schema
    progress.start(f"ingest {source.path.name}")
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for raw in source.batches():
            mapped = mapper.map(raw)
            read = raw.data.num_rows + len({r.row_number for r in raw.rejects})
            collected.rows_read += read
            collected.rejects.extend(mapped.rejects)
            for name, count in mapped.nulls_coerced.items():
                collected.nulls[name] = collected.nulls.get(name, 0) + count
            if mapped.rows.num_rows:
                writer.write_batch(mapped.rows)
                collected.ids.append(mapped.rows.column("id"))
                collected.rows.append(mapped.rows.column("source_row"))
            progress.advance(read)
    progress.finish()
    staged = pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()
    if staged.num_rows == 0:
        staged = schema.empty_table()  # one empty chunk per column: Spark refuses none
    return staged, collected


def _superseded(collected: _Collected) -> dict[int, int]:
    """Row → the later row with the same id that replaces it."""
    if not collected.ids:
        return {}
    keys = pa.table(
        {
            "id": pa.chunked_array(collected.ids, pa.string()),
            "row": pa.chunked_array(collected.rows, pa.int64()),
        }
    )
    counts = keys.group_by("id").aggregate([("row", "max"), ("row", "count")])
    repeated = counts.filter(pc.greater(counts.column("row_count"), 1))
    if repeated.num_rows == 0:
        return {}
    last = dict(
        zip(repeated.column("id").to_pylist(), repeated.column("row_max").to_pylist(), strict=True)
    )
    dupes = keys.filter(pc.is_in(keys.column("id"), value_set=repeated.column("id")))
    return {
        row: last[key]
        for key, row in zip(
            dupes.column("id").to_pylist(), dupes.column("row").to_pylist(), strict=True
        )
        if row != last[key]
    }


def _duplicate_rejects(source: SourceFile, superseded: Mapping[int, int]) -> list[RowReject]:
    raws = raw_rows(source, superseded)
    return [
        RowReject(row, None, f"duplicate key, superseded by row {later}", raws.get(row, "{}"))
        for row, later in sorted(superseded.items())
    ]


@contextmanager
def _registered(engine: Engine, name: str, data: pa.Table) -> Iterator[ir.Table]:
    table = engine.register(name, data)
    try:
        yield table
    finally:
        engine.drop_table(name)


def _new_table(engine: Engine, spec: SourceSpec, fresh: ir.Table) -> tuple[ir.Table, int]:
    """The table's next contents and the number of this source's rows it drops."""
    names = spec.target.column_names
    existing = engine.table(spec.table)
    mine = existing.filter(existing.source == spec.id)
    others = existing.filter(existing.source != spec.id)
    previous = mine.select(_prev_id=mine.id, _prev_first_seen=mine.first_seen)
    joined = fresh.left_join(previous, fresh.id == previous._prev_id)
    carried = joined.select(
        *[
            ibis.coalesce(joined._prev_first_seen, joined.first_seen).name(n)
            if n == "first_seen"
            else joined[n]
            for n in names
        ]
    )
    vanished = mine.anti_join(fresh, mine.id == fresh.id)
    parts = [others.select(*names)]
    removed = 0
    if spec.mode == "upsert":
        parts.append(vanished.select(*names))
    else:
        removed = engine.count(vanished, step="count removed rows")
    parts.append(carried)
    return ibis.union(*parts, distinct=False), removed


def _new_state(
    state: pa.Table,
    spec: SourceSpec,
    *,
    content_hash: str,
    config_hash: str,
    run_id: str,
    now: datetime,
) -> pa.Table:
    rows = [
        r for r in state.to_pylist() if not (r["source"] == spec.id and r["table"] == spec.table)
    ]
    rows.append(
        {
            "source": spec.id,
            "table": spec.table,
            "content_hash": content_hash,
            "config_hash": config_hash,
            "run_id": run_id,
            "loaded_at": now,
        }
    )
    return pa.Table.from_pylist(rows, schema=STATE_SCHEMA)


__all__ = [
    "STATE_SCHEMA",
    "STATE_TABLE",
    "IngestResult",
    "IngestStatus",
    "file_sha256",
    "ingest_source",
]
