"""``smokewatch tx …``: bank transfer monitoring. ``tx detect`` runs the typology rules.

The ``tx`` group lives here; the transfer model's commands (``tx train``, ``tx score``) are
added to the same group by their own module.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from smokewatch.cli.render import key_values, out, print_json, progress_bars, table
from smokewatch.cli.state import CliState

tx_app = typer.Typer(
    help="Bank transfer monitoring: typology rules over transfer files (资金异常监测).",
    no_args_is_help=True,
)


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.obj
    return state


@tx_app.command("detect")
def detect(
    ctx: typer.Context,
    transactions: Annotated[
        Path,
        typer.Option(
            "--transactions", help="Transfers (CSV or CSV.gz with AMLSim's transactions columns)."
        ),
    ],
    out_file: Annotated[Path, typer.Option("--out", help="FINDINGS.csv to write.")],
    accounts: Annotated[
        Path | None,
        typer.Option("--accounts", help="Accounts file (AMLSim accounts.csv[.gz]) for names."),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option("--engine", help="Engine URL (default: in-memory DuckDB; spark://local[2])."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON summary for scripts.")] = False,
) -> None:
    """Run the transfer typology rules (SW-R-03xx) and write account-level findings.

    One row per account and rule: typology, window, counterparties, amount and the reason in
    Chinese and English. Label columns (is_sar, alert_id) are never read.
    """
    from smokewatch.services.tx_detect import detect_file

    with progress_bars(_state(ctx).progress) as progress:
        report = detect_file(
            transactions,
            out_file,
            accounts=accounts,
            engine_url=engine or _state(ctx).engine,
            progress=progress,
        )
    if as_json:
        payload = dataclasses.asdict(report)
        payload.update(transactions=str(report.transactions), out=str(report.out))
        print_json(payload)
        return
    key_values(
        "tx detect",
        {
            "transfers read": report.rows_read,
            "loaded": report.rows_loaded,
            "rejected": report.rows_rejected,
            "days": f"{report.first_day} – {report.as_of}",
            "engine": report.engine,
            "findings": report.findings,
            "accounts flagged": report.accounts_flagged,
            "seconds": report.seconds.get("total"),
        },
    )
    rows = [
        [rule, band, count]
        for rule, bands in report.by_rule.items()
        for band, count in bands.items()
    ]
    table("Findings by rule and band", ["rule", "band", "findings"], rows)
    if report.rejects:
        table(
            "First rejected rows",
            ["row", "column", "reason"],
            [[r["row_number"], r["column"], r["reason"]] for r in report.rejects],
        )
    out.print(f"findings written to {report.out}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``tx`` group to the main app."""
    app.add_typer(tx_app, name="tx")


__all__ = ["register", "tx_app"]
