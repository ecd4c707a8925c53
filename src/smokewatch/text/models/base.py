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
from smokewatch.progress import NO_PROGRESS, Progress

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


CHUNK = 1024
"""Texts per :meth:`TextModel.predict` call when a long list is predicted with progress."""


def predict_in_chunks(
    model: TextModel, texts: Sequence[str], progress: Progress = NO_PROGRESS
) -> list[TextPrediction]:
    """``model.predict(texts)``, in chunks of :data:`CHUNK` texts with a progress bar.

    A prediction does not depend on the other texts of its batch, so the chunks give the
    answers one call would.
    """
    progress.start("predicting", len(texts))
    out: list[TextPrediction] = []
    for i in range(0, len(texts), CHUNK):
        chunk = texts[i : i + CHUNK]
        out += model.predict(chunk)
        progress.advance(len(chunk))
    progress.finish()
    return out


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


def artefact_manifest(folder: Path) -> dict[str, Any]:
    """An artefact's manifest as written (no verification: see :func:`load_text_model`)."""
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or "task" not in manifest:
            raise ValueError("no task in manifest.json")
    except (OSError, ValueError) as exc:
        raise ConfigError([Problem(f"not a text model: {exc}", Location(str(path)))]) from exc
    return manifest


def artefact_task(folder: Path) -> str:
    """The ``task`` recorded in an artefact's manifest (no verification yet)."""
    return str(artefact_manifest(folder)["task"])


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
    "CHUNK",
    "KIND",
    "Reason",
    "TextModel",
    "TextPrediction",
    "TrainReport",
    "artefact_manifest",
    "artefact_task",
    "load_text_model",
    "predict_in_chunks",
]
