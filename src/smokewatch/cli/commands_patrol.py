"""``smokewatch patrol list|run|verify|changes``: online patrol with evidence fixation."""

from __future__ import annotations

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
    """The workspace's patrols (patrol/<id>.yml) and their sealed runs."""
    from smokewatch.services.patrol import list_patrols

    state: CliState = ctx.obj
    infos = list_patrols(state.settings(workspace))
    if as_json:
        print_json(infos)
        return
    table(
        "Patrols",
        ["id", "title", "sites", "runs", "latest run"],
        [(i.patrol_id, i.title, i.sites, len(i.runs), i.runs[-1] if i.runs else "") for i in infos],
    )


@app.command("run")
def run_command(
    ctx: typer.Context,
    patrol: Annotated[str, typer.Argument(help="Patrol id (file patrol/<id>.yml).")],
    no_render: Annotated[
        bool, typer.Option("--no-render", help="Do not open render: true sites in the browser.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Crawl the patrol's sites, seal the evidence, compare with the last run, load the pages."""
    from smokewatch.services.patrol import run_patrol

    state: CliState = ctx.obj
    with progress_bars(state.progress) as progress:
        summary = run_patrol(
            state.settings(workspace), patrol, progress=progress, render=not no_render
        )
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
    """Re-check a run's hash chain, artefacts and seal; exit 1 if anything changed."""
    from smokewatch.services.patrol import verify_patrol_run

    state: CliState = ctx.obj
    check = verify_patrol_run(state.settings(workspace), run)
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
