"""The transfer-risk model card: prose here, figures from training."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from smokewatch.graph.transfers import GraphWindows
from smokewatch.score.ml.cards import metrics_table
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES

SUMMARY = (
    "Scores each bank transfer for money-laundering / illegal-fundraising patterns (fan-in "
    "fund pools, fan-out payouts, cycles, scatter-gather, gather-scatter, relays) from the "
    "transfer graph around it. Each flagged transfer gets its three largest contributions as "
    "reasons and the most likely typology."
)
LIMITS = (
    (
        "Trained on IBM AMLSim output (synthetic, day granularity, one currency, no cash). "
        "Scores are not comparable with real alert data; retrain on the bank's own cases."
    ),
    (
        "AMLSim shortcuts are kept out of the features: no account id, no raw amount or "
        "amount sum (scatter-gather amounts are drawn from a narrow range), no bank name, "
        "and never `prior_sar_count` (it marks exactly the alert accounts). Degrees stay: "
        "they are what a graph feature is, but in AMLSim the members of an alert are often "
        "accounts with few other transfers, which real mules need not be."
    ),
    (
        "The `random` typology (a random walk of money) is found through relations used "
        "exactly once within days of each other (多层过桥), less often than the others."
    ),
    (
        "Features see the whole file given: scoring one day's transfers alone loses the "
        "windows around them. A relation counts as used once only with 30 days of the file "
        "on both sides, so score at least a month around the period of interest."
    ),
)


def _fmt(value: Any) -> str:
    return "–" if value is None else (f"{value:.4f}" if isinstance(value, float) else str(value))


def render(
    metrics: Mapping[str, Any],
    threshold: float,
    files: Sequence[Mapping[str, Any]],
    typologies: Sequence[str],
    windows: GraphWindows,
) -> str:
    """``MODEL_CARD.md`` of a trained transfer-risk model."""
    test = dict(metrics["test"])
    lines = ["# Transfer-risk model (bank transfers, AMLSim layout)", "", SUMMARY, ""]
    lines += ["## Data", "", "| file | rows | sha256 |", "|---|---|---|"]
    lines += [f"| `{f['file']}` | {f['rows']} | `{f['sha256']}` |" for f in files]
    lines += ["", "## Validation protocol", "", str(metrics["protocol"]), ""]
    lines += [f"Split (rows): {metrics['split_rows']}.", ""]
    lines += ["## Metrics (test = last 20 % by time)", ""]
    lines += [f"Flag threshold (calibrated score): **{threshold:.4f}**.", ""]
    lines += metrics_table(
        [{"segment": "validation", **metrics["validation"]}, {"segment": "test", **test}]
    )
    lines += ["", "Recall per typology on the test part:", "", "| typology | recall |", "|---|---|"]
    lines += [f"| {k} | {_fmt(v)} |" for k, v in metrics["test_recall_by_typology"].items()]
    accuracy = _fmt(metrics.get("test_typology_accuracy_of_flagged"))
    lines += ["", f"Typology named correctly for {accuracy} of the flagged suspicious transfers."]
    lines += ["", f"Typologies: {', '.join(typologies)}. Windows: {windows.to_json()}.", ""]
    lines += ["## Limits", "", *[f"- {item}" for item in LIMITS], ""]
    lines += ["## Features", "", "| feature | zh | en | description |", "|---|---|---|---|"]
    for f in TRANSFER_FEATURES.features:
        text = " ".join(f.description.split())
        lines.append(f"| `{f.name}` | {f.label_zh} | {f.label_en} | {text} |")
    lines += ["", "## Licence", "", "Model weights derive from the AMLSim data (Apache-2.0)."]
    return "\n".join(lines) + "\n"


__all__ = ["render"]
