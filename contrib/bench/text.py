"""``make bench-text``: throughput of ``smokewatch text analyze`` next to plain ``jieba.lcut``.

Texts: the FinESE news texts and the telecom SMS texts read from ``../shared/data`` (or
``$SMOKEWATCH_SHARED_DATA``) at run time (never copied). Models: trained into
``<out>/models/`` on first use with ``smokewatch text train`` (reused afterwards). In the
same process, over the same texts:

1. ``jieba.lcut`` on every text (the dictionary is loaded before timing);
2. ``text analyze`` (the real command, JSON lines in and out) with the news model on the news
   texts and the SMS model on the SMS texts, and rule-only on all texts.

jieba is timed right before and right after each analyze run (the mean is reported). The
pair is repeated (``--repeats``, default 3) and the run with the median steady ratio is
reported, with every run's ratio: on a shared machine identical runs differ by ±10 %.

Target (issue 3): analyze with a model ≥ 0.5 × jieba's texts/s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SMOKEWATCH_SHARED_DATA", ROOT.parent / "shared" / "data"))
BIN = Path(sys.executable).parent


def news_texts() -> list[str]:
    rows = json.loads(
        (SHARED / "finese-event-subject" / "finese_train_list.json").read_text(encoding="utf-8")
    )
    return list(dict.fromkeys(str(r[1]) for r in rows))


def sms_texts() -> list[str]:
    path = SHARED / "telecom-fraud-texts" / "telecom_fraud_texts_utf8.csv"
    with path.open(encoding="utf-8") as fh:
        return [row["content"] for row in csv.DictReader(fh)]


def ensure_model(task: str, data: Path, out: Path) -> Path:
    """The model of ``task`` under ``out``, trained if missing or refused by this version."""
    from smokewatch.errors import ConfigError
    from smokewatch.text.models import load_text_model

    folder = out / "models" / task
    why = "first run only"
    if (folder / "manifest.json").exists():
        try:
            load_text_model(folder)
            return folder
        except ConfigError as exc:  # e.g. trained by an older version (another spec)
            why = f"the one there was refused: {exc}"
    print(f"training {task} ({why}) …", file=sys.stderr)
    subprocess.run(
        [
            str(BIN / "smokewatch"),
            "--no-progress",
            "text",
            "train",
            "--task",
            task,
            "--data",
            str(data),
            "--out",
            str(folder),
        ],
        check=True,
    )
    return folder


def time_jieba(texts: list[str]) -> float:
    import jieba

    jieba.initialize()
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return len(texts) / (time.perf_counter() - started)


def time_analyze(texts: list[str], model: Path | None, work: Path, name: str) -> dict[str, Any]:
    source = work / f"{name}.in.jsonl"
    target = work / f"{name}.out.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
    args = [
        str(BIN / "smokewatch"),
        "--no-progress",
        "text",
        "analyze",
        "--in",
        str(source),
        "--out",
        str(target),
    ]
    if model is not None:
        args += ["--model", str(model)]
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    written = sum(1 for _ in target.open(encoding="utf-8"))
    steady = re.search(r"([\d,]+)\s+texts/s", done.stderr)
    return {
        "texts": written,
        "wall_s": wall,
        "texts_per_s": written / wall,
        "steady_texts_per_s": float(steady.group(1).replace(",", "")) if steady else None,
        "stderr": done.stderr.strip(),
    }


def time_pair(texts: list[str], model: Path, work: Path, name: str) -> dict[str, Any]:
    """One analyze run with ``model`` between two jieba runs over the same texts."""
    # jieba right before and right after, averaged: a change of machine load during the run
    # affects both sides of the ratio alike
    before = time_jieba(texts)
    analyze = time_analyze(texts, model, work, name)
    after = time_jieba(texts)
    jieba_rate = (before + after) / 2
    steady = analyze["steady_texts_per_s"] or 0.0
    return {
        "analyze": analyze,
        "jieba_before_texts_per_s": before,
        "jieba_after_texts_per_s": after,
        "jieba_texts_per_s": jieba_rate,
        "steady_ratio": steady / jieba_rate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out" / "text")
    parser.add_argument("--news-model", type=Path, help="Use this news model (else train one).")
    parser.add_argument("--sms-model", type=Path, help="Use this SMS model (else train one).")
    parser.add_argument(
        "--repeats", type=int, default=3, help="Runs per model; the median is reported (3)."
    )
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    news, sms = news_texts(), sms_texts()
    news_model = args.news_model or ensure_model(
        "news-events", SHARED / "finese-event-subject" / "finese_train_list.json", out
    )
    sms_model = args.sms_model or ensure_model(
        "sms-fraud", SHARED / "telecom-fraud-texts" / "telecom_fraud_texts_utf8.csv", out
    )
    results: dict[str, Any] = {"news_texts": len(news), "sms_texts": len(sms)}
    for name, texts, model in (("news", news, news_model), ("sms", sms, sms_model)):
        runs = [time_pair(texts, model, out, name) for _ in range(args.repeats)]
        median = sorted(runs, key=lambda run: run["steady_ratio"])[(len(runs) - 1) // 2]
        results[f"analyze_{name}_model"] = median["analyze"]
        results[f"jieba_{name}"] = median["jieba_texts_per_s"]
        # in run order, each with its own jieba rates before and after
        results[f"{name}_steady_ratios"] = [round(run["steady_ratio"], 3) for run in runs]
        results[f"{name}_runs"] = [
            {
                "jieba_before": round(run["jieba_before_texts_per_s"]),
                "analyze_steady": run["analyze"]["steady_texts_per_s"],
                "jieba_after": round(run["jieba_after_texts_per_s"]),
                "steady_ratio": round(run["steady_ratio"], 3),
            }
            for run in runs
        ]
    results["analyze_rules_only"] = time_analyze(news + sms, None, out, "rules")
    (out / "results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    rows = [
        (f"{len(news):,} news, news model", results["jieba_news"], results["analyze_news_model"]),
        (f"{len(sms):,} SMS, SMS model", results["jieba_sms"], results["analyze_sms_model"]),
        (f"{len(news) + len(sms):,} all, rules only", None, results["analyze_rules_only"]),
    ]
    lines = [
        "# bench-text",
        "",
        "`smokewatch text analyze` against `jieba.lcut` over the same texts (jieba timed in this",
        "process right before and after each analyze run). *Wall*: the whole command, process",
        "start, imports and model load included. *Steady*: the rate the command reports, after",
        "its start-up (word lists, jieba, divisions and the model loaded).",
        "",
        "| texts | jieba texts/s | analyze wall texts/s | ratio | analyze steady texts/s | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, jieba_rate, run in rows:
        steady = run["steady_texts_per_s"] or 0.0
        if jieba_rate is None:
            lines.append(f"| {label} | — | {run['texts_per_s']:,.0f} | — | {steady:,.0f} | — |")
            continue
        lines.append(
            f"| {label} | {jieba_rate:,.0f} | {run['texts_per_s']:,.0f} | "
            f"{run['texts_per_s'] / jieba_rate:.2f}× | {steady:,.0f} | {steady / jieba_rate:.2f}× |"
        )
    lines += [
        "",
        f"Steady ratio of each of {args.repeats} runs, in run order (the median run is in the "
        "table): news "
        + " / ".join(f"{r:.2f}×" for r in results["news_steady_ratios"])
        + ", SMS "
        + " / ".join(f"{r:.2f}×" for r in results["sms_steady_ratios"])
        + ".",
        "",
        "Target (issue 3): analyze with a model ≥ 0.5 × jieba.",
    ]
    report = "\n".join(lines) + "\n"
    (out / "results.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
