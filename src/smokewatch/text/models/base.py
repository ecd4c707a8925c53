"""What every smokewatch text model gives back, and how a trained one is found on disk.

A text model is a folder written by :func:`smokewatch.ml.artefact.save_artefact` with kind
``text-classifier``; its manifest's ``task`` says which model it is. :func:`load_text_model`
verifies the folder (hashes, kind, feature specification) and returns the right model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from smokewatch.errors import ConfigError, Location, Problem

KIND = "text-classifier"
"""The artefact kind of every text model."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One feature that drove a prediction and its contribution to the score (log-odds)."""

    feature: str
    weight: float


@dataclass(frozen=True, slots=True)
class TextPrediction:
    """A model's reading of one text.

    ``category`` is a label exactly as written in the training data; ``probabilities`` covers
    every label; ``subject`` (news only) is a substring of the text the event is about, with
    ``subject_score`` its probability among the best candidates; ``reasons`` are the largest
    contributions to the decision, for explanations.
    """

    category: str
    probabilities: Mapping[str, float]
    subject: str | None = None
    subject_score: float | None = None
    reasons: tuple[Reason, ...] = ()


class TextModel(Protocol):
    """A trained text classifier (see :func:`load_text_model`)."""

    task: str
    labels: tuple[str, ...]

    def predict(self, texts: Sequence[str]) -> list[TextPrediction]:
        """One prediction per text, in input order."""
        ...


@dataclass(frozen=True, slots=True)
class TrainReport:
    """What a training run produced: the artefact folder and its validation metrics."""

    task: str
    folder: Path
    labels: tuple[str, ...]
    metrics: dict[str, Any]
    """Per-class P/R/F1, group metrics, confusions, split (seed, sizes), timings."""
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)


def artefact_task(folder: Path) -> str:
    """The ``task`` recorded in an artefact's manifest (no verification yet)."""
    path = Path(folder) / "manifest.json"
    try:
        task = json.loads(path.read_text(encoding="utf-8"))["task"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError([Problem(f"not a text model: {exc}", Location(str(path)))]) from exc
    return str(task)


def load_text_model(folder: Path) -> TextModel:
    """Load and verify a trained text model; the manifest's task picks the class.

    Raises:
        ConfigError: not an artefact, an unknown task, a file changed after training, or a
            feature specification that does not match this version of the code.
    """
    from smokewatch.text.models.news import NEWS_TASK, NewsEventModel  # noqa: PLC0415
    from smokewatch.text.models.sms import SMS_TASK, SmsFraudModel  # noqa: PLC0415

    task = artefact_task(folder)
    if task == NEWS_TASK:
        return NewsEventModel.load(folder)
    if task == SMS_TASK:
        return SmsFraudModel.load(folder)
    raise ConfigError(
        [
            Problem(
                f"unknown text-model task {task!r}", Location(str(Path(folder) / "manifest.json"))
            )
        ]
    )


__all__ = [
    "KIND",
    "Reason",
    "TextModel",
    "TextPrediction",
    "TrainReport",
    "artefact_task",
    "load_text_model",
]
