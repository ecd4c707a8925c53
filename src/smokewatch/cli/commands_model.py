"""``smokewatch model train|predict|show``: risk models with explanations and model cards."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smokewatch.cli.render import err, key_values, out, print_json, progress_bars, table
from smokewatch.cli.state import CliState

if TYPE_CHECKING:
    from smokewatch.settings import EngineSettings

model_app = typer.Typer(
    help="Risk models: train with honest validation, predict with reasons, show model cards.",
    no_args_is_help=True,
)
train_app = typer.Typer(
    help="Train a risk model and write its artefact folder.", no_args_is_help=True
)
model_app.add_typer(train_app, name="train")

DataOption = Annotated[Path, typer.Option("--data", help="Data folder of the model's data set.")]
OutDirOption = Annotated[
    Path, typer.Option("--out", help="Model folder to write (new, empty, or an older model).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON output for scripts.")]


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.obj
    return state


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


METRIC_COLUMNS = ["rows", "positives", "flagged", "auc", "precision", "recall", "f1"]


def _metric_rows(rows: list[dict[str, Any]], limit: int = 12) -> list[list[str]]:
    return [[str(r["segment"]), *(_fmt(r.get(c)) for c in METRIC_COLUMNS)] for r in rows[:limit]]


def _headlines(report: Any) -> list[tuple[str, dict[str, Any]]]:
    if "out_of_time" in report.metrics:
        return [
            ("out-of-time test", report.metrics["out_of_time"]),
            ("grouped cross-validation, every date", report.metrics["grouped_cv_all_dates"]),
        ]
    return [("cross-validation (out of fold)", report.metrics)]


def _print_training(report: Any) -> None:
    if report.inputs:
        out.print(f"inputs: {report.inputs}", markup=False)
    for note in report.notes:
        out.print(f"note: {note}", markup=False)
    for name, metrics in _headlines(report):
        table(
            f"{report.task} · {name}",
            ["", *METRIC_COLUMNS],
            [["all", *(_fmt(metrics.get(c)) for c in METRIC_COLUMNS)]],
        )
        nested = metrics.get("f1_threshold_chosen_on_other_folds")
        if nested:
            out.print(
                "  F1 with each fold flagged at a threshold chosen on the other folds: "
                f"{_fmt(nested['f1'])} (precision {_fmt(nested['precision'])}, "
                f"recall {_fmt(nested['recall'])})",
                markup=False,
            )
    for kind, rows in report.segments.items():
        table(f"by {kind}", ["segment", *METRIC_COLUMNS], _metric_rows(rows))
    out.print(
        f"threshold {report.threshold:.4f} · {report.rows} rows, {report.positives} positive · "
        f"{report.seconds:.1f} s",
        markup=False,
    )
    out.print(f"model written to {report.folder} (see {report.folder / 'MODEL_CARD.md'})")


def _engine(ctx: typer.Context) -> tuple[str | None, EngineSettings]:
    from smokewatch.settings import EngineSettings  # pydantic-settings: only when needed

    return _state(ctx).engine, EngineSettings()


@train_app.command("enterprise-risk")
def train_enterprise_risk(
    ctx: typer.Context,
    data: DataOption,
    out_dir: OutDirOption,
    as_json: JsonOption = False,
) -> None:
    """Train the enterprise illegal-fundraising model on the CCF BDCI 2020 folder.

    Prints the cross-validated metrics (overall and by industry, enterprise type and
    district) and writes model.txt, manifest.json and MODEL_CARD.md to --out.
    """
    from smokewatch.services import models as model_service

    url, settings = _engine(ctx)
    with progress_bars(_state(ctx).progress) as progress:
        report = model_service.train_enterprise_risk(
            data, out_dir, engine_url=url, engine_settings=settings, progress=progress
        )
    if as_json:
        print_json(_report_json(report))
        return
    _print_training(report)


@train_app.command("platform-risk")
def train_platform_risk(
    ctx: typer.Context,
    data: DataOption,
    out_dir: OutDirOption,
    as_of: Annotated[
        datetime,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="Date the model looks from."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Train the P2P platform failure model on the 网贷之家 folder, as of a date.

    Prints the out-of-time validation (trained on earlier years, tested on the year before
    --as-of) and writes the artefact to --out.
    """
    from smokewatch.services import models as model_service

    url, settings = _engine(ctx)
    with progress_bars(_state(ctx).progress) as progress:
        report = model_service.train_platform_risk(
            data,
            out_dir,
            as_of=as_of.date(),
            engine_url=url,
            engine_settings=settings,
            progress=progress,
        )
    if as_json:
        print_json(_report_json(report))
        return
    _print_training(report)


def _report_json(report: Any) -> dict[str, Any]:
    payload = dataclasses.asdict(report)
    payload["folder"] = str(report.folder)
    return payload


@model_app.command("predict")
def predict(
    ctx: typer.Context,
    model: Annotated[Path, typer.Option("--model", help="Model folder written by train.")],
    data: DataOption,
    out_path: Annotated[Path, typer.Option("--out", help="Predictions CSV to write.")],
    ids: Annotated[
        Path | None,
        typer.Option("--ids", help="enterprise-risk: CSV with a header 'id' (default: all)."),
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="platform-risk: score the platforms operating on this date (default: the "
            "model's).",
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the reasons: zh or en.")] = "zh",
    top: Annotated[int, typer.Option("--top", min=1, max=10, help="Reasons per row.")] = 3,
) -> None:
    """Score subjects and write <key>,score,flag,reasons (the top contributions in words)."""
    from smokewatch.services import models as model_service

    url, settings = _engine(ctx)
    with progress_bars(_state(ctx).progress) as progress:
        report = model_service.predict(
            model,
            data,
            out_path,
            ids_path=ids,
            as_of=as_of.date() if as_of else None,
            lang=lang,
            top=top,
            engine_url=url,
            engine_settings=settings,
            progress=progress,
        )
    if report.inputs:
        out.print(f"inputs: {report.inputs}", markup=False)
    for note in report.notes:
        err.print(f"note: {note}", markup=False)
    err.print(
        f"{report.rows} scored, {report.flagged} flagged at threshold {report.threshold:.4f}; "
        f"written to {out_path}",
        markup=False,
    )


@model_app.command("show")
def show(
    model_dir: Annotated[Path, typer.Argument(help="Model folder.")],
    as_json: JsonOption = False,
) -> None:
    """Show a model: task, verification, data hashes, metrics, threshold and its features."""
    from smokewatch.services import models as model_service

    described = model_service.describe(model_dir)
    if as_json:
        payload = dataclasses.asdict(described)
        payload["folder"] = str(described.folder)
        print_json(payload)
        return
    key_values(
        f"model {described.folder}",
        {
            "task": described.task,
            "created": described.created_at,
            "verified": "yes" if described.verified else f"NO — {described.problem}",
            "threshold": _fmt(described.threshold),
            "protocol": described.metrics.get("protocol", "–"),
            **({"inputs": str(described.extra["inputs"])} if "inputs" in described.extra else {}),
            "libraries": ", ".join(f"{k} {v}" for k, v in described.libraries.items()),
        },
    )
    table(
        "training data",
        ["file", "rows", "sha256"],
        [(f["file"], f["rows"], f["sha256"]) for f in described.training_data.get("files", [])],
    )
    for name, metrics in described.metrics.items():
        if isinstance(metrics, dict) and "f1" in metrics:
            table(name, METRIC_COLUMNS, [[_fmt(metrics.get(c)) for c in METRIC_COLUMNS]])
    table(
        "features",
        ["#", "name", "dtype", "label", "what it means"],
        [
            (i, f["name"], f["dtype"], f"{f['label_zh']} / {f['label_en']}", f["description"])
            for i, f in enumerate(described.features, 1)
        ],
    )


def register(app: typer.Typer) -> None:
    """Add the ``model`` group to the main app."""
    app.add_typer(model_app, name="model")


__all__ = ["register"]
