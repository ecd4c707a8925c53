"""``smokewatch resolve compare|evaluate|run|judge|explain``: entity resolution."""

from __future__ import annotations

import csv
import getpass
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from smokewatch.cli.render import err, key_values, out, print_json, progress_bars, table
from smokewatch.cli.state import CliState, WorkspaceOption
from smokewatch.errors import InvalidInput

JsonOption = Annotated[bool, typer.Option("--json", help="JSON output.")]

resolve_app = typer.Typer(
    help="Entity resolution: compare organisation names, evaluate on labelled pairs.",
    no_args_is_help=True,
)


@resolve_app.command("compare")
def compare(
    source: Annotated[str, typer.Option("--in", help="CSV with columns left,right; - for stdin.")],
    target: Annotated[str, typer.Option("--out", help="CSV out (+ score, match); - for stdout.")],
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Match threshold on the score (0.8).")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Add the contributions of each score.")
    ] = False,
    encoding: Annotated[
        str, typer.Option("--encoding", help="Input encoding: auto (UTF-8 or GB18030), or a codec.")
    ] = "auto",
) -> None:
    """Score pairs of organisation names: 0–1 and a match decision, with bad rows reported."""
    from smokewatch.resolve.compare import THRESHOLD
    from smokewatch.services.resolve_files import compare_file

    report = compare_file(
        source,
        target,
        threshold=THRESHOLD if threshold is None else threshold,
        explain=explain,
        encoding=encoding,
    )
    for bad in report.bad:
        err.print(f"line {bad.line}: not compared, {bad.reason}", markup=False, soft_wrap=True)
    err.print(
        f"{report.rows} pairs compared ({report.encoding}), {report.matches} matches, "
        f"{len(report.bad)} rows not compared, {report.pairs_per_second:,.0f} pairs/s",
        markup=False,
        soft_wrap=True,
    )


@resolve_app.command("evaluate")
def evaluate(
    data: Annotated[Path, typer.Option("--data", help="Folder with the shared data sets.")],
    split: Annotated[str, typer.Option("--split", help="dev or test.")] = "test",
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Match threshold on the score (0.8).")
    ] = None,
    pairs_out: Annotated[
        Path | None, typer.Option("--pairs-out", help="Also write the labelled pairs (CSV).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Precision and recall of the name comparison on pairs built from real names."""
    from smokewatch.resolve.compare import THRESHOLD, compare_names
    from smokewatch.resolve.pairset import build_pairs
    from smokewatch.resolve.pairset import evaluate as run

    if split not in ("dev", "test"):
        raise InvalidInput(f"--split must be dev or test, not {split!r}")
    cut = THRESHOLD if threshold is None else threshold
    pairs = build_pairs(data)
    if pairs_out is not None:
        with pairs_out.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["left", "right", "match", "kind", "split", "negative"])
            for p in pairs:
                writer.writerow([p.left, p.right, int(p.match), p.kind, p.split, p.negative])
    metrics = run(pairs, lambda a, b: compare_names(a, b, cut).match, split)
    rows = [
        (name, m.pairs, m.matches, f"{m.precision:.4f}", f"{m.recall:.4f}")
        for name, m in metrics.items()
    ]
    if as_json:
        print_json(
            {
                "split": split,
                "threshold": cut,
                "metrics": {
                    n: {
                        "pairs": m.pairs,
                        "matches": m.matches,
                        "precision": m.precision,
                        "recall": m.recall,
                    }
                    for n, m in metrics.items()
                },
            }
        )
        return
    table(
        f"Name comparison · {split} · threshold {cut}",
        ["set", "pairs", "matches", "precision", "recall"],
        rows,
    )


def _settings(ctx: typer.Context, workspace: Path | None) -> Any:
    state: CliState = ctx.obj
    return state.settings(workspace)


@resolve_app.command("run")
def run(ctx: typer.Context, workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """Resolve the workspace's enterprises into entities (Splink, trained without labels)."""
    from smokewatch.services.resolve import run_resolution

    state: CliState = ctx.obj
    with progress_bars(state.progress) as progress:
        summary = run_resolution(_settings(ctx, workspace), progress=progress)
    data = {f: getattr(summary, f) for f in summary.__slots__}
    if as_json:
        print_json(data)
        return
    key_values(f"Resolution run {summary.run_id}", data)


@resolve_app.command("judge")
def judge(
    ctx: typer.Context,
    left: Annotated[str, typer.Argument(help="A record id.")],
    right: Annotated[str, typer.Argument(help="Another record id.")],
    same: Annotated[
        bool, typer.Option("--same/--different", help="The two records are (not) one entity.")
    ],
    note: Annotated[str, typer.Option("--note", help="Why.")] = "",
    actor: Annotated[
        str | None, typer.Option("--as", help="Who judges (default: the operator).")
    ] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record an analyst's judgement on two records; it re-clusters at once and on re-runs."""
    from smokewatch.services.resolve import judge as record

    who = actor or f"cli:{os.environ.get('SMOKEWATCH_ACTOR') or getpass.getuser()}"
    result = record(_settings(ctx, workspace), left, right, same=same, actor=who, note=note)
    if as_json:
        print_json(result)
        return
    out.print(
        f"{result['left']['record_id']} → {result['left']['entity_id']}, "
        f"{result['right']['record_id']} → {result['right']['entity_id']} "
        f"({'same' if same else 'different'}, by {who})",
        markup=False,
    )


@resolve_app.command("explain")
def explain(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(help="An entity id or a record id.")],
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show an entity: its records, the pairs that join them (weight per comparison), judgements."""
    from smokewatch.services.resolve import explain as show

    data = show(_settings(ctx, workspace), ident)
    if as_json:
        print_json(data)
        return
    table(
        f"Entity {data['entity_id']}",
        ["record", "name", "uscc", "legal rep", "phone", "place"],
        [
            (r["record_id"], r["name"], r["uscc"], r["legal_rep"], r["phone"], r["region_code"])
            for r in data["records"]
        ],
    )
    table(
        f"Pairs (join at probability ≥ {data['threshold']})",
        ["left", "right", "probability", "weight", "evidence"],
        [
            (
                p["left_id"],
                p["right_id"],
                f"{p['match_probability']:.4f}",
                f"{p['match_weight']:.2f}",
                "; ".join(
                    f"{c['comparison']} {c['level']} {c['weight']:+.1f}"
                    for c in p["comparisons"]
                    if c["weight"]
                ),
            )
            for p in data["pairs"]
        ],
    )
    table(
        "Judgements",
        ["left", "right", "same", "by", "at", "note"],
        [
            (j["left_id"], j["right_id"], j["same"], j["actor"], j["at"], j["note"])
            for j in data["judgements"]
        ],
    )


def register(app: typer.Typer) -> None:
    """Add the ``resolve`` group to the main app."""
    app.add_typer(resolve_app, name="resolve")


__all__ = ["register"]
