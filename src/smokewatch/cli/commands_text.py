"""``smokewatch text train|analyze|evaluate|inspect``: the Chinese financial text reader."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from smokewatch.cli.render import counted, err, out, print_json, progress_bars, table
from smokewatch.cli.state import CliState
from smokewatch.errors import InvalidInput

text_app = typer.Typer(
    help="Read Chinese financial texts: returns, lure words, events, subjects.",
    no_args_is_help=True,
)

TASKS = ("news-events", "sms-fraud")
JsonOption = Annotated[bool, typer.Option("--json", help="JSON output.")]
EncodingOption = Annotated[
    str, typer.Option("--encoding", help="File encoding: auto (UTF-8 or GB18030), or a codec.")
]


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.obj
    return state


@text_app.command("train")
def train(
    ctx: typer.Context,
    task: Annotated[str, typer.Option("--task", help="news-events or sms-fraud.")],
    data: Annotated[
        Path, typer.Option("--data", help="Training file (finese_train_list.json / telecom CSV).")
    ],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the model artefact to.")],
    seed: Annotated[int, typer.Option("--seed", help="Seed of the validation split.")] = 20261121,
    validation: Annotated[
        float,
        typer.Option("--validation", min=0.05, max=0.5, help="Share held out for validation."),
    ] = 0.2,
    refit: Annotated[
        bool,
        typer.Option(
            "--refit/--no-refit",
            help="After validation, fit again on every row and write that model (default); "
            "--no-refit writes the validated fit itself.",
        ),
    ] = True,
    encoding: EncodingOption = "auto",
    as_json: JsonOption = False,
) -> None:
    """Train a text model and write it as a verified artefact with its model card.

    The figures printed are those of a fit on the training part, scored on the validation
    part; by default the model written is then refitted on every row.
    """
    from smokewatch.ingest.encoding import detect_encoding
    from smokewatch.text.models import train_news_events, train_sms_fraud

    if task not in TASKS:
        raise InvalidInput(f"--task must be one of {', '.join(TASKS)}, not {task!r}")
    if not data.is_file():
        raise InvalidInput(f"no such training file: {data}")
    codec = detect_encoding(data, encoding, how_to_declare="name it with --encoding")
    trainer = train_news_events if task == "news-events" else train_sms_fraud
    with progress_bars(_state(ctx).progress) as progress:
        report = trainer(
            data,
            out_dir,
            seed=seed,
            validation=validation,
            refit=refit,
            encoding=codec,
            progress=progress,
        )
    if as_json:
        print_json({"task": task, "out": str(out_dir), "metrics": report.metrics})
        return
    split = report.metrics.get("split", {})
    _figures(
        f"{task} · validation",
        task,
        report.metrics,
        f"validation split of {data.name} ({codec}): seed {split.get('seed')}, "
        f"{split.get('validation', validation):.0%} of the texts, grouped by text",
    )
    refitted = split.get("refit_rows")
    written = (
        f"model refitted on all {refitted:,} rows after validation and written to {out_dir}"
        if refitted
        else f"model written to {out_dir}"
    )
    out.print(
        f"{written} (every figure in {out_dir / 'MODEL_CARD.md'}; --json prints them)",
        markup=False,
    )


def _figures(title: str, task: str, metrics: dict[str, Any], scope: str) -> None:
    """The headline figures, the per-class table and the most frequent mistakes."""
    from smokewatch.services.text_eval import headline_figures

    table(title, ["figure", "value"], [(n, _figure(v)) for n, v in headline_figures(task, metrics)])
    out.print(scope, markup=False)
    per_text = "per_text" in metrics
    per_class = metrics["per_text"]["per_class"] if per_text else metrics["per_class"]
    table(
        "Per class" + (" (per text)" if per_text else ""),
        ["class", "precision", "recall", "F1", "support"],
        [
            (label, f"{c['precision']:.4f}", f"{c['recall']:.4f}", f"{c['f1']:.4f}", c["support"])
            for label, c in per_class.items()
            if c["support"]
        ],
    )
    confusions = metrics["per_text"]["confusions"] if per_text else metrics["confusions"]
    table(
        "Most frequent mistakes",
        ["gold", "predicted", "count"],
        [(c["gold"], c["predicted"], c["count"]) for c in confusions],
    )


@text_app.command("analyze")
def analyze(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--in", help='JSON lines {"id", "text"}; - for stdin.')],
    target: Annotated[str, typer.Option("--out", help="JSON lines out; - for stdout.")],
    model: Annotated[
        Path | None, typer.Option("--model", help="Model folder (omit: rules only).")
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="Day for benchmark rates (today)."),
    ] = None,
    encoding: EncodingOption = "auto",
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", min=1, help="Worker processes, each with its own copy of the model."
        ),
    ] = 1,
) -> None:
    """Analyse texts: returns, lure words, events, mentions; with a model category and subject."""
    from smokewatch.services import text_files

    state = _state(ctx)
    with progress_bars(state.progress and target != "-") as progress:
        report = text_files.analyze_file(
            source,
            target,
            model_dir=model,
            as_of=as_of.date() if as_of else None,
            encoding=encoding,
            jobs=jobs,
            progress=progress,
        )
    for bad in report.malformed:
        err.print(f"line {bad.line}: skipped, {bad.reason}", markup=False, soft_wrap=True)
    err.print(
        f"{counted(report.written, 'text')} analysed ({report.task or 'rules only'}, "
        f"{report.encoding}), {counted(len(report.malformed), 'malformed line')} skipped, "
        f"{report.texts_per_second:,.0f} texts/s",
        markup=False,
        soft_wrap=True,
    )


@text_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    model: Annotated[Path, typer.Option("--model", help="Model folder.")],
    data: Annotated[
        Path,
        typer.Option(
            "--data", help="Labelled file in the training format (FinESE list / telecom CSV)."
        ),
    ],
    all_rows: Annotated[
        bool,
        typer.Option(
            "--all-rows",
            help="On the model's own training file, score every row, not only validation.",
        ),
    ] = False,
    encoding: EncodingOption = "auto",
    report_path: Annotated[
        Path | None, typer.Option("--report", help="Also write every figure as JSON here.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score a trained model on labelled texts: the model card's figures, on your data."""
    from smokewatch.services.text_eval import evaluate_text_model

    with progress_bars(_state(ctx).progress and not as_json) as progress:
        evaluation = evaluate_text_model(
            model, data, all_rows=all_rows, encoding=encoding, progress=progress
        )
    payload = evaluation.as_dict()
    if report_path is not None:
        report_path.write_text(
            json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    if as_json:
        print_json(payload)
        return
    _figures(
        f"{evaluation.task} · {evaluation.data}",
        evaluation.task,
        evaluation.metrics,
        f"{evaluation.rows} rows ({evaluation.encoding}): {evaluation.scope}",
    )
    for note in evaluation.notes:
        err.print(f"note: {note}", markup=False, soft_wrap=True)
    if report_path is not None:
        out.print(f"every figure written to {report_path}", markup=False)


def _figure(value: object) -> object:
    if not isinstance(value, float):
        return value
    return f"{value:.4f}" if value == 0 or abs(value) >= 0.01 else f"{value:.5f}"


@text_app.command("inspect")
def inspect(
    text: Annotated[str, typer.Argument(help="The text to read.")],
    model: Annotated[
        Path | None, typer.Option("--model", help="Model folder (omit: rules only).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show what smokewatch reads in one text, with spans, weights and reasons."""
    from smokewatch.services import text as text_service

    analyzer = text_service.TextAnalyzer.open(model)
    (record,) = analyzer.analyze([("text", text)])
    if as_json:
        print_json(record)
        return
    out.print(
        f"category: {record['category']}  subject: {record['subject']}  "
        f"risk: {record['risk_score']}",
        markup=False,
    )
    explanation = record["explanation"]
    table(
        "Risk factors (noisy-OR)",
        ["source", "what", "weight"],
        [(f["source"], f["label"], f["weight"]) for f in explanation["risk_factors"]],
    )
    if explanation["model"] is not None:
        table(
            "Model",
            ["feature or label", "weight"],
            [(label, p) for label, p in explanation["model"]["probabilities"].items()]
            + [(r["feature"], r["weight"]) for r in explanation["model"]["reasons"]],
        )
    table(
        "Promised returns",
        ["phrase", "annual %", "unit", "band", "basis"],
        [
            (r["text"], r["annual_rate"], r["unit"], r["band"], r["basis"])
            for r in record["promised_returns"]
        ],
    )
    table(
        "Signals and events",
        ["kind", "text", "span", "weight", "source"],
        [
            (s["kind"], s["text"], s["span"], s["weight"], s["source"])
            for s in (*record["signals"], *record["events"])
        ],
    )
    table(
        "Not counted",
        ["text", "rule", "cue", "reason"],
        [(d["text"], d["rule"], d["cue"], d["reason_en"]) for d in record["discounted"]],
    )
    table(
        "Mentions",
        ["kind", "text", "value"],
        [(m["kind"], m["text"], m["value"]) for m in record["mentions"]],
    )


def register(app: typer.Typer) -> None:
    """Add the ``text`` group to the main app."""
    app.add_typer(text_app, name="text")


__all__ = ["register"]
