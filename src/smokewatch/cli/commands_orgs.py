"""``smokewatch orgs``: licensed local financial organisations — exits being worked through."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from smokewatch.cli.render import print_json, table
from smokewatch.cli.state import CliState, WorkspaceOption

app = typer.Typer(
    help="Licensed local financial organisations (地方金融组织): exits and their progress.",
    no_args_is_help=True,
)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


@app.command("exits")
def exits_command(
    ctx: typer.Context,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="Use reports up to this day."),
    ] = None,
    not_cleared: Annotated[
        bool, typer.Option("--not-cleared", help="Only those exited but still owing lenders.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output for scripts.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Institutions in exit: repaid share, lenders repaid, exited-but-not-cleared flags."""
    from smokewatch.services.orgs import exits

    state: CliState = ctx.obj
    found = exits(state.settings(workspace), as_of=as_of.date() if as_of else None)
    if not_cleared:
        found = [e for e in found if e.exited_not_cleared]
    if as_json:
        print_json([e.as_dict() for e in found])
        return
    table(
        "退出进展 / exits",
        [
            "机构 name",
            "状态 status",
            "报告期 period",
            "待偿（万元） owed",
            "已兑付 repaid",
            "出借人兑付 lenders repaid",
            "已退出未清零 not cleared",
        ],
        [
            (
                e.name,
                e.status,
                e.period_end or "无报告 no report",
                "-" if e.outstanding is None else f"{e.outstanding / 1e4:,.0f}",
                _pct(e.repaid_share),
                _pct(e.lenders_repaid_share),
                "是 yes" if e.exited_not_cleared else "",
            )
            for e in found
        ],
    )


def register(root: typer.Typer) -> None:
    """Add ``orgs`` to the main app."""
    root.add_typer(app, name="orgs")


__all__ = ["register"]
