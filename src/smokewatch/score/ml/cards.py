"""Model cards: what a model is for, what it was trained on, how well it does, where it fails.

:func:`render_card` writes ``MODEL_CARD.md`` from a :class:`CardContent` that each model fills
in (purpose, data, limits) and from the figures training measured (metrics overall and per
segment, threshold, validation protocol, feature list with the analyst descriptions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from smokewatch.score.ml.features import FeatureSet


@dataclass(frozen=True, slots=True)
class CardContent:
    """The prose of a model card; the figures come from training."""

    title: str
    summary: str
    intended_use: Sequence[str]
    out_of_scope: Sequence[str]
    data: Sequence[str]
    validation: Sequence[str]
    limits: Sequence[str]
    licence: Sequence[str]
    generalisation: Sequence[str] = field(default_factory=tuple)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def metrics_table(rows: Sequence[Mapping[str, Any]], first: str = "segment") -> list[str]:
    """A Markdown table of metric rows (segment, rows, positives, flagged, AUC, P, R, F1)."""
    columns = [first, "rows", "positives", "flagged", "auc", "precision", "recall", "f1"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    keys = ["segment", *columns[1:]]
    lines.extend("| " + " | ".join(_fmt(row.get(c)) for c in keys) + " |" for row in rows)
    return lines


def _bullets(items: Sequence[str]) -> list[str]:
    return [f"- {item}" for item in items]


def render_card(
    content: CardContent,
    *,
    features: FeatureSet,
    overall: Mapping[str, Any],
    segments: Mapping[str, Sequence[Mapping[str, Any]]],
    threshold: float,
    files: Sequence[Mapping[str, Any]],
    extra_sections: Mapping[str, Sequence[str]] | None = None,
    metrics_note: str = "",
) -> str:
    """The Markdown model card (``metrics_note`` says what the overall row measures)."""
    lines = [f"# {content.title}", "", content.summary, ""]
    lines += ["## Intended use", "", *_bullets(content.intended_use), ""]
    lines += ["Not for:", "", *_bullets(content.out_of_scope), ""]
    lines += ["## Data", "", *_bullets(content.data), ""]
    lines += ["| file | rows | sha256 |", "|---|---|---|"]
    lines += [f"| `{f['file']}` | {f['rows']} | `{f['sha256']}` |" for f in files]
    lines += ["", "## Validation protocol", "", *_bullets(content.validation), ""]
    lines += ["## Metrics", "", f"Flag threshold (calibrated score): **{threshold:.4f}**.", ""]
    if metrics_note:
        lines += [metrics_note, ""]
    lines += metrics_table([{"segment": "all", **overall}])
    nested = overall.get("f1_threshold_chosen_on_other_folds")
    if isinstance(nested, Mapping):
        lines += [
            "",
            (
                "With each fold flagged at a threshold chosen on the other folds only: "
                f"precision {_fmt(nested['precision'])}, recall {_fmt(nested['recall'])}, "
                f"**F1 {_fmt(nested['f1'])}**."
            ),
        ]
    for title, rows in segments.items():
        lines += ["", f"### By {title}", "", *metrics_table(rows, title)]
    for title, body in (extra_sections or {}).items():
        lines += ["", f"## {title}", "", *body]
    if content.generalisation:
        lines += ["", "## Why it should generalise", "", *_bullets(content.generalisation)]
    lines += ["", "## Known limits", "", *_bullets(content.limits)]
    lines += ["", "## Features", "", "| # | feature | label | what it means |", "|---|---|---|---|"]
    for index, feature in enumerate(features.features, 1):
        description = " ".join(feature.description.split())
        label = f"{feature.label_zh} / {feature.label_en}"
        lines.append(f"| {index} | `{feature.name}` | {label} | {description} |")
    lines += ["", "## Licence of the data", "", *_bullets(content.licence), ""]
    return "\n".join(lines)


__all__ = ["CardContent", "metrics_table", "render_card"]
