"""``smokewatch sector stats``: a sector month by month, and the "three drops"."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smokewatch.cli.render import out, print_json, table
from smokewatch.cli.state import CliState, WorkspaceOption

app = typer.Typer(
    help="Sector statistics: institutions, balance and participants by month (三降).",
    no_args_is_help=True,
)


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    sector: Annotated[
        str,
        typer.Option(
            "--sector", help="online_lending, or a local organisation kind such as microcredit."
        ),
    ],
    start: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Also write a workbook.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="JSON output for scripts.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Month by month: active institutions, balance, lenders, borrowers, months of decline."""
    from smokewatch.services.sector import sector_stats, write_xlsx

    state: CliState = ctx.obj
    stats = sector_stats(state.settings(workspace), sector, start=start, end=end)
    if xlsx is not None:
        write_xlsx(stats, xlsx)
    if as_json:
        print_json(stats.as_dict())
        return
    zh = lang.startswith("zh")
    headers = (
        [
            "月份",
            "机构数",
            "余额（亿元）",
            "出借人",
            "借款人",
            "机构连降",
            "余额连降",
            "人数连降",
            "三降",
        ]
        if zh
        else [
            "month",
            "institutions",
            "balance (100m)",
            "lenders",
            "borrowers",
            "inst. falling",
            "balance falling",
            "people falling",
            "three drops",
        ]
    )
    table(
        f"{stats.label_zh if zh else stats.label_en} ({stats.source})",
        headers,
        [
            (
                m.month,
                m.institutions,
                f"{m.balance / 1e8:,.2f}",
                m.lenders,
                m.borrowers,
                m.declining["institutions"],
                m.declining["balance"],
                m.declining["participants"],
                ("是" if zh else "yes") if m.three_drops else "",
            )
            for m in stats.months
        ],
    )
    if xlsx is not None:
        out.print(f"written {xlsx}")


@app.command("publish")
def publish_command(
    ctx: typer.Context,
    sector: Annotated[
        list[str] | None,
        typer.Option("--sector", help="Only these sectors (default: every sector with data)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output for scripts.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Store every sector's months for the dashboard's "three drops" panel (one run)."""
    from smokewatch.services.sector_trends import publish
    from smokewatch.services.workspace import open_store

    state: CliState = ctx.obj
    settings = state.settings(workspace)
    with open_store(settings) as store:
        done = publish(settings, store, sector or None)
    if as_json:
        print_json({"run_id": done.run_id, "months": done.months})
        return
    table("sector_month", ["sector", "months"], sorted(done.months.items()))
    out.print(f"run {done.run_id}")


def register(root: typer.Typer) -> None:
    """Add ``sector`` to the main app."""
    root.add_typer(app, name="sector")


__all__ = ["register"]
