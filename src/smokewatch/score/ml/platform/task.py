"""Model 2 — P2P platform failure risk (网贷之家 profiles, mid-2017): train and predict.

A regulator in mid-2017 asks which of the platforms still operating will fail next. The model
learns from earlier evaluation dates: for each date ``T`` (one, two, three and four years
before ``--as-of``), every platform operating on ``T`` is a row, labelled 1 when it failed
within twelve months. Validation is **out of time**: a model trained on the older dates
(labels known before ``as_of − 1 year``) scores the platforms operating on ``as_of − 1 year``,
and is judged on what happened in the following year. The final model is trained on every
date and scores the platforms operating on ``as_of``.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from smokewatch.errors import InvalidInput
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.ml.cards import metrics_table, render_card
from smokewatch.score.ml.features import compute_features, feature_matrix
from smokewatch.score.ml.inputs import LoadedInputs
from smokewatch.score.ml.metrics import best_f1_threshold, binary_metrics
from smokewatch.score.ml.platform import data
from smokewatch.score.ml.platform.card import CARD
from smokewatch.score.ml.platform.features import PLATFORM_RISK
from smokewatch.score.ml.reports import PredictReport, TrainReport, pooled_segments
from smokewatch.score.ml.risk_model import RiskModel
from smokewatch.score.ml.training import TrainingConfig, cross_validate, fit, predict_margin

if TYPE_CHECKING:
    from smokewatch.engine.base import Engine

TASK = "platform-risk"
LABELS = ["operating_after_12_months", "failed_within_12_months"]
CONFIG = TrainingConfig(rounds=300, n_splits=5, seed=20170630, smoothing=20.0)
WINDOWS = 4
"""Evaluation dates used for training: 1 … 4 years before ``as_of``."""
SEGMENT_MIN_ROWS = 20
EARLIEST = date(2012, 1, 1)
PROTOCOL = (
    "out-of-time: trained on the platforms operating 2, 3 and 4 years before as-of (labels: "
    "failure within 12 months, all known before as-of − 1 year), threshold chosen by grouped "
    "5-fold cross-validation on those dates, then tested on the platforms operating 1 year "
    "before as-of (failures in the following 12 months). Final model: every date; threshold "
    "and Platt calibration from grouped 5-fold cross-validation over every date (a platform's "
    "rows always share a fold)"
)


def evaluation_dates(as_of: date, count: int = WINDOWS) -> list[date]:
    """``as_of`` minus 1 … ``count`` years, most recent first."""
    dates = [data.shift_months(as_of, -12 * k) for k in range(1, count + 1)]
    return [d for d in dates if d >= EARLIEST]


def _frame(engine: Engine, loaded: LoadedInputs, dates: list[date]) -> tuple[pa.Table, pa.Table]:
    views = data.views_for(engine, loaded, dates)
    frame = compute_features(engine, PLATFORM_RISK, views)
    keys = list(PLATFORM_RISK.keys)
    base = views[PLATFORM_RISK.base]
    context = engine.to_arrow(
        base.select(*keys, "failed", "province", "platBackground").order_by(keys), step="labels"
    )
    return frame, context


def _bucket(value: float | None, edges: list[float], labels: list[str]) -> str:
    if value is None or np.isnan(value):
        return "(empty)"
    for edge, label in zip(edges, labels, strict=False):
        if value < edge:
            return label
    return labels[-1]


def _segments(frame: pa.Table, context: pa.Table) -> dict[str, list[str]]:
    months = frame.column("months_online").to_pylist()
    capital = frame.column("registered_capital").to_pylist()
    backer = frame.column("institutional_backer").to_pylist()
    return {
        "province": [str(v) for v in context.column("province").to_pylist()],
        "backer": ["state/listed/bank" if b else "private or not stated" for b in backer],
        "months online": [
            _bucket(v, [12, 24, 36], ["< 12", "12–23", "24–35", "≥ 36"]) for v in months
        ],
        "registered capital (万元)": [
            _bucket(
                v,
                [1000, 3000, 5000, 10000],
                ["< 1000", "1000–2999", "3000–4999", "5000–9999", "≥ 10000"],
            )
            for v in capital
        ],
    }


def train(
    engine: Engine,
    data_dir: Path,
    out_dir: Path,
    *,
    as_of: date,
    config: TrainingConfig = CONFIG,
    progress: Progress = NO_PROGRESS,
) -> TrainReport:
    """Train, validate out of time and save the platform-risk model."""
    started = time.perf_counter()
    dates = evaluation_dates(as_of)
    if len(dates) < 2:
        raise InvalidInput(f"--as-of {as_of} leaves too few earlier years to learn from")
    loaded = data.load(engine, data_dir, progress=progress)
    progress.start("computing features")
    frame, context = _frame(engine, loaded, dates)
    progress.finish()
    x = feature_matrix(frame, PLATFORM_RISK)
    y = context.column("failed").to_numpy().astype(np.int64)
    groups = np.asarray(frame.column("platName").to_pylist(), dtype=object)
    when = np.asarray(frame.column("as_of").to_pylist(), dtype=object)
    test = when == dates[0]
    earlier = ~test
    # Out-of-time validation: threshold from the earlier dates only, then the latest date.
    earlier_cv = cross_validate(
        x[earlier], y[earlier], PLATFORM_RISK, config, groups=groups[earlier], progress=progress
    )
    progress.start("out-of-time test")
    model_then = fit(x[earlier], y[earlier], PLATFORM_RISK, config)
    margin = predict_margin(model_then, x[test], PLATFORM_RISK)
    progress.finish()
    out_of_time = binary_metrics(y[test], margin, earlier_cv.threshold_margin)
    out_of_time["best_possible_f1_on_test"] = round(best_f1_threshold(y[test], margin)[1], 4)
    test_frame = frame.filter(pa.array(test))
    segments = {
        kind: pooled_segments(
            y[test], margin, earlier_cv.threshold_margin, values, min_rows=SEGMENT_MIN_ROWS
        )
        for kind, values in _segments(test_frame, context.filter(pa.array(test))).items()
    }
    # Final model on every date.
    final_cv = cross_validate(x, y, PLATFORM_RISK, config, groups=groups, progress=progress)
    progress.start("final model on every date")
    final = fit(x, y, PLATFORM_RISK, config)
    progress.finish()
    model = RiskModel.from_fitted(
        TASK, PLATFORM_RISK, final, final_cv.platt, final_cv.threshold_margin
    )
    windows = [
        {
            "as_of": d.isoformat(),
            "operating": int((when == d).sum()),
            "failed_within_12_months": int(y[when == d].sum()),
        }
        for d in dates
    ]
    metrics: dict[str, Any] = {
        "protocol": PROTOCOL,
        "out_of_time": {"test_as_of": dates[0].isoformat(), **out_of_time},
        "grouped_cv_all_dates": final_cv.metrics,
        "windows": windows,
        "by_segment_out_of_time": segments,
    }
    card = render_card(
        CARD,
        features=PLATFORM_RISK,
        overall={**out_of_time},
        segments=segments,
        threshold=final_cv.threshold,
        files=loaded.files,
        extra_sections=_card_sections(dates, windows, final_cv.metrics, as_of),
        metrics_note=(
            f"The rows below are the out-of-time test on the platforms operating on "
            f"{dates[0].isoformat()}, flagged at the threshold chosen on the earlier dates "
            f"({earlier_cv.threshold:.4f}, calibrated on them); the final model flags at the "
            "threshold above."
        ),
    )
    seconds = time.perf_counter() - started
    progress.start("writing the artefact")
    model.save(
        out_dir,
        labels=LABELS,
        training_data=loaded.training_data(data_dir),
        metrics=metrics,
        card=card,
        extra={
            "training": config.to_json(),
            "as_of": as_of.isoformat(),
            "train_seconds": round(seconds, 1),
        },
    )
    progress.finish()
    return TrainReport(
        task=TASK,
        folder=out_dir,
        rows=len(y),
        positives=int(y.sum()),
        threshold=final_cv.threshold,
        metrics={"out_of_time": out_of_time, "grouped_cv_all_dates": final_cv.metrics},
        segments=segments,
        seconds=seconds,
        protocol=PROTOCOL,
    )


def _card_sections(
    dates: list[date], windows: list[dict[str, Any]], cv: dict[str, Any], as_of: date
) -> dict[str, list[str]]:
    rows = [
        f"| {w['as_of']} | {w['operating']} | {w['failed_within_12_months']} |" for w in windows
    ]
    return {
        "Evaluation dates": [
            (
                f"Scoring date (as-of): {as_of.isoformat()}. The metrics above are the out-of-time "
                f"test on the platforms operating on {dates[0].isoformat()}."
            ),
            "",
            "| evaluation date | platforms operating | failed within 12 months |",
            "|---|---|---|",
            *rows,
        ],
        "Grouped cross-validation over every date (sets the threshold and calibration)": [
            *metrics_table([{"segment": "all dates", **cv}]),
        ],
    }


def predict(
    engine: Engine,
    model_dir: Path,
    data_dir: Path,
    *,
    as_of: date | None = None,
    top: int = 3,
    progress: Progress = NO_PROGRESS,
) -> PredictReport:
    """Score the platforms operating on ``as_of`` (default: the model's as-of), riskiest first."""
    started = time.perf_counter()
    model = RiskModel.load(model_dir, PLATFORM_RISK, task=TASK)
    trained_as_of = (
        date.fromisoformat(str(model.manifest.extra["as_of"])) if model.manifest else None
    )
    day = as_of or trained_as_of
    if day is None:
        raise InvalidInput("give --as-of, the date the platforms are scored on")
    loaded = data.load(engine, data_dir, progress=progress)
    progress.start("computing features")
    views = data.views_for(engine, loaded, [day])
    frame = compute_features(engine, PLATFORM_RISK, views)
    progress.finish()
    if frame.num_rows == 0:
        raise InvalidInput(f"no platform of {data_dir} was operating on {day}")
    progress.start("scoring", total=frame.num_rows)
    scored = model.predict(frame, top=top)
    scored = scored.take(np.argsort(-scored.score, kind="stable"))
    progress.advance(frame.num_rows)
    progress.finish()
    notes = []
    if trained_as_of is not None and day != trained_as_of:
        notes.append(f"the model was trained as of {trained_as_of}; scoring as of {day}")
    return PredictReport(TASK, scored, model.threshold, notes, time.perf_counter() - started)


__all__ = [
    "CONFIG",
    "LABELS",
    "PROTOCOL",
    "TASK",
    "WINDOWS",
    "evaluation_dates",
    "predict",
    "train",
]
