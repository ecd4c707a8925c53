"""``smokewatch`` (alias ``sw``): the command line.

This module wires the command groups and is the one place that maps errors to exit codes:
0 success, 1 a domain failure (one line on standard error; ``--debug`` adds the traceback),
2 a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from smokewatch import __version__
from smokewatch.cli import (
    commands_backtest,
    commands_cases,
    commands_data,
    commands_graph,
    commands_loans,
    commands_model,
    commands_orgs,
    commands_patrol,
    commands_portal,
    commands_resolve,
    commands_rules,
    commands_scores,
    commands_screen,
    commands_sector,
    commands_text,
    commands_tx,
    commands_txmodel,
    commands_workspace,
)
from smokewatch.cli.render import err
from smokewatch.cli.state import CliState
from smokewatch.errors import ConfigError, SmokewatchError
from smokewatch.logs import configure_logging

app = typer.Typer(
    name="smokewatch",
    help="Monitoring and early warning against illegal financial activity (冒烟指数).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"smokewatch {__version__}")
        raise typer.Exit


@app.callback()
def _global(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            envvar="SMOKEWATCH_WORKSPACE",
            help="Workspace folder (default: current directory).",
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine", help="Engine URL, e.g. spark://local[2] (default: workspace DuckDB)."
        ),
    ] = None,
    store: Annotated[
        str | None, typer.Option("--store", help="Store URL (default: workspace SQLite).")
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logging.")] = 0,
    log_json: Annotated[bool, typer.Option("--log-json", help="Log JSON lines to stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bars.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Global options; every command takes them before its own."""
    level = {0: "warning", 1: "info"}.get(verbose, "debug")
    configure_logging(level, "json" if log_json else "console")
    ctx.obj = CliState(
        workspace=workspace,
        engine=engine,
        store=store,
        verbose=verbose,
        log_json=log_json,
        debug=debug,
        progress=not no_progress and err.is_terminal,
    )


commands_workspace.register(app)
commands_data.register(app)
commands_rules.register(app)
commands_screen.register(app)
commands_model.register(app)
commands_text.register(app)
commands_resolve.register(app)
commands_graph.register(app)
commands_scores.register(app)
commands_cases.register(app)
commands_loans.register(app)
commands_backtest.register(app)
commands_sector.register(app)
commands_orgs.register(app)
commands_patrol.register(app)
commands_portal.register(app)
commands_txmodel.register(commands_tx.tx_app)  # tx train / tx score
commands_tx.register(app)  # tx detect, and the group


def _error(message: str) -> None:
    err.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)
    sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``smokewatch`` and ``sw`` scripts.

    Typer handles usage errors itself (exit 2 with its message); this function maps the
    errors smokewatch raises on purpose to exit 1 with a one-line message.
    """
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        app(args=args, prog_name="smokewatch")
    except ConfigError as exc:
        if debug:
            raise
        _error(str(exc))
    except SmokewatchError as exc:
        if debug:
            raise
        _error(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


__all__ = ["app", "main"]
