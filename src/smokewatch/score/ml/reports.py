"""What a training or prediction run reports back to the service and the edges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from smokewatch.score.ml.metrics import segment_metrics
from smokewatch.score.ml.risk_model import Scored

OTHER_SEGMENT = "other (smaller segments)"


@dataclass(frozen=True, slots=True)
class TrainReport:
    """A trained model: where it was written and how well it validated."""

    task: str
    folder: Path
    rows: int
    positives: int
    threshold: float
    metrics: dict[str, Any]
    """Overall validation metrics (AUC, precision, recall, F1, per fold …)."""
    segments: dict[str, list[dict[str, Any]]]
    """Metrics per segment kind (e.g. ``industry``) and segment."""
    seconds: float
    protocol: str
    inputs: str = ""
    """Which input files the model read (e.g. whether the optional originals were found)."""
    notes: list[str] = field(default_factory=list)
    """Things the user should know about the inputs (rows rejected, diagnostics)."""


@dataclass(frozen=True, slots=True)
class PredictReport:
    """Scored subjects and what the run noticed."""

    task: str
    scored: Scored
    threshold: float
    notes: list[str] = field(default_factory=list)
    """Things the user should know (e.g. ids not found in the registry)."""
    seconds: float = 0.0
    inputs: str = ""
    """Which input files the model read (e.g. whether the optional originals were found)."""

    @property
    def rows(self) -> int:
        """Number of subjects scored."""
        return len(self.scored.score)

    @property
    def flagged(self) -> int:
        """Number of subjects flagged."""
        return int(self.scored.flag.sum())


def pooled_segments(
    y: np.ndarray, score: np.ndarray, threshold: float, labels: Sequence[str], *, min_rows: int
) -> list[dict[str, Any]]:
    """Per-segment metrics; segments under ``min_rows`` rows are pooled into one row."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    pooled = [label if counts[label] >= min_rows else OTHER_SEGMENT for label in labels]
    return segment_metrics(y, score, threshold, pooled, order={OTHER_SEGMENT: 1})


__all__ = ["OTHER_SEGMENT", "PredictReport", "TrainReport", "pooled_segments"]
