"""The ingest service: run sources through ingest, record runs and rejects in the store."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.ingest.runner import IngestResult, ingest_source
from smokewatch.ingest.spec import SourceSpec, discover_sources
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.services.runs import recorded_run
from smokewatch.services.workspace import open_engine, open_store, open_workspace
from smokewatch.settings import Settings
from smokewatch.store import repos


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one source's ingest run did."""

    run_id: str
    source_id: str
    table: str
    status: str
    file: str
    encoding: str | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_removed: int
    nulls_coerced: dict[str, int]
    duration_s: float


def list_sources(settings: Settings) -> list[SourceSpec]:
    """Sources defined in the workspace, by id."""
    workspace = open_workspace(settings)
    return [spec for _, spec in sorted(discover_sources(workspace.sources_dir).items())]


def reject_rows(source_id: str, result: IngestResult) -> list[dict[str, Any]]:
    """The rejects of an ingest result as store rows (``repos.add_rejects``) of ``source_id``."""
    rows = []
    for row in result.rejects.to_pylist():
        raw = row.get("raw")
        rows.append(
            {
                "source_id": source_id,
                "row_number": row["row_number"],
                "column": row.get("column"),
                "reason": row["reason"],
                "raw": json.loads(raw) if isinstance(raw, str) else raw,
            }
        )
    return rows


def ingest(
    settings: Settings,
    source_ids: Sequence[str] | None = None,
    *,
    file: Path | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[IngestSummary]:
    """Ingest the named sources (default: all of the workspace's), one recorded run each."""
    workspace = open_workspace(settings)
    specs = discover_sources(workspace.sources_dir)
    wanted = list(source_ids) if source_ids else sorted(specs)
    missing = [s for s in wanted if s not in specs]
    if missing:
        raise NotFound(
            f"unknown sources: {', '.join(missing)}; known: {', '.join(sorted(specs)) or 'none'}"
        )
    if file is not None and len(wanted) != 1:
        raise InvalidInput("--file needs exactly one source")
    summaries = []
    with open_store(settings) as store, open_engine(settings) as engine:
        engine_label = f"{engine.name} {engine.version()}"
        for source_id in wanted:
            spec = specs[source_id]
            inputs = {
                "file": str(file) if file else spec.location,
                "settings_digest": settings.digest(),
            }
            with recorded_run(
                store, "ingest", engine=engine_label, source_id=source_id, inputs=inputs
            ) as run:
                result = ingest_source(
                    engine,
                    spec,
                    file=file,
                    run_id=run.run_id,
                    now=datetime.now(UTC),
                    batch_size=settings.ingest.batch_size,
                    within_adcode=settings.jurisdiction.adcode,
                    progress=progress,
                )
                if result.status == "unchanged":
                    run.status = "unchanged"
                with store.unit_of_work() as session:
                    repos.add_rejects(session, run.run_id, reject_rows(source_id, result))
                run.stats = {
                    "file": str(result.file),
                    "content_hash": result.content_hash,
                    "encoding": result.encoding,
                    "rows_read": result.rows_read,
                    "rows_loaded": result.rows_loaded,
                    "rows_rejected": result.rows_rejected,
                    "rows_removed": result.rows_removed,
                    "nulls_coerced": dict(result.nulls_coerced),
                    "seconds": round(result.duration_s, 3),
                }
            summaries.append(
                IngestSummary(
                    run_id=run.run_id,
                    source_id=source_id,
                    table=spec.table,
                    status=result.status,
                    file=str(result.file),
                    encoding=result.encoding,
                    rows_read=result.rows_read,
                    rows_loaded=result.rows_loaded,
                    rows_rejected=result.rows_rejected,
                    rows_removed=result.rows_removed,
                    nulls_coerced=dict(result.nulls_coerced),
                    duration_s=result.duration_s,
                )
            )
    return summaries


__all__ = ["IngestSummary", "ingest", "list_sources", "reject_rows"]
