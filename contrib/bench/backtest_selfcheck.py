"""Self-check of ``smokewatch backtest p2p-wdzj`` against outcomes *inside* the data set.

The outcomes the maintainers use (what became of the 513 platforms operating in mid-2017) are
hidden. What the folder itself knows is which platforms operating on an earlier date became
problem platforms before the data ends (problem events up to 2017-06-30). So this script runs
the backtest as of an earlier date D — with everything after D removed by the backtest's
as-of view — and measures the ranking against the failures (停业, 提现困难, 跑路, 经侦介入)
recorded in the original folder between D and 2017-06-30.

What this can and cannot check: monthly figures exist only for the platforms wdzj still
listed in mid-2017 (survivors by construction), so on a date before 2017-06 the figure-based
dimensions (return deviation, spread, funds) can only ever score survivors — the script reports
the index without them too. Also, on D < 2017-06 the profiles' snapshot fields (custody,
association, licence, returns) are from July 2017, so the backtest treats them as unknown, and
no monthly figures exist before 2017-01. The proxy therefore measures the model, events and
backer parts of the index on the larger, mostly small-platform population of D, not the
compliance and monthly-figure dimensions. Nothing here is used to choose any point or threshold.

    .venv/bin/python contrib/bench/backtest_selfcheck.py --data ../shared/data/p2p-platforms-wdzj \
        --as-of 2016-06-30 [--as-of 2016-12-31 …]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import date
from pathlib import Path

from smokewatch.services.backtest import p2p_wdzj

FAILURES = {"停业", "提现困难", "跑路", "经侦介入"}
DATA_END = "2017-06-30"


def _auc(scores: list[float], labels: list[bool]) -> float:
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def check(data: Path, as_of: date) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        summary = p2p_wdzj(data, Path(tmp) / "scores.csv", as_of=as_of)
        seconds = time.perf_counter() - started
        with (Path(tmp) / "scores.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    with (data / "problemPlat.csv").open(encoding="utf-8-sig", newline="") as handle:
        failed = {
            r["platName"]
            for r in csv.DictReader(handle)
            if r["type"] in FAILURES and as_of.isoformat() < r["problemTime"][:10] <= DATA_END
        }
    labels = [r["platName"] in failed for r in rows]
    scores = [float(r["smoke_index"]) for r in rows]
    model = [float(r["model"]) for r in rows]
    figures = ("return_deviation", "spread", "funds")
    without = [float(r["smoke_index"]) - sum(float(r[d]) for d in figures) for r in rows]
    with_figures = [any(float(r[d]) for d in figures) for r in rows]
    k = 50
    return {
        "as_of": as_of.isoformat(),
        "platforms": len(rows),
        "failed_later_in_data": sum(labels),
        "auc_index": round(_auc(scores, labels), 4),
        "auc_model_dimension": round(_auc(model, labels), 4),
        "auc_without_figure_dimensions": round(_auc(without, labels), 4),
        "failed_with_figure_points": sum(
            y and f for y, f in zip(labels, with_figures, strict=True)
        ),
        "survived_with_figure_points": sum(
            (not y) and f for y, f in zip(labels, with_figures, strict=True)
        ),
        f"precision_at_{k}": round(sum(labels[:k]) / k, 3),
        "base_rate": round(sum(labels) / len(labels), 3),
        "seconds": round(seconds, 1),
        "grades": summary.by_grade,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, action="append", required=True)
    args = parser.parse_args()
    for day in args.as_of:
        print(check(args.data, day), flush=True)


if __name__ == "__main__":
    main()
