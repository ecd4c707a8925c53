"""``smokewatch portal``: serve the public tip portal of a workspace on its own port."""

from __future__ import annotations

from typing import Annotated

import typer

from smokewatch.cli.render import out
from smokewatch.cli.state import CliState, WorkspaceOption


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.obj
    return state


def portal(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8100,
    pow_bits: Annotated[
        int, typer.Option("--pow-bits", min=0, max=24, help="Proof-of-work difficulty (zero bits).")
    ] = 16,
    workspace: WorkspaceOption = None,
) -> None:
    """Serve the public tip portal (report, track, risk warnings) apart from `serve`.

    One process: the rate limits and the used challenges are kept in its memory.
    """
    import uvicorn

    from smokewatch.portal.app import create_portal_app
    from smokewatch.portal.pages import PortalConfig
    from smokewatch.services import workspace as workspace_service

    settings = _state(ctx).settings(workspace)
    workspace_service.open_workspace(settings)
    out.print(f"serving the public portal of {settings.workspace}: http://{host}:{port}/")
    app = create_portal_app(settings, config=PortalConfig(pow_bits=pow_bits))
    uvicorn.run(app, host=host, port=port, log_level="warning")


tips_app = typer.Typer(help="Public tips received by the portal.", no_args_is_help=True)


@tips_app.command("export-documents")
def export_documents(ctx: typer.Context, workspace: WorkspaceOption = None) -> None:
    """Write the tips as complaint documents (source portal_tips) for the next ingest."""
    from smokewatch.services import workspace as workspace_service
    from smokewatch.services.tips_documents import export_tip_documents

    settings = _state(ctx).settings(workspace)
    workspace_service.open_workspace(settings)
    with workspace_service.open_store(settings) as store:
        exported = export_tip_documents(store, settings.workspace)
    out.print(
        f"{exported.documents} tips written as complaint documents to {exported.source_dir} "
        "(next: smokewatch ingest portal_tips, detect, score run)",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``portal`` and ``tips`` to the CLI."""
    app.command("portal")(portal)
    app.add_typer(tips_app, name="tips")


__all__ = ["register"]
