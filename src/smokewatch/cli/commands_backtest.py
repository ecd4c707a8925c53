"""``smokewatch backtest p2p-wdzj``: score the P2P platforms as they were on a past date."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from smokewatch.cli.render import err, key_values, print_json, progress_bars, table
from smokewatch.cli.state import CliState

backtest_app = typer.Typer(
    help="Backtests: what smokewatch would have said on a past date, nothing later.",
    no_args_is_help=True,
)


def _payload(summary: Any) -> dict[str, Any]:
    payload = dataclasses.asdict(summary)
    payload["out"] = str(summary.out)
    payload["view"]["folder"] = None  # removed with the temporary workspace
    return payload


@backtest_app.command("p2p-wdzj")
def p2p_wdzj(
    ctx: typer.Context,
    data: Annotated[Path, typer.Option("--data", help="The 网贷之家 folder (p2p-platforms-wdzj).")],
    as_of: Annotated[
        datetime,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="The date the platforms are scored on."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Scores CSV to write (replaced atomically).")],
    lang: Annotated[str, typer.Option("--lang", help="Language of top_reasons: zh or en.")] = "zh",
    profiles_date: Annotated[
        datetime | None,
        typer.Option(
            "--profiles-date",
            formats=["%Y-%m-%d"],
            help="When the profiles were taken (default 2017-07-01, the published crawl).",
        ),
    ] = None,
    keep_workspace: Annotated[
        Path | None,
        typer.Option("--keep-workspace", help="Keep the workspace in this new folder to inspect."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output for scripts.")] = False,
) -> None:
    """Score every platform operating on --as-of with the platform smoke index (SW-S-0002).

    Writes platName,smoke_index,grade,<one column per dimension>,top_reasons, riskiest first.
    Only what existed on --as-of is read: profiles of platforms operating then, problem events
    and monthly figures up to then; the platform-risk model is trained as of the same date.
    """
    from smokewatch.services import backtest

    state: CliState = ctx.obj
    with progress_bars(state.progress) as progress:
        summary = backtest.p2p_wdzj(
            data,
            out,
            as_of=as_of.date(),
            engine_url=state.engine,
            lang=lang,
            **({"profiles_date": profiles_date.date()} if profiles_date else {}),
            keep_workspace=keep_workspace,
            progress=progress,
        )
    if as_json:
        print_json(_payload(summary))
        return
    view = summary.view
    oot = summary.model.get("out_of_time", {})
    key_values(
        f"backtest p2p-wdzj as of {summary.as_of}",
        {
            "platforms operating": view.operating,
            "problem platforms known": view.problem_known,
            "events known": view.events,
            "monthly figures": f"{view.metric_rows} rows, {', '.join(view.months) or 'none'}",
            "profile snapshot fields": "used" if view.snapshot_fields else "not used (too late)",
            "model": f"platform-risk {summary.model.get('version')} · out-of-time AUC "
            f"{oot.get('auc', '–')} on {oot.get('rows', '–')} platforms",
            "scorecard": summary.scorecard,
            "seconds": summary.seconds,
        },
    )
    table("grades", ["grade", "platforms"], sorted(summary.by_grade.items()))
    for note in summary.notes:
        err.print(f"note: {note}", markup=False)
    err.print(f"{summary.rows} platforms written to {summary.out}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``backtest`` group to the main app."""
    app.add_typer(backtest_app, name="backtest")


__all__ = ["register"]
