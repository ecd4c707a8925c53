"""Learning curves of both text models inside the training part: what does more data buy?

One-off research script (not imported by the package; see text_models.md, "More data: the
refit"). It never reads the validation part: the split is made exactly as ``smokewatch text
train`` makes it and the validation rows are dropped first. The training part is split again
(same grouped, stratified split, 20 %, seed ``--inner-seed``) into an *inner* training part
and an *inner* validation part; the package's own fit (``fit_news_events`` /
``_fit_sms_model``) runs on a share of the inner training part (a grouped subsample, seed
``--sample-seed``) and is scored on the inner validation part with the card's metric
functions. The step from 75 % to 100 % of the inner training part is the same relative step
as from the training part to every row (80 % to 100 % of the file), which ``text train``'s
refit takes.

    PYTHONPATH=src .venv/bin/python contrib/experiments/learning_curve.py sms --out W
    PYTHONPATH=src .venv/bin/python contrib/experiments/learning_curve.py news --share 0.75 --out W

Each run appends one JSON line (task, shares, seeds, sizes, figures) to ``W/curve.jsonl``.
Needs the ``ml`` extra.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from smokewatch.text.models import news
from smokewatch.text.models.metrics import grouped_split
from smokewatch.text.models.news_metrics import news_metrics
from smokewatch.text.models.news_training import fit_news_events
from smokewatch.text.models.sms_metrics import sms_metrics
from smokewatch.text.models.training import _fit_sms_model, read_finese, read_sms

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
NEWS = SHARED / "finese-event-subject" / "finese_train_list.json"
SMS = SHARED / "telecom-fraud-texts" / "telecom_fraud_texts_utf8.csv"
SPLIT_SEED = 20261121

_Row = TypeVar("_Row", bound=tuple[Any, ...])


def _split(rows: Sequence[_Row], text: int, label: int, seed: int, share: float) -> list[bool]:
    return grouped_split(
        [str(r[text]) for r in rows], [str(r[label]) for r in rows], fraction=share, seed=seed
    )


def _parts(
    rows: Sequence[_Row], text: int, label: int, args: argparse.Namespace
) -> tuple[list[_Row], list[_Row]]:
    """(inner training sample, inner validation): the validation part is never kept."""
    is_val = _split(rows, text, label, SPLIT_SEED, 0.2)
    training = [r for r, v in zip(rows, is_val, strict=True) if not v]
    inner_val = _split(training, text, label, args.inner_seed, 0.2)
    inner_train = [r for r, v in zip(training, inner_val, strict=True) if not v]
    held = [r for r, v in zip(training, inner_val, strict=True) if v]
    if args.share < 1:
        dropped = _split(inner_train, text, label, args.sample_seed, 1 - args.share)
        inner_train = [r for r, d in zip(inner_train, dropped, strict=True) if not d]
    return inner_train, held


def _figures(task: str, metrics: dict[str, Any]) -> dict[str, Any]:
    if task == "sms":
        return {"loan_f1": metrics["loan_fraud"]["f1"], "accuracy": metrics["accuracy"]}
    per_text = metrics["per_text"]
    return {
        "jizi_f1_text": per_text["per_class"]["涉嫌非法集资"]["f1"],
        "group_f1_text": per_text["illegal_finance_group"]["f1"],
        "accuracy_text": per_text["accuracy"],
        "subject_exact": metrics["subject"]["exact_match"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=("sms", "news"))
    parser.add_argument("--share", type=float, nargs="+", default=[0.5, 0.75, 1.0])
    parser.add_argument("--sample-seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--inner-seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for share in args.share:
        for sample_seed in args.sample_seeds if share < 1 else args.sample_seeds[:1]:
            args.share, args.sample_seed = share, sample_seed
            began = time.perf_counter()
            if args.task == "sms":
                rows = read_sms(SMS)
                train, held = _parts(rows, 0, 1, args)
                labels = sorted({r[1] for r in rows}, key=lambda x: (x != "正常短信", x))
                model = _fit_sms_model(SMS, train, labels, seed=SPLIT_SEED).classifier
                figures = _figures("sms", sms_metrics(model, held))
            else:
                news_rows = read_finese(NEWS)
                n_train, n_held = _parts(news_rows, 1, 2, args)
                labels = sorted({r[2] for r in news_rows}, key=lambda x: (x != news.NONE_LABEL, x))
                fitted = fit_news_events(n_train, labels, seed=SPLIT_SEED).model
                figures = _figures("news", news_metrics(fitted, n_held))
                train, held = n_train, n_held  # type: ignore[assignment]
            line = {
                "task": args.task,
                "share": share,
                "sample_seed": sample_seed,
                "inner_seed": args.inner_seed,
                "train_rows": len(train),
                "held_rows": len(held),
                "seconds": round(time.perf_counter() - began, 1),
                **{k: round(float(v), 4) for k, v in figures.items()},
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)
            with (args.out / "curve.jsonl").open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
