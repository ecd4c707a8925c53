"""Scoring transfers as a Python step over Arrow batches (``Engine.map_batches``).

The engine computes the features; this step turns each batch into
``tran_id, orig, bene, score, flag, typology, reasons_zh, reasons_en``. It runs in worker
processes on DuckDB and on the executors on Spark, so it must be picklable: the
:class:`ScoringSpec` carries the boosters as LightGBM text, and each process parses them once
(cached by content hash). Contributions (TreeSHAP) are computed only for flagged transfers —
they are what an analyst reads — which keeps scoring fast.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.score.ml.calibration import Platt
from smokewatch.score.ml.explain import join_reasons, top_reasons
from smokewatch.score.ml.features import DTYPES, ROUND_DECIMALS, feature_matrix
from smokewatch.score.ml.lgbm import lightgbm
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES

OUTPUT_SCHEMA = pa.schema(
    [
        ("tran_id", pa.int64()),
        ("orig", pa.string()),
        ("bene", pa.string()),
        ("score", pa.float64()),
        ("flag", pa.int64()),
        ("typology", pa.string()),
        ("reasons_zh", pa.string()),
        ("reasons_en", pa.string()),
    ]
)
"""What the scoring step returns, one row per transfer."""


@dataclass(frozen=True, slots=True)
class ScoringSpec:
    """Everything the step needs, as plain values (picklable, shipped to workers)."""

    model_text: str
    typology_text: str
    typologies: tuple[str, ...]
    platt_a: float
    platt_b: float
    threshold_margin: float
    top: int = 3
    """Reasons per flagged transfer; 0 skips the contributions (TreeSHAP costs far more than
    the prediction itself)."""


@functools.lru_cache(maxsize=4)
def _booster(text_hash: str, text: str) -> Any:
    del text_hash  # the cache key; the text itself is not hashed by lru_cache cheaply
    return lightgbm("transfer scoring").Booster(model_str=text)


def booster_of(text: str) -> Any:
    """A LightGBM booster parsed once per process for each model text."""
    return _booster(hashlib.sha256(text.encode()).hexdigest(), text)


def conform(batch: pa.RecordBatch | pa.Table) -> pa.Table:
    """Feature columns cast to their dtypes, floats rounded as in training."""
    table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
    columns: dict[str, Any] = {}
    for feature in TRANSFER_FEATURES.computed:
        column = table.column(feature.name).cast(DTYPES[feature.dtype])
        if feature.dtype == "float64":
            column = pc.round(column, ROUND_DECIMALS)
        columns[feature.name] = column
    return pa.table(columns)


def typology_names(spec: ScoringSpec, x: np.ndarray) -> list[str]:
    """The most likely typology of each row (rows of the feature matrix)."""
    if not len(x) or not spec.typologies:
        return []
    booster = booster_of(spec.typology_text)
    probabilities = np.asarray(booster.predict(x, num_threads=1)).reshape(len(x), -1)
    return [spec.typologies[i] for i in probabilities.argmax(axis=1)]


def score_table(spec: ScoringSpec, table: pa.Table) -> pa.Table:
    """Score one batch of feature rows (keys, ``orig``, ``bene`` and every feature)."""
    x = feature_matrix(conform(table), TRANSFER_FEATURES)
    booster = booster_of(spec.model_text)
    margin = np.asarray(booster.predict(x, raw_score=True, num_threads=1), dtype=np.float64)
    flag = margin >= spec.threshold_margin
    score = np.round(Platt(spec.platt_a, spec.platt_b)(margin), 6)
    rows = len(margin)
    typology: list[str | None] = [None] * rows
    zh: list[str | None] = [None] * rows
    en: list[str | None] = [None] * rows
    flagged = np.flatnonzero(flag)
    if len(flagged):
        xf = x[flagged]
        names = typology_names(spec, xf)
        for j, i in enumerate(flagged):
            typology[i] = names[j] if names else None
        if spec.top > 0:
            contrib = np.asarray(booster.predict(xf, pred_contrib=True, num_threads=1))
            for j, i in enumerate(flagged):
                reasons = top_reasons(TRANSFER_FEATURES, xf[j], contrib[j], top=spec.top)
                zh[i] = join_reasons(reasons, "zh")
                en[i] = join_reasons(reasons, "en")
    return pa.table(
        {
            "tran_id": table.column("tran_id").cast(pa.int64()),
            "orig": table.column("orig").cast(pa.string()),
            "bene": table.column("bene").cast(pa.string()),
            "score": pa.array(score, pa.float64()),
            "flag": pa.array(flag.astype(np.int64), pa.int64()),
            "typology": pa.array(typology, pa.string()),
            "reasons_zh": pa.array(zh, pa.string()),
            "reasons_en": pa.array(en, pa.string()),
        },
        schema=OUTPUT_SCHEMA,
    )


def score_batches(spec: ScoringSpec, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The Python step: scored rows for each input batch (independent batches)."""
    for batch in batches:
        if batch.num_rows:
            yield from score_table(spec, pa.Table.from_batches([batch])).to_batches()


__all__ = [
    "OUTPUT_SCHEMA",
    "ScoringSpec",
    "booster_of",
    "conform",
    "score_batches",
    "score_table",
    "typology_names",
]
