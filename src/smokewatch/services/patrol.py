"""The patrol service: crawl a spec's sites, fix the evidence, compare, feed the documents.

One ``smokewatch patrol run`` is one recorded ingest run (source ``patrol_<id>``): the crawl
writes every visit's artefacts and a hash-chained manifest under ``evidence/``, seals it,
records the seal's hash with the run in the store, compares the pages with the patrol's
previous sealed run, and loads the pages' text into the ``document`` table. ``verify``
re-checks a run's chain, artefacts and the head hash the store holds.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from smokewatch import __version__
from smokewatch.errors import NotFound
from smokewatch.ingest.runner import ingest_source
from smokewatch.ingest.spec import load_source_spec
from smokewatch.patrol.changes import RunChanges, compare_runs, pages_of
from smokewatch.patrol.crawl import Crawler
from smokewatch.patrol.documents import (
    DOCUMENTS_FILE,
    FACTS_FILE,
    document_rows,
    document_source_spec,
    fact_rows,
    facts_source_spec,
    source_id,
)
from smokewatch.patrol.events import change_events
from smokewatch.patrol.evidence import (
    MANIFEST,
    ManifestWriter,
    ObjectStore,
    Verification,
    canonical,
    read_manifest,
    verify_run,
)
from smokewatch.patrol.fetch import Clock, Fetcher, HostThrottle, SystemClock
from smokewatch.patrol.fixation import visit_entry
from smokewatch.patrol.operator import Resolution, resolve_operators, site_facts
from smokewatch.patrol.render import ChromiumRenderer
from smokewatch.patrol.signing import check_signature, sign_run, write_signature
from smokewatch.patrol.spec import PATROL_DIR, PatrolSpec, list_patrol_ids, load_patrol_spec
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.services.blacklist import workspace_key
from smokewatch.services.ingest import reject_rows
from smokewatch.services.patrol_events import record_events, run_events
from smokewatch.services.patrol_operator import EngineRegister
from smokewatch.services.runs import recorded_run
from smokewatch.services.workspace import Workspace, open_engine, open_store, open_workspace
from smokewatch.settings import Settings
from smokewatch.store import repos

EVIDENCE_DIR = "evidence"


@dataclass(frozen=True, slots=True)
class PatrolRunSummary:
    """What one patrol run did."""

    run_id: str
    patrol_id: str
    manifest: Path
    head: str
    pages: int
    pages_ok: int
    pages_failed: int
    refused: int
    robots: int
    bytes: int
    rendered: int
    seconds: float
    changes: RunChanges
    documents: int
    documents_loaded: int
    documents_rejected: int
    facts: int = 0
    facts_loaded: int = 0
    facts_rejected: int = 0
    operators: tuple[Resolution, ...] = ()
    """Each site's operator, resolved against the register (or why not)."""
    events: int = 0
    """Change events recorded (new pages, raised rates, new guarantees, takedowns)."""
    events_on_entities: int = 0
    """Of those, the events on a resolved operator's timeline."""

    @property
    def pages_per_s(self) -> float:
        """Pages fetched per second of the run (including the politeness waits)."""
        return self.pages / self.seconds if self.seconds > 0 else 0.0


def _paths(workspace: Workspace) -> tuple[Path, ObjectStore]:
    evidence = workspace.root / EVIDENCE_DIR
    return evidence / "patrol", ObjectStore(evidence / "objects")


def run_patrol(
    settings: Settings,
    patrol_id: str,
    *,
    clock: Clock | None = None,
    now: Callable[[], datetime] | None = None,
    progress: Progress = NO_PROGRESS,
    render: bool = True,
    secret: bytes | None = None,
) -> PatrolRunSummary:
    """Run the patrol ``patrol/<patrol_id>.yml`` of the workspace (see the module docs).

    ``render=False`` skips the browser for sites with ``render: true`` (plain fetch only).
    ``secret`` signs the sealed manifest (default: the workspace key, ``secrets/pii.key``).
    """
    workspace = open_workspace(settings)
    secret = secret if secret is not None else workspace_key(workspace.root)
    spec = load_patrol_spec(workspace.root / PATROL_DIR, patrol_id)
    runs_dir, objects = _paths(workspace)
    patrol_runs = runs_dir / patrol_id
    now = now or (lambda: datetime.now(UTC))
    spec_ref = objects.put((workspace.root / PATROL_DIR / f"{patrol_id}.yml").read_bytes())
    inputs = {"patrol": patrol_id, "spec_sha256": spec_ref.sha256, "sites": len(spec.sites)}
    with (
        open_store(settings) as store,
        open_engine(settings) as engine,
        recorded_run(
            store,
            "patrol",
            engine=f"{engine.name} {engine.version()}",
            source_id=source_id(patrol_id),
            subject=f"patrol {patrol_id}",
            inputs=inputs,
        ) as run,
    ):
        started = time.perf_counter()
        sealed = _sealed_runs(patrol_runs)
        previous = patrol_runs / sealed[-1] if sealed else None
        writer = ManifestWriter(patrol_runs / run.run_id / MANIFEST)
        header = {"run_id": run.run_id, "spec_sha256": spec_ref.sha256}
        counts = _crawl(
            spec, writer, objects, header=header, clock=clock, now=now, progress=progress,
            render=render,
        )  # fmt: skip
        sealed_at = now()
        head = writer.close({"finished_at": sealed_at.isoformat()})
        signature = sign_run(secret, patrol_id, run.run_id, head)
        write_signature(writer.path.parent, signature)
        _record_sealed(patrol_runs, run.run_id, head)
        seconds = time.perf_counter() - started
        entries = list(read_manifest(writer.path))
        changes = compare_runs(
            pages_of(read_manifest(previous / MANIFEST)) if previous else {},
            pages_of(entries),
            objects,
            before_run=previous.name if previous else None,
            after_run=run.run_id,
        )
        operators = resolve_operators(
            spec, site_facts(spec, entries, objects), EngineRegister(engine)
        )
        loads = {
            "documents": (
                document_source_spec(spec), DOCUMENTS_FILE,
                document_rows(spec, run.run_id, entries, objects, operators), ("reference",),
            ),
            "facts": (
                facts_source_spec(spec), FACTS_FILE,
                fact_rows(spec, run.run_id, entries, objects, operators),
                ("page_url", "kind", "value"),
            ),
        }  # fmt: skip
        documents: dict[str, int] = {}
        for name, (source, file_name, rows, key) in loads.items():
            folder = _write_source(workspace, source, file_name, rows, key)
            result = ingest_source(
                engine,
                load_source_spec(folder / "source.yml"),
                file=None,
                run_id=run.run_id,
                now=now(),
                batch_size=settings.ingest.batch_size,
                within_adcode=settings.jurisdiction.adcode,
                progress=progress,
            )
            with store.unit_of_work() as session:
                repos.add_rejects(session, run.run_id, reject_rows(source["id"], result))
            documents |= {
                name: len(rows),
                f"{name}_loaded": result.rows_loaded,
                f"{name}_rejected": result.rows_rejected,
            }
        resolved = {name: r.as_evidence() for name, r in operators.items()}
        events = change_events(changes, objects, pages_of(entries).values())
        documents["events"] = len(events)
        documents["events_on_entities"] = record_events(
            store, run_id=run.run_id, patrol_id=patrol_id, source_id=source_id(patrol_id),
            events=events, operators=resolved, at=sealed_at,
        )  # fmt: skip
        run.stats = {
            **counts,
            **documents,
            "manifest": str(writer.path),
            "head": head,
            "signature": {k: signature[k] for k in ("algorithm", "key_id", "signature")},
            "seconds": round(seconds, 3),
            "changes": dict(changes.counts),
            "operators": resolved,
        }
    return PatrolRunSummary(
        run_id=run.run_id,
        patrol_id=patrol_id,
        manifest=writer.path,
        head=head,
        seconds=seconds,
        changes=changes,
        **counts,
        **documents,
        operators=tuple(operators.values()),
    )


def _crawl(
    spec: PatrolSpec,
    writer: ManifestWriter,
    objects: ObjectStore,
    *,
    header: dict[str, Any],
    clock: Clock | None,
    now: Callable[[], datetime],
    progress: Progress,
    render: bool,
) -> dict[str, int]:
    """Crawl, fixing every visit as it comes; returns the counts of the run's statistics."""
    mirrors = spec.mirrors
    fetcher = Fetcher(spec.fetch, HostThrottle(clock or SystemClock()), mirrors)
    renderer = (
        ChromiumRenderer(spec.render, user_agent=spec.fetch.user_agent)
        if render and any(site.render for site in spec.sites)
        else None
    )
    names = ("pages", "pages_ok", "pages_failed", "refused", "robots", "bytes", "rendered")
    counts = dict.fromkeys(names, 0)
    progress.start(f"patrol {spec.id}", sum(site.max_pages for site in spec.sites))
    try:
        browser = {"browser": renderer.start()} if renderer is not None else {}
        writer.append(
            {
                **header,
                "kind": "run",
                "patrol": spec.id,
                "user_agent": spec.fetch.user_agent,
                "smokewatch": __version__,
                "started_at": now().isoformat(),
                **({"mirrors": dict(mirrors.routes)} if mirrors.routes else {}),
                **browser,
            }
        )
        for visit in Crawler(spec, fetcher, now, renderer=renderer).crawl():
            writer.append(visit_entry(visit, objects))
            response = visit.response
            counts["bytes"] += len(response.body) if response else 0
            if visit.role == "page":
                counts["pages"] += 1
                ok = response is not None and response.ok and response.skipped is None
                counts["pages_ok" if ok else "pages_failed"] += 1
                rendered = visit.rendered is not None and visit.rendered.error is None
                counts["rendered"] += rendered
                progress.advance()
            else:
                counts[visit.role] += 1
    except BaseException:
        writer.abandon()
        raise
    finally:
        if renderer is not None:
            renderer.close()
    progress.finish()
    return counts


INDEX = "runs.jsonl"
"""Per patrol: its sealed runs in the order they finished (run id and head hash)."""


def _sealed_runs(patrol_runs: Path) -> list[str]:
    """Ids of the patrol's sealed runs, oldest first."""
    index = patrol_runs / INDEX
    if not index.is_file():
        return []
    return [str(e["run_id"]) for e in read_manifest(index)]


def _record_sealed(patrol_runs: Path, run_id: str, head: str) -> None:
    with (patrol_runs / INDEX).open("a", encoding="utf-8") as fh:
        fh.write(canonical({"run_id": run_id, "head": head}).decode("utf-8") + "\n")


def _write_source(
    workspace: Workspace,
    source: dict[str, Any],
    file_name: str,
    rows: list[dict[str, Any]],
    key: tuple[str, ...],
) -> Path:
    folder = workspace.sources_dir / str(source["id"])
    folder.mkdir(parents=True, exist_ok=True)
    header = "# Written by `smokewatch patrol run` (do not edit: the next run rewrites it).\n"
    body = yaml.safe_dump(source, allow_unicode=True, sort_keys=False)
    _atomic_write(folder / "source.yml", (header + body).encode("utf-8"))
    lines = b"".join(canonical(row) + b"\n" for row in _merged(folder / file_name, rows, key))
    _atomic_write(folder / file_name, lines)
    return folder


def _merged(path: Path, rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """Earlier rows of the patrol, with this run's rows replacing same-key ones."""
    merged: dict[tuple[str, ...], dict[str, Any]] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                merged[tuple(str(row[k]) for k in key)] = row
    merged.update((tuple(str(row[k]) for k in key), row) for row in rows)
    return [merged[k] for k in sorted(merged)]


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    Path(tmp).replace(path)


def _run_dir(workspace: Workspace, run_id: str) -> Path:
    runs_dir, _ = _paths(workspace)
    found = sorted(runs_dir.glob(f"*/{run_id}")) if runs_dir.is_dir() else []
    if not found:
        raise NotFound(f"no patrol run {run_id!r} under {runs_dir}")
    return found[0]


def verify_patrol_run(
    settings: Settings, run_id: str, *, secret: bytes | None = None
) -> Verification:
    """Verify a run's chain, artefacts, seal, the head the store holds, and its signature.

    ``secret`` is the workspace key the run was signed with (default: ``secrets/pii.key``).
    """
    workspace = open_workspace(settings)
    run_dir = _run_dir(workspace, run_id)
    with open_store(settings) as store, store.unit_of_work() as session:
        recorded = repos.get_run_or_raise(session, run_id)
        expected = (recorded.stats or {}).get("head")
    found = verify_run(
        run_dir, _paths(workspace)[1], expected_head=None if expected is None else str(expected)
    )
    problems = list(found.problems)
    if expected is None:
        problems.append("the store holds no head hash for this run (it did not finish)")
    secret = secret if secret is not None else workspace_key(workspace.root)
    problems.extend(check_signature(run_dir, secret, run_id=run_id, head=found.head))
    return Verification(
        found.run_dir, found.lines, found.artefacts, found.head, found.sealed, tuple(problems)
    )


def record_patrol_events(settings: Settings, run_id: str) -> list[dict[str, Any]]:
    """Record (again) the change events of a finished patrol run; returns the run's events.

    The events are derived from the sealed manifests and the operators the run resolved, and
    upserted by their stable ids: calling this twice, or after the run itself, changes nothing.
    """
    workspace = open_workspace(settings)
    run_dir = _run_dir(workspace, run_id)
    changes = patrol_changes(settings, run_id)
    _, objects = _paths(workspace)
    entries = list(read_manifest(run_dir / MANIFEST))
    events = change_events(changes, objects, pages_of(entries).values())
    at = datetime.fromisoformat(str(entries[-1]["finished_at"]))  # the seal: when it was fixed
    with open_store(settings) as store:
        with store.unit_of_work() as session:
            stats = dict(repos.get_run_or_raise(session, run_id).stats or {})
        record_events(
            store, run_id=run_id, patrol_id=run_dir.parent.name,
            source_id=source_id(run_dir.parent.name), events=events,
            operators=stats.get("operators") or {}, at=at,
        )  # fmt: skip
        with store.read_session() as session:
            return run_events(session, run_id)


def patrol_changes(settings: Settings, run_id: str, *, since: str | None = None) -> RunChanges:
    """Pages new, changed, gone or not reached in ``run_id`` compared with ``since``.

    ``since`` defaults to the same patrol's latest sealed run before ``run_id``.
    """
    workspace = open_workspace(settings)
    after = _run_dir(workspace, run_id)
    if since is not None:
        before: Path | None = _run_dir(workspace, since)
    else:
        sealed = _sealed_runs(after.parent)
        position = sealed.index(run_id) if run_id in sealed else len(sealed)
        before = after.parent / sealed[position - 1] if position > 0 else None
    _, objects = _paths(workspace)
    return compare_runs(
        pages_of(read_manifest(before / MANIFEST)) if before else {},
        pages_of(read_manifest(after / MANIFEST)),
        objects,
        before_run=before.name if before else None,
        after_run=run_id,
    )


@dataclass(frozen=True, slots=True)
class PatrolInfo:
    """A patrol spec of the workspace and its sealed runs."""

    patrol_id: str
    title: str
    sites: int
    runs: tuple[str, ...]
    """Sealed run ids, oldest first."""


def list_patrols(settings: Settings) -> list[PatrolInfo]:
    """The workspace's patrol specs with their sealed runs."""
    workspace = open_workspace(settings)
    runs_dir, _ = _paths(workspace)
    infos = []
    for patrol_id in list_patrol_ids(workspace.root / PATROL_DIR):
        spec = load_patrol_spec(workspace.root / PATROL_DIR, patrol_id)
        runs = tuple(_sealed_runs(runs_dir / patrol_id))
        infos.append(PatrolInfo(patrol_id, spec.title, len(spec.sites), runs))
    return infos


__all__ = [
    "EVIDENCE_DIR",
    "PatrolInfo",
    "PatrolRunSummary",
    "list_patrols",
    "patrol_changes",
    "record_patrol_events",
    "run_patrol",
    "verify_patrol_run",
]
