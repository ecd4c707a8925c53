"""Risk models as a service: train, predict with, and describe model artefacts.

Two models exist (see :mod:`smokewatch.score.ml`):

- ``enterprise-risk`` — illegal-fundraising risk of enterprises (CCF BDCI 2020 folder);
- ``platform-risk`` — failure risk of P2P platforms operating on a date (网贷之家 folder).

Models read their data from a folder the caller names and compute features on a scratch
engine (in-memory DuckDB by default, or the engine URL given, e.g. ``spark://local[2]``);
no workspace is needed. Predictions are written as UTF-8 CSV with exactly the columns
``<key>,score,flag,reasons``.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from smokewatch.engine import Engine, connect
from smokewatch.errors import ConfigError, InvalidInput, NotFound
from smokewatch.ml.artefact import MANIFEST, load_artefact
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.ml.enterprise import task as enterprise
from smokewatch.score.ml.enterprise.features import FEATURES as ENTERPRISE_FEATURES
from smokewatch.score.ml.enterprise.features import feature_set as enterprise_feature_set
from smokewatch.score.ml.features import FeatureSet
from smokewatch.score.ml.platform import task as platform
from smokewatch.score.ml.platform.features import PLATFORM_RISK
from smokewatch.score.ml.reports import PredictReport, TrainReport
from smokewatch.score.ml.risk_model import KIND, read_manifest
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES
from smokewatch.settings import EngineSettings

TASKS: dict[str, FeatureSet] = {  # enterprise-risk: the derived_partial variant
    enterprise.TASK: ENTERPRISE_FEATURES,
    platform.TASK: PLATFORM_RISK,
    "transfer-risk": TRANSFER_FEATURES,
}
"""Every model task and the feature set its artefacts must match."""

OUTPUT_KEYS = {enterprise.TASK: "id", platform.TASK: "platName"}
"""The subject column of each task's prediction CSV."""


@contextmanager
def scratch_engine(
    engine_url: str | None = None, settings: EngineSettings | None = None
) -> Iterator[Engine]:
    """An engine for one command, removed afterwards (Spark keeps its tables in a temp dir)."""
    with tempfile.TemporaryDirectory(prefix="sw-model-") as scratch:
        engine = connect(
            engine_url or "duckdb://:memory:", settings or EngineSettings(), data_dir=Path(scratch)
        )
        try:
            yield engine
        finally:
            engine.close()


def _check_out_dir(out_dir: Path) -> None:
    """Refuse to replace a folder that is not a model artefact (saving replaces the folder)."""
    occupied = out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir()))
    if occupied and not (out_dir / MANIFEST).is_file():
        raise InvalidInput(
            f"{out_dir} exists and is not a model folder; give a new or empty folder"
        )


def train_enterprise_risk(
    data_dir: Path,
    out_dir: Path,
    *,
    engine_url: str | None = None,
    engine_settings: EngineSettings | None = None,
    progress: Progress = NO_PROGRESS,
) -> TrainReport:
    """Train the enterprise-risk model on a CCF BDCI 2020 folder; write the artefact."""
    _check_out_dir(out_dir)
    with scratch_engine(engine_url, engine_settings) as engine:
        return enterprise.train(engine, data_dir, out_dir, progress=progress)


def train_platform_risk(
    data_dir: Path,
    out_dir: Path,
    *,
    as_of: date,
    engine_url: str | None = None,
    engine_settings: EngineSettings | None = None,
    progress: Progress = NO_PROGRESS,
) -> TrainReport:
    """Train the platform-risk model on a 网贷之家 folder as of a date; write the artefact."""
    _check_out_dir(out_dir)
    with scratch_engine(engine_url, engine_settings) as engine:
        return platform.train(engine, data_dir, out_dir, as_of=as_of, progress=progress)


def read_ids(path: Path) -> list[str]:
    """Subject ids from a CSV file with a header ``id`` (other columns are ignored).

    Raises:
        NotFound: no such file.
        InvalidInput: no ``id`` column, or no ids.
    """
    if not path.is_file():
        raise NotFound(f"no such ids file: {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or "id" not in [f.strip() for f in reader.fieldnames]:
            raise InvalidInput(f"{path}: the first line must be a header with a column 'id'")
        column = next(f for f in reader.fieldnames if f.strip() == "id")
        ids = [(row.get(column) or "").strip() for row in reader]
    ids = [i for i in ids if i]
    if not ids:
        raise InvalidInput(f"{path}: no ids")
    return ids


def write_predictions(report: PredictReport, out_path: Path, *, lang: str = "zh") -> Path:
    """Write ``<key>,score,flag,reasons`` (UTF-8, one header line) and return the path."""
    table = report.scored.to_arrow(lang)
    key = OUTPUT_KEYS[report.task]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    columns = [table.column(name).to_pylist() for name in (key, "score", "flag", "reasons")]
    with out_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([key, "score", "flag", "reasons"])
        for subject, score, flag, reasons in zip(*columns, strict=True):
            writer.writerow([subject, f"{score:.4f}", flag, reasons])
    return out_path


def predict(
    model_dir: Path,
    data_dir: Path,
    out_path: Path,
    *,
    ids_path: Path | None = None,
    as_of: date | None = None,
    lang: str = "zh",
    top: int = 3,
    engine_url: str | None = None,
    engine_settings: EngineSettings | None = None,
    progress: Progress = NO_PROGRESS,
) -> PredictReport:
    """Score subjects with a trained model and write the predictions CSV.

    ``ids_path`` (enterprise-risk) names the enterprises to score (default: every enterprise
    of the registry table); ``as_of`` (platform-risk) is the date the operating platforms are
    scored on (default: the model's own as-of date).

    Raises:
        NotFound: the model or data folder (or a file in it) does not exist.
        ConfigError: the folder is not a risk model, was changed, or its features differ
            from the code's.
        InvalidInput: options that do not apply to the model's task.
    """
    task = str(read_manifest(model_dir).get("task"))
    if task not in TASKS:
        raise ConfigError(f"{model_dir}: unknown risk model task {task!r}")
    if task not in OUTPUT_KEYS:
        raise InvalidInput(f"{model_dir} is a {task} model; score it with `smokewatch tx score`")
    if lang not in {"zh", "en"}:
        raise InvalidInput(f"--lang must be zh or en, not {lang!r}")
    with scratch_engine(engine_url, engine_settings) as engine:
        if task == enterprise.TASK:
            if as_of is not None:
                raise InvalidInput("--as-of applies to platform-risk models, not enterprise-risk")
            ids = read_ids(ids_path) if ids_path is not None else None
            report = enterprise.predict(
                engine, model_dir, data_dir, ids=ids, top=top, progress=progress
            )
        else:
            if ids_path is not None:
                raise InvalidInput("--ids applies to enterprise-risk models, not platform-risk")
            report = platform.predict(
                engine, model_dir, data_dir, as_of=as_of, top=top, progress=progress
            )
    write_predictions(report, out_path, lang=lang)
    return report


@dataclass(frozen=True, slots=True)
class ModelDescription:
    """What ``model show`` prints: identity, verification, metrics, threshold, features."""

    folder: Path
    task: str
    created_at: str
    verified: bool
    problem: str | None
    threshold: float | None
    metrics: dict[str, Any]
    training_data: dict[str, Any]
    libraries: dict[str, str]
    features: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def describe(model_dir: Path) -> ModelDescription:
    """Describe a model folder; ``verified`` says whether it loads against today's code."""
    manifest = read_manifest(model_dir)
    task = str(manifest.get("task"))
    problem: str | None = None
    features = TASKS.get(task)
    if task == enterprise.TASK:
        features = enterprise_feature_set(enterprise.trained_variant(manifest))
    try:
        if features is None:
            raise ConfigError(f"unknown risk model task {task!r}")
        load_artefact(model_dir, kind=KIND, task=task, feature_names=features.names)
    except ConfigError as exc:
        problem = str(exc)
    extra = dict(manifest.get("extra") or {})
    return ModelDescription(
        folder=model_dir,
        task=task,
        created_at=str(manifest.get("created_at")),
        verified=problem is None,
        problem=problem,
        threshold=extra.get("threshold"),
        metrics=dict(manifest.get("metrics") or {}),
        training_data=dict(manifest.get("training_data") or {}),
        libraries=dict(manifest.get("libraries") or {}),
        features=list((manifest.get("features") or {}).get("specs") or []),
        extra=extra,
    )


__all__ = [
    "OUTPUT_KEYS",
    "TASKS",
    "ModelDescription",
    "describe",
    "predict",
    "read_ids",
    "scratch_engine",
    "train_enterprise_risk",
    "train_platform_risk",
    "write_predictions",
]
