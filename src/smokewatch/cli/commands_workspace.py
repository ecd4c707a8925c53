"""``smokewatch init``, ``db upgrade``, ``serve`` and ``demo init``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from smokewatch.cli.render import out, progress_bars
from smokewatch.cli.state import CliState, WorkspaceOption

db_app = typer.Typer(help="The operational store.", no_args_is_help=True)
demo_app = typer.Typer(
    help="The synthetic demo city (芜湖市) with planted cases.", no_args_is_help=True
)


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.obj
    return state


def init(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="Folder to create (or re-initialise).")
    ] = Path(),
    name: Annotated[
        str, typer.Option("--name", help="Whom the workspace serves.")
    ] = "smokewatch workspace",
    adcode: Annotated[
        str, typer.Option("--adcode", help="Division code watched, e.g. 340200.")
    ] = "",
    force: Annotated[
        bool, typer.Option("--force", help="Re-initialise an existing workspace.")
    ] = False,
) -> None:
    """Create a workspace: settings, sources/, rules/, scorecards/, lexicons/, store."""
    from smokewatch.services import workspace as workspace_service

    created = workspace_service.init_workspace(directory, title=name, adcode=adcode, force=force)
    settings = _state(ctx).settings(created.root)
    with workspace_service.open_store(settings), workspace_service.open_engine(settings):
        pass  # creates the SQLite store (migrated) and the DuckDB analytics file
    out.print(f"workspace ready: {created.root}")
    out.print("next: add sources/<id>/source.yml, then `smokewatch ingest` and `smokewatch detect`")


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, workspace: WorkspaceOption = None) -> None:
    """Migrate the workspace's store to the latest schema."""
    from smokewatch.services import workspace as workspace_service

    settings = _state(ctx).settings(workspace)
    workspace_service.open_workspace(settings)
    with workspace_service.open_store(settings) as store:
        out.print(f"store at revision {store.current_revision()}: {store.url}")


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option("--host", help="Interface (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default 8000).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Server processes.")] = 1,
    no_answer_cache: Annotated[
        bool,
        typer.Option(
            "--no-answer-cache",
            help="Compute every entity profile and alert list anew (no per-process answer cache).",
        ),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Serve the dashboard (at /) and the REST API (at /api/v1) for a workspace."""
    import uvicorn

    from smokewatch.cli.server import create_server_app
    from smokewatch.services import workspace as workspace_service

    settings = _state(ctx).settings(workspace)
    if no_answer_cache:
        api = settings.api.model_copy(update={"answer_cache_mib": 0.0})
        settings = settings.model_copy(update={"api": api})
        os.environ["SMOKEWATCH_API_ANSWER_CACHE_MIB"] = "0"  # for the worker processes
    workspace_service.open_workspace(settings)
    bind_host = host or settings.api.host
    bind_port = port or settings.api.port
    out.print(
        f"serving {settings.workspace}: dashboard http://{bind_host}:{bind_port}/ "
        f"(API at /api/v1, docs at /docs)"
    )
    if workers == 1:
        uvicorn.run(
            create_server_app(settings, warm=True),
            host=bind_host,
            port=bind_port,
            log_level="warning",
        )
        return
    # Several processes need an importable factory; it reads the workspace from the environment.
    os.environ["SMOKEWATCH_WORKSPACE"] = str(settings.workspace)
    uvicorn.run(
        "smokewatch.cli.server:app_factory",
        factory=True,
        workers=workers,
        host=bind_host,
        port=bind_port,
        log_level="warning",
    )


@demo_app.command("init")
def demo_init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder for the demo workspace.")] = Path(
        "demo"
    ),
    enterprises: Annotated[
        int, typer.Option("--enterprises", min=100, help="Size of the city.")
    ] = 20_000,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Random seed (same seed, same city; default 20261121)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild an existing demo workspace.")
    ] = False,
) -> None:
    """Generate the demo workspace and run the whole pipeline (without serving)."""
    from smokewatch.cli.summary import render_demo
    from smokewatch.services.demo import DEMO_SEED, init_demo

    state = _state(ctx)
    overrides = {"engine": {"url": state.engine}} if state.engine else {}
    with progress_bars(state.progress) as progress:
        summary = init_demo(
            directory,
            enterprises=enterprises,
            seed=DEMO_SEED if seed is None else seed,
            force=force,
            overrides=overrides,
            progress=progress,
        )
    render_demo(summary)


def register(app: typer.Typer) -> None:
    """Add workspace commands to the main app."""
    app.command("init")(init)
    app.add_typer(db_app, name="db")
    app.add_typer(demo_app, name="demo")
    app.command("serve")(serve)


__all__ = ["register"]
