"""``smokewatch loans``: licensed lenders' loan books against the legal cap on credit costs."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smokewatch.cli.render import key_values, out, print_json, progress_bars, table
from smokewatch.cli.state import CliState

if TYPE_CHECKING:
    from smokewatch.services.loans import LoadSummary, LoanCheckReport

app = typer.Typer(
    help="Loan books of licensed lenders: the true cost of every loan against the legal cap.",
    no_args_is_help=True,
)


def _loaded(summary: LoadSummary) -> str:
    return (
        f"{summary.rows_loaded} loaded, {summary.rows_rejected} rejected"
        f" ({summary.file.name}, {summary.encoding or '-'})"
    )


def _render(report: LoanCheckReport, lang: str) -> None:
    zh = lang.startswith("zh")
    key_values(
        "贷款核查 / loan check",
        {
            "loans 贷款": _loaded(report.loans),
            "flows 流水": _loaded(report.flows),
            "checked 核算": report.checked,
            "status 状态": ", ".join(f"{k} {v}" for k, v in report.by_status.items()) or "-",
            "over the cap 超上限": report.over_cap,
            "engine 引擎": report.engine,
            "seconds 用时": ", ".join(f"{k} {v}" for k, v in report.seconds.items()),
            "written 输出": str(report.out),
            "rejects 拒收": str(report.rejects_out) if report.rejects_out else "-",
        },
    )
    if report.lenders:
        table(
            "按机构 / by lender",
            [
                "lender USCC" if not zh else "机构信用代码",
                "loans" if not zh else "贷款笔数",
                "costed" if not zh else "可核算",
                "over cap" if not zh else "超上限",
                "max APR %" if not zh else "最高年化%",
                "principal over cap" if not zh else "超上限合同金额",
            ],
            [
                (
                    lender.lender_uscc,
                    lender.loans,
                    lender.costed,
                    lender.over_cap,
                    f"{lender.max_apr:.2f}" if lender.max_apr is not None else "-",
                    f"{lender.principal_over_cap:,.0f}",
                )
                for lender in report.lenders[:30]
            ],
        )
    if report.rejects:
        table(
            "拒收的行 / rejected rows (first ones)",
            ["file", "row", "column", "reason"],
            [(r["file"], r["row_number"], r["column"], r["reason"]) for r in report.rejects],
        )


@app.command("check")
def check_command(
    ctx: typer.Context,
    loans: Annotated[
        Path, typer.Option("--loans", help="Loan contracts (CSV/XLSX/Parquet/JSON lines).")
    ],
    flows: Annotated[
        Path, typer.Option("--flows", help="Their cash flows (放款, 砍头息, 服务费, 利息, 本金 …).")
    ],
    out_file: Annotated[Path, typer.Option("--out", help="One CSV row per loan.")],
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of", formats=["%Y-%m-%d"], help="Leave out loans contracted after this day."
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="JSON output for scripts.")] = False,
) -> None:
    """Cost every loan from its cash flows and compare it with the cap of its contract date.

    No workspace needed. The cost is the internal rate of return of the flows (monthly rate ×
    12), with amounts deducted up front and every fee included; the cap is 4 × the one-year LPR
    in force on the contract date. Rejected rows go to OUT.rejects.csv with their reasons.
    """
    from smokewatch.services.loans import check_loan_files

    state: CliState = ctx.obj
    with progress_bars(state.progress and not as_json) as progress:
        report = check_loan_files(
            loans,
            flows,
            out_file,
            as_of=as_of.date() if as_of else None,
            engine_url=state.engine,
            progress=progress,
        )
    if as_json:
        print_json(dataclasses.asdict(report))
        return
    _render(report, lang)
    if report.flows.rows_rejected:
        out.print(
            "[yellow]部分资金流水被拒收，相关贷款的成本可能被低估，请查看拒收文件 / "
            "some flows were rejected: the cost of their loans may be understated[/]"
        )
    if report.over_cap:
        out.print(
            f"[bold red]{report.over_cap}[/] 笔贷款综合年化成本超过合同日司法保护上限 / "
            "loans cost more than the legal cap"
        )


def register(root: typer.Typer) -> None:
    """Add ``loans`` to the main app."""
    root.add_typer(app, name="loans")


__all__ = ["register"]
