"""How well a trained text model reads labelled texts: ``smokewatch text evaluate``.

The figures are those of the model card, computed by the same functions, on a labelled file
in the training format (a FinESE ``[id, text, event, subject]`` list for ``news-events``, a
``content,label_name`` CSV for ``sms-fraud``). A regulator who labels some of their own texts
learns how far to trust the model on them; the maintainers score a held-back list the same way.

Given the model's own training file (recognised by its sha256 in the manifest), only its
validation rows are scored, split again with the seed and share recorded at training, so the
figures are the card's and no row the model learnt from is counted. A model refitted on every
row after validation (the default of ``text train``) has learnt them all, so its own training
file is refused. ``all_rows`` scores every row anyway, and says that the figures are then
optimistic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from smokewatch.errors import InvalidInput
from smokewatch.ingest.encoding import detect_encoding
from smokewatch.ml.artefact import file_sha256
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.text.models.base import artefact_manifest, load_text_model
from smokewatch.text.models.metrics import grouped_split
from smokewatch.text.models.news import NEWS_TASK, NewsEventModel
from smokewatch.text.models.news_metrics import news_metrics
from smokewatch.text.models.sms import SmsFraudModel
from smokewatch.text.models.sms_metrics import fraud_probability, sms_metrics
from smokewatch.text.models.training import read_finese, read_sms

ALL_ROWS = "all rows of the file"

_Row = TypeVar("_Row", bound=tuple[str | None, ...])


@dataclass(frozen=True, slots=True)
class TextEvaluation:
    """The figures of one model on one labelled file, and what was scored."""

    task: str
    data: str
    """The labelled file's name."""
    encoding: str
    rows: int
    """Labelled rows scored (a text may carry several rows in FinESE)."""
    scope: str
    """Which rows were scored: :data:`ALL_ROWS`, or the training file's validation split."""
    metrics: dict[str, Any]
    notes: tuple[str, ...] = ()

    def headline(self) -> list[tuple[str, float | int | None]]:
        """The figures the issue's targets name (see :func:`headline_figures`)."""
        return headline_figures(self.task, self.metrics)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: what was scored, the notes and every metric."""
        return {
            "task": self.task,
            "data": self.data,
            "encoding": self.encoding,
            "rows": self.rows,
            "scope": self.scope,
            "notes": list(self.notes),
            "metrics": self.metrics,
        }


def headline_figures(task: str, metrics: dict[str, Any]) -> list[tuple[str, float | int | None]]:
    """The figures the issue's targets name, in the order a reader looks for them.

    ``metrics`` are an evaluation's or a model card's (training's): the same functions compute
    both; the card keeps P(fraud)'s calibration on validation under ``calibration``.
    """
    m = metrics
    if task == NEWS_TASK:
        text, row = m["per_text"], m["per_row"]
        return [
            ("涉嫌非法集资 F1 per text", _f1(text, "涉嫌非法集资")),
            ("illegal-finance group F1 per text", text["illegal_finance_group"]["f1"]),
            ("accuracy per text", text["accuracy"]),
            ("subject exact match", m["subject"]["exact_match"]),
            ("texts with a subject", m["subject"]["texts"]),
            ("涉嫌非法集资 F1 per row", _f1(row, "涉嫌非法集资")),
            ("illegal-finance group F1 per row", row["illegal_finance_group"]["f1"]),
            ("accuracy per row", row["accuracy"]),
        ]
    loan = m["loan_fraud"] or {}
    calibrated = m.get("fraud_probability") or m["calibration"]["validation"]["after"]
    return [
        ("loan-fraud F1", loan.get("f1")),
        ("accuracy", m["accuracy"]),
        ("macro F1", m["macro_f1"]),
        ("fraud vs normal F1", m["fraud_vs_normal"]["f1"]),
        ("P(fraud) log loss", calibrated["log_loss"]),
        ("P(fraud) Brier score", calibrated["brier"]),
    ]


def _f1(report: dict[str, Any], label: str) -> float | None:
    found = report["per_class"].get(label)
    return None if found is None else float(found["f1"])


def evaluate_text_model(
    model_dir: Path,
    data: Path,
    *,
    all_rows: bool = False,
    encoding: str = "auto",
    progress: Progress = NO_PROGRESS,
) -> TextEvaluation:
    """Score the model in ``model_dir`` on the labelled file ``data`` (see the module docs).

    Raises:
        ConfigError: ``model_dir`` is not a verified text model.
        InvalidInput: ``data`` is missing, not in the task's format, or has no row to score;
            or it is the training file of a model refitted on every row, and not ``all_rows``.
    """
    model = load_text_model(model_dir)
    manifest = artefact_manifest(model_dir)
    data = Path(data)
    if not data.is_file():
        raise InvalidInput(f"no such labelled file: {data}")
    codec = detect_encoding(data, encoding, how_to_declare="name it with --encoding")
    trained_on = manifest.get("training_data", {}).get("sha256") == file_sha256(data)
    split = _recorded_split(manifest) if trained_on and not all_rows else None
    notes: list[str] = []
    if isinstance(model, NewsEventModel):
        news_rows, scope = _chosen(read_finese(data, encoding=codec), 1, 2, split)
        metrics = news_metrics(model, news_rows, progress=progress)
        labels = [r[2] for r in news_rows]
    elif isinstance(model, SmsFraudModel):
        sms_rows, scope = _chosen(read_sms(data, encoding=codec), 0, 1, split)
        metrics = sms_metrics(model, sms_rows, progress=progress)
        metrics["fraud_probability"] = fraud_probability(model, sms_rows)
        labels = [r[1] for r in sms_rows]
    else:  # pragma: no cover - load_text_model knows two tasks, both above
        raise InvalidInput(f"no evaluation for text-model task {model.task!r}")
    notes += _unknown_labels(labels, model.labels)
    if trained_on and all_rows:
        notes.append(
            "this is the model's training file and every row was scored, including those the "
            "model was trained on: the figures are optimistic"
        )
    return TextEvaluation(model.task, data.name, codec, len(labels), scope, metrics, tuple(notes))


def _recorded_split(manifest: dict[str, Any]) -> tuple[int, float]:
    """Seed and validation share of the training split, as the manifest records them."""
    split = manifest.get("metrics", {}).get("split", {})
    if split.get("refit_rows"):
        raise InvalidInput(
            "this is the model's training file, and the model was refitted on every row of it "
            "after validation, so any figure here would count rows it learnt from (its card "
            "holds the validation figures of the fit before the refit); score another labelled "
            "file, every row with --all-rows (the figures are then optimistic), or train with "
            "--no-refit to keep the validated fit"
        )
    seed, share = split.get("seed"), split.get("validation")
    if not isinstance(seed, int) or not isinstance(share, float | int):
        raise InvalidInput(
            "this is the model's training file, but its manifest records no validation split; "
            "score every row with --all-rows (the figures are then optimistic)"
        )
    return seed, float(share)


def _chosen(
    rows: list[_Row], text: int, label: int, split: tuple[int, float] | None
) -> tuple[list[_Row], str]:
    """The rows to score and what they are: all (``split`` None) or the validation split.

    ``text`` and ``label`` are the positions of the text and the label in a row, the two
    columns the training split was drawn on.
    """
    if split is None:
        return rows, ALL_ROWS
    seed, share = split
    keep = grouped_split(
        [str(r[text]) for r in rows], [str(r[label]) for r in rows], fraction=share, seed=seed
    )
    chosen = [r for r, k in zip(rows, keep, strict=True) if k]
    if not chosen:
        raise InvalidInput("the training file's validation split is empty; nothing to score")
    return chosen, (
        f"the validation split of the model's training file (seed {seed}, {share:.0%} of the "
        "texts, grouped by text), as at training"
    )


def _unknown_labels(labels: Sequence[str], known: Sequence[str]) -> list[str]:
    """A note for labels the model cannot predict: their rows always count as errors."""
    names = set(known)
    unknown = Counter(label for label in labels if label not in names)
    if not unknown:
        return []
    listed = ", ".join(f"{label} ({n} rows)" for label, n in unknown.most_common())
    return [f"labels the model does not know, always counted as errors: {listed}"]


__all__ = ["ALL_ROWS", "TextEvaluation", "evaluate_text_model", "headline_figures"]
