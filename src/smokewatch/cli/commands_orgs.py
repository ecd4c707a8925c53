"""``smokewatch orgs``: local financial organisations — exits, and the borrower blacklist.

``orgs blacklist`` keeps the untrustworthy-borrower list (恶意逃废债名单).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from smokewatch.cli.commands_cases import AsOption, JsonOption, _actor, _store
from smokewatch.cli.render import err, out, print_json, table
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


blacklist_app = typer.Typer(
    help="The untrustworthy-borrower list (恶意逃废债名单): import, match, export for joint "
    "discipline.",
    no_args_is_help=True,
)
app.add_typer(blacklist_app, name="blacklist")


def _key(ctx: typer.Context, workspace: Path | None) -> bytes:
    from smokewatch.services.blacklist import workspace_key

    state: CliState = ctx.obj
    return workspace_key(state.settings(workspace).workspace, os.environ)


@blacklist_app.command("import")
def blacklist_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The reported list (CSV in UTF-8/GBK, or XLSX).")],
    encoding: Annotated[
        str, typer.Option("--encoding", help="CSV encoding (default: detected).")
    ] = "auto",
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Write every rejected row to this CSV.")
    ] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Import a list: new listings added, changed ones updated, rows with problems rejected."""
    import csv

    from smokewatch.services.blacklist import import_list

    state: CliState = ctx.obj
    settings = state.settings(workspace)
    with _store(ctx, workspace) as store:
        report = import_list(
            store,
            _actor(store, as_user),
            file,
            secret=_key(ctx, workspace),
            encoding=encoding,
            default_adcode=settings.jurisdiction.adcode,
        )
    if rejects is not None:
        with rejects.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["row_number", "column", "reason", "raw"])
            for r in report.rejects:
                writer.writerow([r.row_number, r.column, r.reason, r.raw])
    if as_json:
        print_json(report.as_dict())
        return
    out.print(
        f"{report.file}: {report.rows_read} rows read — {report.added} added, "
        f"{report.updated} updated, {report.unchanged} unchanged, "
        f"{report.kept_removed} kept removed, {report.rows_rejected} rejected"
    )
    if report.rejects:
        table(
            "Rejected rows 退回",
            ["row", "column", "reason"],
            [(r.row_number, r.column or "", r.reason) for r in report.rejects[:20]],
        )
        if len(report.rejects) > 20 and rejects is None:
            err.print("… more rejects: use --rejects FILE to write them all")


@blacklist_app.command("list")
def blacklist_list(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="listed or removed (default: both).")
    ] = None,
    subject_type: Annotated[
        str | None, typer.Option("--type", help="person or enterprise.")
    ] = None,
    reporter: Annotated[str | None, typer.Option("--reporter", help="Reported by.")] = None,
    unmask: Annotated[
        bool, typer.Option("--unmask", help="Show persons' names (PII roles only; audited).")
    ] = False,
    as_user: AsOption = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The listings you may see; persons' names masked unless --unmask."""
    from smokewatch.services.blacklist import list_entries

    with _store(ctx, workspace) as store:
        entries = list_entries(
            store,
            _actor(store, as_user),
            status=status,
            subject_type=subject_type,
            reporter=reporter,
            unmask=unmask,
        )
    if as_json:
        print_json(entries)
        return
    table(
        "恶意逃废债名单 / untrustworthy borrowers",
        [
            "编号 id",
            "名称 name",
            "证件 ID",
            "报送 reporter",
            "金额（元） amount",
            "列入 listed",
            "原因 reason",
            "状态 status",
        ],
        [
            (
                e["id"],
                e["name"],
                e["id_display"] or "(hash)",
                e["reporter"],
                f"{e['amount_evaded']:,.2f}",
                e["listed_on"],
                e["reason"],
                e["status"] + (f" {e['removed_on']}" if e["removed_on"] else ""),
            )
            for e in entries
        ],
    )


@blacklist_app.command("remove")
def blacklist_remove(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(help="The listing id (BL-…).")],
    reason: Annotated[str, typer.Option("--reason", help="Why (已清偿, 异议成立 …).")],
    on: Annotated[
        datetime | None, typer.Option("--on", formats=["%Y-%m-%d"], help="Removal date.")
    ] = None,
    as_user: AsOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Take a listing off the list (移出) with the reason; its history stays."""
    from smokewatch.services.blacklist import remove_entry

    with _store(ctx, workspace) as store:
        entry = remove_entry(
            store,
            _actor(store, as_user),
            entry_id,
            reason=reason,
            removed_on=on.date() if on else None,
        )
    out.print(f"{entry['id']} removed on {entry['removed_on']}: {entry['removal_reason']}")


@blacklist_app.command("match")
def blacklist_match(
    ctx: typer.Context,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write one CSV row per match.")
    ] = None,
    include_removed: Annotated[
        bool, typer.Option("--include-removed", help="Also match removed listings.")
    ] = False,
    as_user: AsOption = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Find listed borrowers in the registry, the licensed organisations and the loan books."""
    from smokewatch.services.blacklist_match import match_entities, write_matches
    from smokewatch.services.workspace import open_engine

    state: CliState = ctx.obj
    with _store(ctx, workspace) as store, open_engine(state.settings(workspace)) as engine:
        report = match_entities(
            store,
            engine,
            _actor(store, as_user),
            secret=_key(ctx, workspace),
            include_removed=include_removed,
        )
    if out_file is not None:
        write_matches(report, out_file)
    if as_json:
        print_json(report.as_dict())
        return
    scanned = ", ".join(f"{t} {n:,}" for t, n in report.scanned.items()) or "no tables"
    out.print(
        f"{report.entries} listings matched against {scanned}: "
        f"{report.entries_matched} found, {len(report.matches)} matches"
    )
    table(
        "名单命中 / matches",
        ["编号 id", "名称 name", "表 table", "记录 record", "详情 detail"],
        [
            (
                m.entry_id,
                m.name,
                m.table,
                m.record_id,
                ", ".join(f"{k}={v}" for k, v in m.record.items() if k != "id"),
            )
            for m in report.matches
        ],
    )


@blacklist_app.command("export")
def blacklist_export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Output .csv or .xlsx.")],
    include_removed: Annotated[
        bool, typer.Option("--include-removed", help="Also removed listings (with reasons).")
    ] = False,
    as_user: AsOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Export the list for joint discipline (联合惩戒), persons' names and numbers masked."""
    from smokewatch.services.blacklist import export_list

    with _store(ctx, workspace) as store:
        report = export_list(store, _actor(store, as_user), file, include_removed=include_removed)
    out.print(f"{report.rows} listings written to {report.path} (sha256 {report.sha256[:16]}…)")


def register(root: typer.Typer) -> None:
    """Add ``orgs`` (with ``orgs blacklist``) to the main app."""
    root.add_typer(app, name="orgs")


__all__ = ["register"]
