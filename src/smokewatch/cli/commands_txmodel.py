"""``smokewatch tx train|score``: the transfer-risk model (graph features + LightGBM).

:func:`register` adds the two commands to the ``tx`` group it is given (the group also holds
``tx detect``, the rules without a model).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smokewatch.cli.render import err, out, print_json, progress_bars, table
from smokewatch.cli.state import CliState

if TYPE_CHECKING:
    from smokewatch.settings import EngineSettings


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.obj
    return state


def _engine_settings() -> EngineSettings:
    from smokewatch.settings import EngineSettings  # pydantic-settings: only when needed

    return EngineSettings()


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def train(
    ctx: typer.Context,
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="Labelled folder in the AMLSim layout (transactions.csv.gz, "
            "alert_transactions.csv, optional accounts.csv.gz).",
        ),
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Model folder to write (new, empty, or an older model).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output for scripts.")] = False,
    cuts: Annotated[
        int | None,
        typer.Option(
            "--cuts",
            help="Cut training: each part's graph features over the file cut right after it, "
            "the training part in N pieces (0: features once over the whole file).",
            show_default=False,
        ),
    ] = None,
    threshold_rule: Annotated[
        str | None,
        typer.Option(
            "--threshold-rule",
            help="Flag threshold chosen on the validation part: max (max F1), low:D (lowest "
            "score within D of max F1) or recall:R (max F1 with every typology's recall ≥ R).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Train the transfer-risk model: temporal 60/20/20 validation, then the shipped model.

    Prints F1, precision and recall on the last 20 % (threshold chosen on the middle 20 %)
    and the recall per typology; writes model.txt, typology.txt, manifest.json and
    MODEL_CARD.md to --out.
    """
    from smokewatch.services import tx_models

    with progress_bars(_state(ctx).progress) as progress:
        report = tx_models.train_transfer_model(
            data,
            out_dir,
            engine_url=_state(ctx).engine,
            engine_settings=_engine_settings(),
            cuts=cuts,
            threshold_rule=threshold_rule,
            progress=progress,
        )
    if as_json:
        print_json(
            {
                "folder": str(report.folder),
                "rows": report.rows,
                "positives": report.positives,
                "threshold": report.threshold,
                "test": report.test,
                "recall_by_typology": report.recall_by_typology,
                "typology_accuracy": report.typology_accuracy,
                "seconds": round(report.seconds, 1),
                "protocol": report.protocol,
            }
        )
        return
    columns = ["rows", "positives", "flagged", "auc", "precision", "recall", "f1"]
    table(
        "transfer-risk · test (last 20 %)",
        columns,
        [[_fmt(report.test.get(c)) for c in columns]],
    )
    table(
        "recall per typology (test)",
        ["typology", "recall"],
        [[k, _fmt(v)] for k, v in report.recall_by_typology.items()],
    )
    out.print(
        f"threshold {report.threshold:.4f} · {report.rows} transfers, {report.positives} "
        f"suspicious · typology right for {_fmt(report.typology_accuracy)} of flagged · "
        f"{report.seconds:.1f} s",
        markup=False,
    )
    out.print(f"model written to {report.folder} (see {report.folder / 'MODEL_CARD.md'})")


def score(
    ctx: typer.Context,
    model: Annotated[Path, typer.Option("--model", help="Model folder written by tx train.")],
    transactions: Annotated[
        Path,
        typer.Option(
            "--transactions",
            help="Transfers CSV (gzip allowed): tran_id, orig_acct, bene_acct, base_amt, "
            "tran_timestamp. Label columns are ignored.",
        ),
    ],
    out_path: Annotated[
        Path, typer.Option("--out", help="CSV to write: tran_id,score,flag,typology.")
    ],
    accounts: Annotated[
        Path | None,
        typer.Option("--accounts", help="Accounts CSV (acct_id, bank_id) for the bank flag."),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option("--engine", help="Engine URL, e.g. spark://local[2] (default: DuckDB)."),
    ] = None,
    reasons_out: Annotated[
        Path | None,
        typer.Option("--reasons", help="Also write the flagged transfers with their reasons."),
    ] = None,
    accounts_out: Annotated[
        Path | None,
        typer.Option("--accounts-out", help="Also write one score per account."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the reasons: zh or en.")] = "zh",
    top: Annotated[int, typer.Option("--top", min=1, max=10, help="Reasons per transfer.")] = 3,
) -> None:
    """Score every transfer of a file: tran_id,score,flag,typology (typology when flagged)."""
    from smokewatch.services import tx_models

    with progress_bars(_state(ctx).progress) as progress:
        run = tx_models.score_transfers(
            model,
            transactions,
            out_path,
            accounts=accounts,
            reasons_out=reasons_out,
            accounts_out=accounts_out,
            lang=lang,
            top=top,
            engine_url=engine or _state(ctx).engine,
            engine_settings=_engine_settings(),
            progress=progress,
        )
    for note in run.scores.notes:
        err.print(f"note: {note}", markup=False)
    err.print(
        f"{run.rows} transfers scored, {run.scores.flagged} flagged at threshold "
        f"{run.scores.threshold:.4f} in {run.scores.seconds:.1f} s; written to {out_path}",
        markup=False,
    )


def register(tx_app: typer.Typer) -> None:
    """Add ``train`` and ``score`` to the ``tx`` group."""
    tx_app.command("train")(train)
    tx_app.command("score")(score)


__all__ = ["register", "score", "train"]
