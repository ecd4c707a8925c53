"""``smokewatch ingest``, ``detect``, ``findings``, ``runs`` and ``sources``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smokewatch.cli.render import key_values, print_json, progress_bars, table
from smokewatch.cli.state import CliState, WorkspaceOption

if TYPE_CHECKING:
    from smokewatch.store.db import Store

findings_app = typer.Typer(help="Browse findings of detect runs.", no_args_is_help=True)
runs_app = typer.Typer(
    help="Runs: what ran, on what data, with what outcome.", no_args_is_help=True
)
sources_app = typer.Typer(help="Data sources of the workspace.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="JSON output for scripts.")]


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.obj
    return state


@contextmanager
def _store(ctx: typer.Context, workspace: Path | None) -> Iterator[Store]:
    from smokewatch.services.workspace import open_store, open_workspace

    settings = _state(ctx).settings(workspace)
    open_workspace(settings)
    with open_store(settings) as store:
        yield store


def ingest(
    ctx: typer.Context,
    sources: Annotated[list[str] | None, typer.Argument(help="Source ids (default: all).")] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="Read this file instead of the source's location."),
    ] = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Load source files into typed tables; bad rows go to the rejects with their reasons."""
    from smokewatch.services import ingest as ingest_service

    state = _state(ctx)
    with progress_bars(state.progress) as progress:
        summaries = ingest_service.ingest(
            state.settings(workspace), sources, file=file, progress=progress
        )
    if as_json:
        print_json([vars_of(s) for s in summaries])
        return
    table(
        "Ingest",
        [
            "source",
            "table",
            "status",
            "read",
            "loaded",
            "rejected",
            "removed",
            "encoding",
            "seconds",
            "run",
        ],
        [
            (
                s.source_id,
                s.table,
                s.status,
                s.rows_read,
                s.rows_loaded,
                s.rows_rejected,
                s.rows_removed,
                s.encoding or "",
                f"{s.duration_s:.1f}",
                s.run_id,
            )
            for s in summaries
        ],
        caption="`smokewatch runs show RUN` lists the rejected rows and their reasons",
    )


def vars_of(obj: object) -> dict[str, object]:
    """A slotted dataclass as a dict."""
    return {name: getattr(obj, name) for name in getattr(obj, "__slots__", ())}


def detect(
    ctx: typer.Context,
    rules: Annotated[
        list[str] | None, typer.Option("--rule", "-r", help="Run only these rules.")
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="Evaluation date (default today)."),
    ] = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Run the rules on the workspace's data and store the findings."""
    from smokewatch.services import detect as detect_service

    state = _state(ctx)
    day: date | None = as_of.date() if as_of else None
    with progress_bars(state.progress) as progress:
        summary = detect_service.detect(
            state.settings(workspace), rule_ids=rules, as_of=day, progress=progress
        )
    if as_json:
        payload = vars_of(summary)
        payload["outcomes"] = [vars_of(o) for o in summary.outcomes]
        print_json(payload)
        return
    table(
        f"Detect run {summary.run_id} · as of {summary.as_of} · {summary.engine}",
        ["rule", "status", "findings", "bands", "seconds"],
        [
            (
                f"{o.rule_id}@{o.version}",
                o.status,
                o.findings,
                ", ".join(f"{k}={v}" for k, v in o.bands.items()),
                f"{o.duration_s:.2f}",
            )
            for o in summary.outcomes
        ],
        caption=f"{summary.findings} findings · `smokewatch findings list` to browse them",
    )


@findings_app.command("list")
def list_findings(
    ctx: typer.Context,
    rule: Annotated[str | None, typer.Option("--rule", "-r", help="Only this rule id.")] = None,
    band: Annotated[str | None, typer.Option("--band", help="Only this band.")] = None,
    severity: Annotated[
        str | None, typer.Option("--severity", help="low|medium|high|critical.")
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Only this entity id.")] = None,
    run: Annotated[
        str | None, typer.Option("--run", help="Findings of this run (default: latest).")
    ] = None,
    shadow: Annotated[bool, typer.Option("--shadow", help="Include shadow findings.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10000)] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    lang: Annotated[str, typer.Option("--lang", help="zh or en reasons.")] = "zh",
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Findings of the latest detect run, newest first."""
    from smokewatch.services import queries

    with _store(ctx, workspace) as store:
        page = queries.list_findings(
            store,
            rule_id=rule,
            band=band,
            severity=severity,
            subject_id=subject,
            run_id=run,
            include_shadow=shadow,
            limit=limit,
            offset=offset,
        )
    if as_json:
        print_json({"total": page.total, "run_id": page.run_id, "items": page.items})
        return
    table(
        f"Findings ({page.total} total, run {page.run_id or '—'})",
        ["rule", "severity", "band", "subject", "reason"],
        [
            (
                f["rule"],
                f["severity"],
                f["band"],
                f["subject_name"] or f["subject_id"],
                f["reason_zh" if lang.startswith("zh") else "reason_en"],
            )
            for f in page.items
        ],
        caption=f"showing {offset + 1}-{offset + len(page.items)}" if page.items else None,
    )


@runs_app.command("list")
def list_runs(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", help="ingest|detect|score|demo.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000)] = 20,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Recent runs, newest first."""
    from smokewatch.services import queries

    with _store(ctx, workspace) as store:
        runs = queries.list_runs(store, kind=kind, limit=limit)
    if as_json:
        print_json(runs)
        return
    table(
        "Runs",
        ["run", "kind", "status", "source", "started", "engine", "error"],
        [
            (
                r["id"],
                r["kind"],
                r["status"],
                r["source_id"] or "",
                r["started_at"],
                r["engine"] or "",
                r["error"] or "",
            )
            for r in runs
        ],
    )


@runs_app.command("show")
def show_run(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Run id.")],
    rejects: Annotated[int, typer.Option("--rejects", help="How many rejected rows to show.")] = 20,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """One run: inputs, statistics and its first rejected rows."""
    from smokewatch.services import queries

    with _store(ctx, workspace) as store:
        run = queries.get_run(store, run_id, rejects=rejects)
    if as_json:
        print_json(run)
        return
    key_values(
        f"Run {run['id']}",
        {
            k: run[k]
            for k in ("kind", "status", "source_id", "engine", "started_at", "finished_at", "error")
        },
    )
    key_values("Statistics", run["stats"])
    if run["rejects"]:
        table(
            f"Rejected rows ({run['rejects_total']} total)",
            ["row", "column", "reason"],
            [(r["row_number"], r["column"] or "", r["reason"]) for r in run["rejects"]],
        )


@sources_app.command("list")
def list_sources(
    ctx: typer.Context, workspace: WorkspaceOption = None, as_json: JsonOption = False
) -> None:
    """Sources defined in the workspace."""
    from smokewatch.services import ingest as ingest_service

    specs = ingest_service.list_sources(_state(ctx).settings(workspace))
    if as_json:
        print_json([s.model_dump(mode="json") for s in specs])
        return
    table(
        "Sources",
        ["source", "title", "table", "format", "location", "mode"],
        [(s.id, s.title.zh, s.table, s.format, s.location, s.mode) for s in specs],
    )


def register(app: typer.Typer) -> None:
    """Add the data commands to the main app."""
    app.command("ingest")(ingest)
    app.command("detect")(detect)
    app.add_typer(findings_app, name="findings")
    app.add_typer(runs_app, name="runs")
    app.add_typer(sources_app, name="sources")


__all__ = ["register"]
