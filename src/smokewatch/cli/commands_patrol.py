"""``smokewatch patrol list|run|verify|changes``: online patrol with evidence fixation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from smokewatch.cli.render import err, key_values, out, print_json, progress_bars, table
from smokewatch.cli.state import CliState, WorkspaceOption

app = typer.Typer(
    help="Online patrol (网上巡查): crawl sites politely, fix evidence, detect changes.",
    no_args_is_help=True,
)


def _changes_rows(changes: Any) -> list[tuple[Any, ...]]:
    return [
        (
            c.change,
            c.url,
            c.title or "",
            c.status if c.change == "gone" else "",
            f"+{c.lines_added} −{c.lines_removed}" if c.change == "changed" else "",
            " / ".join(c.added[:2]),
        )
        for c in changes.changes
    ]


def _print_changes(changes: Any) -> None:
    title = f"Changes {changes.before_run or '(first run)'} → {changes.after_run}"
    table(
        title,
        ["change", "url", "title", "status", "lines", "added (first lines)"],
        _changes_rows(changes),
        caption=f"unchanged pages: {changes.unchanged}",
    )


@app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The workspace's patrols (patrol/<id>.yml), their sealed runs and schedules."""
    from smokewatch.services.patrol import list_patrols
    from smokewatch.services.patrol_schedule import patrols_due

    state: CliState = ctx.obj
    settings = state.settings(workspace)
    infos = list_patrols(settings)
    due = {d.patrol_id: d for d in patrols_due(settings)}
    if as_json:
        print_json([{**_as_dict(i), "schedule": _as_dict(due[i.patrol_id])} for i in infos])
        return
    table(
        "Patrols",
        ["id", "title", "sites", "runs", "latest run", "every (h)", "due"],
        [_list_row(i, due[i.patrol_id]) for i in infos],
    )


def _list_row(info: Any, due: Any) -> tuple[Any, ...]:
    latest = info.runs[-1] if info.runs else ""
    every = "" if due.every_hours is None else f"{due.every_hours:g}"
    return (info.patrol_id, info.title, info.sites, len(info.runs), latest, every, _due(due))


def _due(patrol: Any) -> str:
    if patrol.due_at is None:
        return "by name only"
    return "now" if patrol.due else f"{patrol.due_at:%Y-%m-%d %H:%M} UTC"


def _key(state: CliState, workspace: Path | None) -> bytes:
    from smokewatch.services.blacklist import workspace_key

    return workspace_key(state.settings(workspace).workspace, os.environ)


@app.command("run")
def run_command(
    ctx: typer.Context,
    patrol: Annotated[
        str | None, typer.Argument(help="Patrol id (file patrol/<id>.yml); or --due.")
    ] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Run every patrol whose schedule says it is due.")
    ] = False,
    no_render: Annotated[
        bool, typer.Option("--no-render", help="Do not open render: true sites in the browser.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Crawl the patrol's sites, seal and sign the evidence, compare, load the pages."""
    from smokewatch.errors import InvalidInput
    from smokewatch.services.patrol import run_patrol

    state: CliState = ctx.obj
    secret = _key(state, workspace)
    if due and patrol is None:
        _run_due(state, workspace, render=not no_render, secret=secret, as_json=as_json)
        return
    if patrol is None or due:
        raise InvalidInput("name one patrol or give --due (not both)")
    with progress_bars(state.progress) as progress:
        summary = run_patrol(
            state.settings(workspace), patrol, progress=progress, render=not no_render,
            secret=secret,
        )  # fmt: skip
    _print_summary(patrol, summary, as_json=as_json)


def _run_due(
    state: CliState, workspace: Path | None, *, render: bool, secret: bytes, as_json: bool
) -> None:
    from smokewatch.services.patrol_schedule import run_due

    with progress_bars(state.progress) as progress:
        result = run_due(state.settings(workspace), progress=progress, render=render, secret=secret)
    if as_json:
        print_json(
            {
                "ran": [_as_dict(s) for s in result.ran],
                "failed": [{"patrol": p, "error": e} for p, e in result.failed],
                "not_due": [_as_dict(d) for d in result.not_due],
            }
        )
    else:
        for summary in result.ran:
            _print_summary(summary.patrol_id, summary, as_json=False)
        for patrol_id, error in result.failed:
            err.print(f"patrol {patrol_id} failed: {error}", markup=False)
        out.print(
            f"{len(result.ran)} patrols ran, {len(result.failed)} failed, "
            f"{len(result.not_due)} not due",
            markup=False,
        )
    if result.failed:
        raise typer.Exit(1)


def _print_summary(patrol: str, summary: Any, *, as_json: bool) -> None:
    if as_json:
        print_json({**_as_dict(summary), "pages_per_s": round(summary.pages_per_s, 2)})
        return
    key_values(
        f"Patrol {patrol} · run {summary.run_id}",
        {
            "pages (ok / failed)": f"{summary.pages} ({summary.pages_ok} / {summary.pages_failed})",
            "rendered in chromium": summary.rendered,
            "refused by robots.txt": summary.refused,
            "robots.txt read": summary.robots,
            "bytes": f"{summary.bytes:,}",
            "seconds (pages/s)": f"{summary.seconds:.1f} ({summary.pages_per_s:.2f})",
            "changes": ", ".join(f"{k} {v}" for k, v in summary.changes.counts.items()),
            "documents (loaded / rejected)": (
                f"{summary.documents} ({summary.documents_loaded} / {summary.documents_rejected})"
            ),
            "facts (loaded / rejected)": (
                f"{summary.facts} ({summary.facts_loaded} / {summary.facts_rejected})"
            ),
            "manifest": summary.manifest,
            "head sha256": summary.head,
        },
    )
    if summary.changes.changes:
        _print_changes(summary.changes)


def _as_dict(summary: Any) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(summary)


@app.command("verify")
def verify_command(
    ctx: typer.Context,
    run: Annotated[str, typer.Argument(help="Run id of a patrol run.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Re-check a run's hash chain, artefacts, seal and signature; exit 1 if anything changed."""
    from smokewatch.services.patrol import verify_patrol_run

    state: CliState = ctx.obj
    check = verify_patrol_run(state.settings(workspace), run, secret=_key(state, workspace))
    if as_json:
        print_json({**_as_dict(check), "intact": check.intact})
    elif check.intact:
        out.print(
            f"evidence intact: {check.lines} manifest lines, {check.artefacts} artefacts, "
            f"head {check.head}",
            markup=False,
        )
    else:
        for problem in check.problems:
            err.print(f"evidence broken: {problem}", markup=False)
    if not check.intact:
        raise typer.Exit(1)


@app.command("changes")
def changes_command(
    ctx: typer.Context,
    run: Annotated[str, typer.Argument(help="Run id of a patrol run.")],
    since: Annotated[
        str | None, typer.Option("--since", help="Earlier run (default: the one before).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Pages new, changed (lines added/removed), gone or not reached since an earlier run."""
    from smokewatch.services.patrol import patrol_changes

    state: CliState = ctx.obj
    changes = patrol_changes(state.settings(workspace), run, since=since)
    if as_json:
        print_json(changes)
        return
    _print_changes(changes)


def register(root: typer.Typer) -> None:
    """Add ``patrol`` to the main app."""
    root.add_typer(app, name="patrol")


__all__ = ["register"]
