"""Transfer-risk model: train on a labelled AMLSim folder, score any transactions file.

**Protocol** (as the issue asks): transfers in ``tran_id`` order (time order) are split
60/20/20. A model trained on the first 60 % scores the middle 20 %, where the flag threshold
(maximum positive-class F1) and the Platt calibration are chosen; the last 20 % is the test,
flagged at that threshold: minority-class F1, precision, recall, and recall per typology.
Graph features are computed over the whole file (no labels are involved; a transfer's
features see the transfers around it, as they will when a bank scores a month of data) — or,
with ``cuts`` > 0, each part's over the file cut right after it (:mod:`.cuts`), so that
training, like scoring, sees rows at a file's end. The threshold rule is one of
:mod:`.thresholds` (default ``max``).

**Shipped model:** refit on every labelled transfer with the same settings, flagged at the
threshold (log-odds) chosen on the middle 20 %. A second, multiclass booster trained on the
suspicious transfers names the most likely typology of each flagged transfer.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.errors import ConfigError, InvalidInput
from smokewatch.graph.transfers import GraphWindows
from smokewatch.ml.artefact import load_artefact
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.ml.calibration import Platt
from smokewatch.score.ml.features import feature_expression, feature_matrix
from smokewatch.score.ml.lgbm import booster_text, margins, train_booster
from smokewatch.score.ml.metrics import best_f1_threshold, binary_metrics
from smokewatch.score.ml.risk_model import KIND, MODEL_FILE, RiskModel
from smokewatch.score.ml.training import FittedModel
from smokewatch.score.ml.transfers import cuts as cutting
from smokewatch.score.ml.transfers import data
from smokewatch.score.ml.transfers.card import render
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES
from smokewatch.score.ml.transfers.scoring import OUTPUT_SCHEMA, ScoringSpec, score_batches
from smokewatch.score.ml.transfers.thresholds import ThresholdRule, choose

if TYPE_CHECKING:
    from smokewatch.engine.base import Engine

TASK = "transfer-risk"
LABELS = ["normal", "suspicious"]
TYPOLOGY_FILE = "typology.txt"
SPLIT = (0.6, 0.8)
SEED = 20170101
ROUNDS = 300
PARAMS: dict[str, Any] = {
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.7,
    "lambda_l2": 1.0,
}
TYPOLOGY_ROUNDS = 150
MASK_CROSS_BANK = 0.25
"""Share of training rows whose cross-bank flag is blanked, so the model also learns to score
transfers when no accounts file is given."""
PROTOCOL = (
    "temporal 60/20/20 split by tran_id: trained on the first 60 %, threshold (max F1) and "
    "Platt calibration chosen on the middle 20 %, tested on the last 20 %; the shipped model "
    "is refit on every transfer and flags at the same log-odds threshold"
)
DEFAULT_CUTS = 0
"""Pieces the training part is cut into for :mod:`.cuts` (0: features once over the file)."""
DEFAULT_RULE = "max"
"""Threshold rule of :mod:`.thresholds` applied on the validation part."""
MAX_F1 = ThresholdRule("max")


def protocol_text(cuts: int, rule: str) -> str:
    """The protocol in words, for the manifest and the model card."""
    text = PROTOCOL
    if rule != "max":
        text = text.replace("threshold (max F1)", f"threshold (rule {rule})")
    if cuts:
        text += (
            "; each part's graph features are computed over the file cut right after it "
            f"(training part in {cuts} piece(s), validation part, then the whole file for the "
            "test part and for the refit's last rows)"
        )
    return text


@dataclass(frozen=True, slots=True)
class TransferTrainReport:
    """What ``tx train`` reports."""

    folder: Path
    rows: int
    positives: int
    threshold: float
    test: dict[str, Any]
    recall_by_typology: dict[str, float | None]
    typology_accuracy: float | None
    seconds: float
    protocol: str = PROTOCOL


@dataclass(frozen=True, slots=True)
class TransferScores:
    """Scored transfers (``OUTPUT_SCHEMA``) and what the run noticed."""

    table: pa.Table
    threshold: float
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def flagged(self) -> int:
        """Transfers flagged."""
        return int(np.asarray(self.table.column("flag").to_numpy()).sum())


def _fit(x: np.ndarray, y: np.ndarray, seed: int = SEED) -> Any:
    return train_booster(
        x, y, names=TRANSFER_FEATURES.names, params=PARAMS, rounds=ROUNDS, seed=seed
    )


def _fit_typology(x: np.ndarray, kinds: np.ndarray) -> tuple[Any, list[str]]:
    labels = sorted({str(k) for k in kinds if k})
    if len(labels) < 2:
        raise InvalidInput("the labels name fewer than two typologies; cannot learn them")
    codes = np.array([labels.index(str(k)) for k in kinds], dtype=np.float64)
    params = {
        **PARAMS,
        "objective": "multiclass",
        "num_class": len(labels),
        "min_data_in_leaf": 5,
    }
    booster = train_booster(
        x, codes, names=TRANSFER_FEATURES.names, params=params, rounds=TYPOLOGY_ROUNDS, seed=SEED
    )
    return booster, labels


def _mask_cross_bank(x: np.ndarray, seed: int) -> np.ndarray:
    column = TRANSFER_FEATURES.names.index("cross_bank")
    masked = x.copy()
    hide = np.random.default_rng(seed).random(len(x)) < MASK_CROSS_BANK
    masked[hide, column] = np.nan
    return masked


def _recall_by_typology(
    flag: np.ndarray, y: np.ndarray, kinds: np.ndarray
) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for kind in sorted({str(k) for k in kinds[y == 1] if k}):
        rows = (kinds == kind) & (y == 1)
        out[kind] = round(float(flag[rows].mean()), 4) if rows.any() else None
    return out


@dataclass(frozen=True, slots=True)
class ProtocolResult:
    """The temporal 60/20/20 validation: threshold, calibration and metrics."""

    threshold_margin: float
    platt: Platt
    metrics: dict[str, Any]


def _protocol(
    x: np.ndarray,
    y: np.ndarray,
    kinds: np.ndarray,
    rule: ThresholdRule = MAX_F1,
    protocol: str = PROTOCOL,
) -> ProtocolResult:
    rows = len(y)
    a, b = int(rows * SPLIT[0]), int(rows * SPLIT[1])
    first = _fit(x[:a], y[:a])
    valid, test = margins(first, x[a:b]), margins(first, x[b:])
    threshold_margin = choose(rule, y[a:b], valid, kinds[a:b])
    test_metrics = binary_metrics(y[b:], test, threshold_margin)
    test_metrics["best_possible_f1_on_test"] = round(best_f1_threshold(y[b:], test)[1], 4)
    flag = test >= threshold_margin
    sar_train = y[:a] == 1
    typology, labels = _fit_typology(x[:a][sar_train], kinds[:a][sar_train])
    tested = (y[b:] == 1) & flag
    accuracy = None
    if tested.any():
        probs = np.asarray(typology.predict(x[b:][tested])).reshape(int(tested.sum()), -1)
        guessed = np.array([labels[i] for i in probs.argmax(axis=1)], dtype=object)
        accuracy = round(float((guessed == kinds[b:][tested]).mean()), 4)
    metrics: dict[str, Any] = {
        "protocol": protocol,
        "split_rows": {"train": a, "validation": b - a, "test": rows - b},
        "validation": binary_metrics(y[a:b], valid, threshold_margin),
        "test": test_metrics,
        "test_recall_by_typology": _recall_by_typology(flag, y[b:], kinds[b:]),
        "test_typology_accuracy_of_flagged": accuracy,
    }
    return ProtocolResult(float(threshold_margin), Platt.fit(valid, y[a:b]), metrics)


def train(
    engine: Engine,
    data_dir: Path,
    out_dir: Path,
    *,
    windows: GraphWindows | None = None,
    cuts: int = DEFAULT_CUTS,
    threshold_rule: str = DEFAULT_RULE,
    progress: Progress = NO_PROGRESS,
) -> TransferTrainReport:
    """Train, validate with the temporal protocol and save the transfer-risk model.

    ``cuts`` > 0 computes each part's features over the file cut after it, the training part
    in ``cuts`` pieces (:mod:`.cuts`); ``threshold_rule`` is a rule of :mod:`.thresholds`.

    Raises:
        InvalidInput: bad input, no suspicious transfers, or a bad ``cuts``/rule.
    """
    started = time.perf_counter()
    windows = windows or GraphWindows()
    rule = ThresholdRule.parse(threshold_rule)
    folder = Path(data_dir)
    progress.start("reading transfers")
    transfers = data.read_transfers(folder / data.TRANSACTIONS)
    transfers = transfers.take(pc.sort_indices(transfers, [("tran_id", "ascending")]))
    accounts_path = folder / data.ACCOUNTS
    banks = data.read_banks(accounts_path) if accounts_path.is_file() else None
    progress.finish()
    parts = cutting.plan(transfers.num_rows, SPLIT, cuts)
    frame = cutting.cut_features(engine, transfers, banks, windows, parts, progress=progress)
    y, kinds = data.read_labels(folder, frame.column("tran_id"))
    if y.sum() == 0:
        raise InvalidInput(f"{folder}: no suspicious transfers to learn from")
    x = _mask_cross_bank(feature_matrix(frame, TRANSFER_FEATURES), SEED)
    del frame
    progress.start("protocol: train on the first 60 %")
    protocol = _protocol(x, y, kinds, rule, protocol_text(cuts, str(rule)))
    progress.finish()
    progress.start("final model on every transfer")
    final = _fit(x, y)
    typology_final, labels = _fit_typology(x[y == 1], kinds[y == 1])
    progress.finish()
    platt, threshold_margin = protocol.platt, protocol.threshold_margin
    model = RiskModel.from_fitted(
        TASK, TRANSFER_FEATURES, FittedModel(final, {}), platt, threshold_margin
    )
    threshold = float(platt(np.array([threshold_margin]))[0])
    metrics = protocol.metrics
    seconds = time.perf_counter() - started
    files = [data.record(folder / data.TRANSACTIONS, transfers.num_rows).to_json()]
    if banks is not None:
        files.append(data.record(accounts_path, banks.num_rows).to_json())
    progress.start("writing the artefact")
    model.save(
        out_dir,
        labels=LABELS,
        training_data={"folder": folder.name, "files": files},
        metrics=metrics,
        card=render(metrics, threshold, files, labels, windows),
        extra={
            "typologies": labels,
            "windows": windows.to_json(),
            "training": {
                "rounds": ROUNDS,
                "params": PARAMS,
                "typology_rounds": TYPOLOGY_ROUNDS,
                "seed": SEED,
                "cross_bank_masked_share": MASK_CROSS_BANK,
                "cuts": cuts,
                "threshold_rule": str(rule),
            },
            "train_seconds": round(seconds, 1),
        },
        texts={TYPOLOGY_FILE: booster_text(typology_final)},
    )
    progress.finish()
    return TransferTrainReport(
        folder=out_dir,
        rows=len(y),
        positives=int(y.sum()),
        threshold=threshold,
        test=metrics["test"],
        recall_by_typology=metrics["test_recall_by_typology"],
        typology_accuracy=metrics["test_typology_accuracy_of_flagged"],
        seconds=seconds,
        protocol=str(metrics["protocol"]),
    )


@dataclass(frozen=True, slots=True)
class LoadedTransferModel:
    """A verified transfer-risk artefact, ready to score."""

    model: RiskModel
    spec: ScoringSpec
    windows: GraphWindows


def load(model_dir: Path, *, top: int = 3) -> LoadedTransferModel:
    """Load and verify a transfer-risk artefact (hashes, task, features, both boosters).

    ``top`` reasons per flagged transfer (0: none).

    Raises:
        ConfigError: not a transfer-risk model, changed files, or other features.
        NotFound: no such folder.
    """
    model = RiskModel.load(model_dir, TRANSFER_FEATURES, task=TASK)
    artefact = load_artefact(model_dir, kind=KIND, task=TASK, feature_names=TRANSFER_FEATURES.names)
    extra = model.manifest.extra if model.manifest else {}
    if TYPOLOGY_FILE not in artefact.texts:
        raise ConfigError(f"{model_dir}: {TYPOLOGY_FILE} is missing")
    spec = ScoringSpec(
        model_text=artefact.texts[MODEL_FILE],
        typology_text=artefact.texts[TYPOLOGY_FILE],
        typologies=tuple(str(t) for t in extra.get("typologies", [])),
        platt_a=model.platt.a,
        platt_b=model.platt.b,
        threshold_margin=model.threshold_margin,
        top=top,
    )
    windows = GraphWindows(**{k: int(v) for k, v in dict(extra.get("windows", {})).items()})
    return LoadedTransferModel(model, spec, windows)


def score(
    engine: Engine,
    model_dir: Path,
    transactions: Path,
    *,
    accounts: Path | None = None,
    top: int = 0,
    progress: Progress = NO_PROGRESS,
) -> TransferScores:
    """Score every transfer of a transactions file (labels, if present, are never read).

    ``top`` > 0 adds that many reasons (contributions in words) to each flagged transfer.
    """
    started = time.perf_counter()
    loaded = load(model_dir, top=top)
    progress.start("reading transfers")
    transfers = data.read_transfers(transactions)
    banks = data.read_banks(accounts) if accounts is not None else None
    progress.finish()
    notes = []
    if banks is None:
        notes.append("no accounts file: the cross-bank flag is unknown for every transfer")
    progress.start("computing graph features")
    base = data.featurise(engine, transfers, banks, loaded.windows)
    expr = feature_expression(TRANSFER_FEATURES, {"transfer": base})
    expr = expr.join(base.select("tran_id", "orig", "bene"), "tran_id")
    progress.finish()
    progress.start("scoring", total=transfers.num_rows)
    step = functools.partial(score_batches, loaded.spec)
    scored = engine.map_batches(expr, step, OUTPUT_SCHEMA, name="tx_scored")
    table = engine.to_arrow(scored.order_by("tran_id"), step="scored transfers")
    progress.advance(transfers.num_rows)
    progress.finish()
    return TransferScores(
        table.cast(OUTPUT_SCHEMA),
        loaded.model.threshold,
        notes,
        time.perf_counter() - started,
    )


__all__ = [
    "LABELS",
    "PROTOCOL",
    "TASK",
    "LoadedTransferModel",
    "TransferScores",
    "TransferTrainReport",
    "load",
    "score",
    "train",
]
