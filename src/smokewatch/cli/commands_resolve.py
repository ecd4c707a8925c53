"""``smokewatch resolve compare|evaluate``: entity resolution from the command line."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from smokewatch.cli.render import err, print_json, table
from smokewatch.errors import InvalidInput

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


def register(app: typer.Typer) -> None:
    """Add the ``resolve`` group to the main app."""
    app.add_typer(resolve_app, name="resolve")


__all__ = ["register"]
