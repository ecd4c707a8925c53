"""Model 1 — enterprise illegal-fundraising risk (CCF BDCI 2020 data): train and predict.

Training reads the labelled enterprises of ``train/entprise_info.csv``, computes the features
through the engine, validates with stratified 5-fold cross-validation (out-of-fold target
encodings, threshold maximising out-of-fold F1, Platt calibration on out-of-fold margins),
refits on every labelled enterprise and writes the artefact with its model card.
Prediction scores the ids given (default: every enterprise of the registry table).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
import numpy as np
import pyarrow as pa

from smokewatch.errors import ConfigError, InvalidInput, Location, Problem
from smokewatch.ml.artefact import MANIFEST
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.ml.cards import render_card
from smokewatch.score.ml.enterprise import data
from smokewatch.score.ml.enterprise.card import card_for
from smokewatch.score.ml.enterprise.changes import CHANGE_KINDS, CHANGE_VIEW
from smokewatch.score.ml.enterprise.features import feature_set
from smokewatch.score.ml.enterprise.full_inputs import BASE_INFO_PATH, Variant, detect_variant
from smokewatch.score.ml.enterprise.registry import SECTION_LETTERS, SECTIONS
from smokewatch.score.ml.features import compute_features, feature_matrix
from smokewatch.score.ml.inputs import LoadedInputs
from smokewatch.score.ml.reports import PredictReport, TrainReport, pooled_segments
from smokewatch.score.ml.risk_model import RiskModel, read_manifest
from smokewatch.score.ml.training import TrainingConfig, cross_validate, fit

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine

TASK = "enterprise-risk"
LABELS = ["not_risky", "illegal_fundraising_risk"]
NATIVE_CATEGORIES = (
    "industry_section",
    "industry_code",
    "enterprise_type",
    "enterprise_type_detail",
    "district",
)
"""Codes LightGBM splits on as categories (sets of codes) rather than as ordered numbers."""
CONFIG = TrainingConfig(
    rounds=200, n_splits=5, seed=20201013, smoothing=20.0, categorical=NATIVE_CATEGORIES
)
SEGMENT_MIN_ROWS = 20
PROTOCOL = (
    "stratified 5-fold cross-validation (seed 20201013) on the labelled enterprises; target "
    "encodings out of fold inside each training fold; industry, enterprise type and district "
    "codes also split natively as categories; threshold = maximum F1 on out-of-fold "
    "predictions (also reported with thresholds chosen on the other folds only); Platt "
    "calibration on out-of-fold margins; final model refit on all labelled enterprises"
)


def _labels(engine: Engine, loaded: LoadedInputs) -> pa.Table:
    view = loaded.views[data.LABELS.view]
    table = engine.to_arrow(view.select("id", "label").order_by("id"), step="labels")
    if table.num_rows != len(set(table.column("id").to_pylist())):
        raise InvalidInput(f"{data.LABELS.path} lists an enterprise twice")
    if table.column("label").null_count or table.column("id").null_count:
        raise InvalidInput(f"{data.LABELS.path} has rows without an id or a label")
    return table


def _segment_labels(frame: pa.Table) -> dict[str, list[str]]:
    def code(value: Any) -> str:
        return "(empty)" if value is None else str(int(value))

    sections = [
        "(empty)"
        if v is None
        else f"{SECTION_LETTERS.get(int(v), '?')} {SECTIONS.get(int(v), ('?', '?'))[0]}"
        for v in frame.column("industry_section").to_pylist()
    ]
    return {
        "industry": sections,
        "enterprise type": [code(v) for v in frame.column("enterprise_type").to_pylist()],
        "region (district code)": [code(v) for v in frame.column("district").to_pylist()],
    }


VARIANT_KEY = "input_variant"
"""Manifest ``extra`` key naming the input variant (absent in older artefacts: derived)."""


def trained_variant(manifest: dict[str, Any]) -> Variant:
    """The input variant a model was trained on, from its (raw) manifest."""
    extra = manifest.get("extra") or {}
    return Variant.from_name(str(extra.get(VARIANT_KEY, "derived_partial")))


def check_variant(model_dir: Path, data_dir: Path, variant: Variant) -> None:
    """Refuse a model trained on other inputs than ``data_dir`` offers.

    Raises:
        ConfigError: the model's input variant differs from the folder's.
    """
    trained = trained_variant(read_manifest(model_dir))
    if trained != variant:
        raise ConfigError(
            [
                Problem(
                    f"the model was trained on the {trained.name} inputs, but {data_dir} gives "
                    f"{variant.describe()}; the features differ: retrain on this folder, or "
                    "predict with a folder that has the same optional files",
                    Location(str(model_dir / MANIFEST)),
                )
            ]
        )


def change_notes(engine: Engine, changes: ir.Table) -> list[str]:
    """How the (unverified) change-kind mapping covers the change rows, and the top codes."""
    kinds = engine.to_arrow(
        changes.group_by("kind").aggregate(rows=changes.count()).order_by("kind"),
        step="change kinds",
    ).to_pylist()
    codes = engine.to_arrow(
        changes.group_by("code")
        .aggregate(rows=changes.count())
        .order_by([ibis.desc("rows"), "code"])
        .limit(8),
        step="change codes",
    ).to_pylist()
    mapped = ", ".join(f"{r['kind']} {r['rows']}" for r in kinds)
    top = ", ".join(f"{r['code']} ({r['rows']})" for r in codes)
    return [
        (
            "change rows by kind (item codes mapped by an UNVERIFIED table of "
            f"{len(CHANGE_KINDS)} codes): {mapped}"
        ),
        f"most frequent change item codes: {top}",
    ]


def train(
    engine: Engine,
    data_dir: Path,
    out_dir: Path,
    *,
    config: TrainingConfig = CONFIG,
    progress: Progress = NO_PROGRESS,
) -> TrainReport:
    """Train, validate and save the enterprise-risk model; returns its validation report."""
    started = time.perf_counter()
    variant = detect_variant(data_dir)
    features = feature_set(variant)
    loaded = data.load(engine, data_dir, labels=True, progress=progress)
    notes = list(loaded.notes)
    if CHANGE_VIEW in loaded.views:
        notes.extend(change_notes(engine, loaded.views[CHANGE_VIEW]))
    labels = _labels(engine, loaded)
    views = data.views_for(loaded, loaded.views[data.LABELS.view])
    progress.start("computing features")
    frame = compute_features(engine, features, views)
    progress.finish()
    if frame.column("id").to_pylist() != labels.column("id").to_pylist():
        raise InvalidInput("features and labels do not cover the same enterprises")
    x = feature_matrix(frame, features)
    y = labels.column("label").to_numpy().astype(np.int64)
    if not set(np.unique(y).tolist()) <= {0, 1}:
        raise InvalidInput(f"{data.LABELS.path}: labels must be 0 or 1")
    cv = cross_validate(x, y, features, config, progress=progress)
    segments = {
        kind: pooled_segments(y, cv.margin, cv.threshold_margin, values, min_rows=SEGMENT_MIN_ROWS)
        for kind, values in _segment_labels(frame).items()
    }
    progress.start("final model on all labelled enterprises")
    fitted = fit(x, y, features, config)
    progress.finish()
    model = RiskModel.from_fitted(TASK, features, fitted, cv.platt, cv.threshold_margin)
    card = render_card(
        card_for(variant),
        features=features,
        overall=cv.metrics,
        segments=segments,
        threshold=cv.threshold,
        files=loaded.files,
    )
    seconds = time.perf_counter() - started
    metrics = {"protocol": PROTOCOL, "cross_validation": cv.metrics, "by_segment": segments}
    progress.start("writing the artefact")
    model.save(
        out_dir,
        labels=LABELS,
        training_data=loaded.training_data(data_dir),
        metrics=metrics,
        card=card,
        extra={
            VARIANT_KEY: variant.name,
            "inputs": variant.describe(),
            "input_notes": notes,
            "training": config.to_json(),
            "train_seconds": round(seconds, 1),
        },
    )
    progress.finish()
    return TrainReport(
        task=TASK,
        folder=out_dir,
        rows=len(y),
        positives=int(y.sum()),
        threshold=cv.threshold,
        metrics=cv.metrics,
        segments=segments,
        seconds=seconds,
        protocol=PROTOCOL,
        inputs=variant.describe(),
        notes=notes,
    )


def predict(
    engine: Engine,
    model_dir: Path,
    data_dir: Path,
    *,
    ids: Sequence[str] | None = None,
    top: int = 3,
    progress: Progress = NO_PROGRESS,
) -> PredictReport:
    """Score enterprises (``ids`` in their order, or every enterprise of the registry).

    The registry is ``base_info.csv`` when the folder has it (every id of the release can be
    scored), else the derived table (labelled split only).

    Raises:
        ConfigError: the model was trained on other inputs than the folder offers.
    """
    started = time.perf_counter()
    variant = detect_variant(data_dir)
    check_variant(model_dir, data_dir, variant)
    features = feature_set(variant)
    model = RiskModel.load(model_dir, features, task=TASK)
    loaded = data.load(engine, data_dir, labels=False, progress=progress)
    registry = loaded.views[data.REGISTRY.view]
    known = set(
        engine.to_arrow(registry.select("id"), step="registry ids").column("id").to_pylist()
    )
    wanted = list(dict.fromkeys(ids)) if ids is not None else sorted(known)
    if not wanted:
        raise InvalidInput("no enterprise ids to score")
    subjects = engine.register("__sw_subjects", pa.table({"id": pa.array(wanted, pa.string())}))
    progress.start("computing features")
    frame = compute_features(engine, features, data.views_for(loaded, subjects))
    progress.finish()
    position = {key: i for i, key in enumerate(frame.column("id").to_pylist())}
    frame = frame.take(pa.array([position[key] for key in wanted], pa.int64()))
    progress.start("scoring", total=frame.num_rows)
    scored = model.predict(frame, top=top)
    progress.advance(frame.num_rows)
    progress.finish()
    notes: list[str] = list(loaded.notes)
    absent = [key for key in wanted if key not in known]
    registry_path = BASE_INFO_PATH if variant.base_info else data.REGISTRY.path
    if absent:
        notes.append(
            f"{len(absent)} ids are not in the registry table ({registry_path}); they were "
            "scored from their other records only, with empty registry features"
        )
    if ids is not None and len(wanted) < len(ids):
        notes.append(f"{len(ids) - len(wanted)} repeated ids were scored once")
    seconds = time.perf_counter() - started
    return PredictReport(TASK, scored, model.threshold, notes, seconds, variant.describe())


__all__ = [
    "CONFIG",
    "LABELS",
    "NATIVE_CATEGORIES",
    "PROTOCOL",
    "TASK",
    "VARIANT_KEY",
    "change_notes",
    "check_variant",
    "predict",
    "train",
    "trained_variant",
]
