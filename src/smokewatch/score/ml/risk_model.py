"""A trained risk model: booster, encodings, calibration, threshold — saved and loaded safely.

The artefact folder (see :mod:`smokewatch.ml.artefact`)::

    model-dir/
    ├── manifest.json   kind ``risk-model``, task, ordered features with dtypes and specs,
    │                   training-data hashes, metrics, threshold, library versions, sha256s
    ├── MODEL_CARD.md   data, intended use, metrics by segment, validation, limits, licence
    ├── model.txt       the LightGBM booster in its native text format
    ├── arrays.npz      Platt calibration ``[a, b]`` (numpy, no pickle)
    └── encodings.json  target-encoding rates per category (when the model has encodings)

Loading verifies every hash, the kind and task, and that the ordered feature names and
dtypes equal those of the code's :class:`~smokewatch.score.ml.features.FeatureSet`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from smokewatch.errors import ConfigError, InvalidInput, Location, NotFound, Problem
from smokewatch.ml.artefact import (
    MANIFEST,
    Manifest,
    library_versions,
    load_artefact,
    save_artefact,
)
from smokewatch.score.ml.calibration import Platt
from smokewatch.score.ml.encoding import TargetEncoding
from smokewatch.score.ml.explain import Reason, join_reasons, top_reasons
from smokewatch.score.ml.features import FeatureSet, feature_matrix
from smokewatch.score.ml.lgbm import booster_text, contributions, load_booster
from smokewatch.score.ml.training import FittedModel, apply_encodings

KIND = "risk-model"
"""Artefact kind of every model of this layer."""
MODEL_FILE = "model.txt"
LIBRARIES = ("lightgbm", "numpy", "scipy", "pyarrow", "duckdb", "ibis-framework", "smokewatch")


@dataclass(frozen=True, slots=True)
class Scored:
    """Predictions for a batch of subjects, in input order."""

    keys: pa.Table
    score: np.ndarray
    """Calibrated probability of the positive class."""
    flag: np.ndarray
    """``score ≥ threshold`` (the model's chosen threshold)."""
    reasons: list[list[Reason]]

    def take(self, order: np.ndarray) -> Scored:
        """The same predictions in another order (e.g. riskiest first)."""
        return Scored(
            self.keys.take(pa.array(order, pa.int64())),
            self.score[order],
            self.flag[order],
            [self.reasons[i] for i in order],
        )

    def to_arrow(self, lang: str = "zh") -> pa.Table:
        """Keys, ``score`` (4 decimals), ``flag`` (0/1) and ``reasons`` (one text cell)."""
        columns: dict[str, Any] = {name: self.keys.column(name) for name in self.keys.column_names}
        columns["score"] = pa.array(np.round(self.score, 4), pa.float64())
        columns["flag"] = pa.array(self.flag.astype(np.int64), pa.int64())
        columns["reasons"] = pa.array([join_reasons(r, lang) for r in self.reasons], pa.string())
        return pa.table(columns)


@dataclass(frozen=True, slots=True)
class RiskModel:
    """A binary risk model ready to score subjects and explain each score."""

    task: str
    features: FeatureSet
    booster: Any
    encodings: Mapping[str, TargetEncoding]
    platt: Platt
    threshold_margin: float
    manifest: Manifest | None = None
    card: str = field(default="", repr=False)

    @property
    def threshold(self) -> float:
        """The flag threshold on the calibrated score scale."""
        return float(self.platt(np.array([self.threshold_margin]))[0])

    @classmethod
    def from_fitted(
        cls,
        task: str,
        features: FeatureSet,
        fitted: FittedModel,
        platt: Platt,
        threshold_margin: float,
    ) -> RiskModel:
        """A model from a training run (before it is saved)."""
        return cls(task, features, fitted.booster, fitted.encodings, platt, threshold_margin)

    def matrix(self, frame: pa.Table) -> np.ndarray:
        """Model inputs for computed features (encodings filled)."""
        return apply_encodings(feature_matrix(frame, self.features), self.features, self.encodings)

    def predict(self, frame: pa.Table, *, top: int = 3) -> Scored:
        """Score the rows of ``frame`` (keys + computed features) and explain each score."""
        x = self.matrix(frame)
        contrib = contributions(self.booster, x)
        margin = contrib.sum(axis=1)
        reasons = [top_reasons(self.features, x[i], contrib[i], top=top) for i in range(len(x))]
        keys = frame.select(list(self.features.keys))
        return Scored(keys, self.platt(margin), margin >= self.threshold_margin, reasons)

    def save(
        self,
        folder: Path,
        *,
        labels: list[str],
        training_data: dict[str, Any],
        metrics: dict[str, Any],
        card: str,
        extra: dict[str, Any] | None = None,
        texts: Mapping[str, str] | None = None,
    ) -> Path:
        """Write the artefact folder atomically (``texts``: more text files, e.g.

        A second booster, hashed like every other file).

        Raises:
            InvalidInput: the calibration ranks risky subjects lower (validation found the
                model no better than chance); such a model is not written.
        """
        if self.platt.a <= 0:
            raise InvalidInput(
                "validation predictions are no better than chance (higher scores are not "
                "riskier); not writing a model"
            )
        manifest = Manifest(
            kind=KIND,
            task=self.task,
            labels=labels,
            features=self.features.manifest(),
            training_data=training_data,
            metrics=metrics,
            libraries=library_versions(LIBRARIES),
            extra={
                "threshold": round(self.threshold, 6),
                "threshold_margin": self.threshold_margin,
                "calibration": "platt",
                **(extra or {}),
            },
        )
        parts: dict[str, Any] = {}
        if self.encodings:
            parts["encodings"] = {k: v.to_json() for k, v in self.encodings.items()}
        return save_artefact(
            folder,
            manifest,
            arrays={"platt": self.platt.to_array()},
            parts=parts,
            card=card,
            texts={**(texts or {}), MODEL_FILE: booster_text(self.booster)},
        )

    @classmethod
    def load(cls, folder: Path, features: FeatureSet, *, task: str) -> RiskModel:
        """Load and verify an artefact for ``task`` against the code's feature set.

        Raises:
            ConfigError: not a risk model of this task, changed files, or features (names or
                dtypes) that differ from the code's.
            NotFound: the folder does not exist.
        """
        folder = Path(folder)
        if not folder.is_dir():
            raise NotFound(f"no such model folder: {folder}")
        artefact = load_artefact(folder, kind=KIND, task=task, feature_names=features.names)
        manifest = artefact.manifest
        if list(manifest.features.get("dtypes", [])) != features.dtypes:
            raise ConfigError(
                [
                    Problem(
                        "the artefact's feature dtypes differ from the code's; retrain the model",
                        Location(str(folder / MANIFEST)),
                    )
                ]
            )
        booster = load_booster(artefact.texts[MODEL_FILE], features.names)
        encodings = {
            name: TargetEncoding.from_json(data)
            for name, data in artefact.parts.get("encodings", {}).items()
        }
        missing = {f.name for f in features.encodings} - set(encodings)
        if missing:
            raise ConfigError(f"{folder}: encodings missing for {', '.join(sorted(missing))}")
        return cls(
            task=task,
            features=features,
            booster=booster,
            encodings=encodings,
            platt=Platt.from_array(artefact.arrays["platt"]),
            threshold_margin=float(manifest.extra["threshold_margin"]),
            manifest=manifest,
            card=(folder / "MODEL_CARD.md").read_text(encoding="utf-8"),
        )


def read_manifest(folder: Path) -> dict[str, Any]:
    """The raw manifest of a model folder, *unverified* (to find out which model it is).

    Raises:
        NotFound: no such folder.
        ConfigError: the folder is not a model artefact, or not a risk model.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotFound(f"no such model folder: {folder}")
    path = folder / MANIFEST
    if not path.is_file():
        raise ConfigError([Problem("not a model artefact (no manifest.json)", Location(str(path)))])
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ConfigError([Problem(f"unreadable manifest: {exc}", Location(str(path)))]) from exc
    if data.get("kind") != KIND:
        raise ConfigError(
            [
                Problem(
                    f"this is a {data.get('kind')}/{data.get('task')} model, not a risk model",
                    Location(str(path)),
                )
            ]
        )
    return data


__all__ = ["KIND", "LIBRARIES", "MODEL_FILE", "RiskModel", "Scored", "read_manifest"]
