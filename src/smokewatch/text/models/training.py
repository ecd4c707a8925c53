"""Training both text models from the shared data sets, with validation and artefact writing.

scikit-learn and scipy's optimiser are used here only (imported inside the fitting helpers
of :mod:`~smokewatch.text.models.linear`). Each model is fitted on the training part of a
seeded split and scored on the validation part; those are the figures of the manifest and the
model card. Then, by default (``refit``), the same procedure runs again on every row, and that
fit is the artefact: it learns from a quarter more data, the way the risk models refit on every
labelled row, and its card says so. With ``refit=False`` the artefact is the validated fit
itself, which the card's figures then describe exactly.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from smokewatch.errors import InvalidInput
from smokewatch.ml.artefact import Manifest, file_sha256, library_versions, save_artefact
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.text.models import calibration, news, rerank, sms, tuning
from smokewatch.text.models.base import KIND, TrainReport
from smokewatch.text.models.cards import news_card, sms_card
from smokewatch.text.models.encoding import Alphabet, KeyIndex, fit_columns, tfidf_matrix
from smokewatch.text.models.linear import LinearModel, fit_linear_svm
from smokewatch.text.models.metrics import grouped_split
from smokewatch.text.models.news_metrics import ILLEGAL_FINANCE, news_metrics
from smokewatch.text.models.news_training import NewsFit, fit_news_events
from smokewatch.text.models.sms_metrics import LOAN_FRAUD, fraud_probability, sms_metrics
from smokewatch.text.models.subject_training import train_subject_rankers

_LIBRARIES = ("numpy", "scipy", "scikit-learn", "pyahocorasick", "jieba", "smokewatch")
SMS_C = 2.0
"""C of the SMS model's linear SVM (round 7: C 0.2–2 and the LR C 20 of earlier rounds compared
over 12 out-of-fold seeds)."""
SMS_TEMPERATURES = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
"""Temperatures for the SVM's margins (out-of-fold choice: 5 on the real data)."""
NEWS_C = 20.0


MIN_TRAINING_TEXTS = 20
"""Fewest distinct texts the training part (after the validation split) must hold."""


def check_training_part(path: Path, texts: Sequence[str], labels: Sequence[str]) -> None:
    """Refuse a training part too small to learn from, with the reason.

    Raises:
        InvalidInput: fewer than two classes, or fewer than :data:`MIN_TRAINING_TEXTS`
            distinct texts, are left for training after the validation split.
    """
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise InvalidInput(
            f"{path}: the training part has one class only ({', '.join(classes) or 'none'}); "
            "a classifier needs texts of at least two"
        )
    distinct = len(set(texts))
    if distinct < MIN_TRAINING_TEXTS:
        raise InvalidInput(
            f"{path}: too few texts to train on: {distinct} distinct texts left for training "
            f"after the validation split, at least {MIN_TRAINING_TEXTS} needed"
        )


def read_finese(path: Path, *, encoding: str = "utf-8") -> list[tuple[str, str, str, str | None]]:
    """FinESE rows ``(id, text, event_type, subject)``; ``subject`` is None for "NaN"."""
    try:
        raw = json.loads(Path(path).read_text(encoding=encoding))
        rows = [
            (str(r[0]), str(r[1]), str(r[2]), None if r[3] == "NaN" else str(r[3])) for r in raw
        ]
    except (OSError, ValueError, IndexError, TypeError) as exc:
        raise InvalidInput(
            f"{path}: not a FinESE list of [id, text, event, subject]: {exc}"
        ) from exc
    if not rows:
        raise InvalidInput(f"{path}: no rows")
    return rows


def read_sms(path: Path, *, encoding: str = "utf-8") -> list[tuple[str, str]]:
    """Telecom-fraud rows ``(content, label_name)``."""
    try:
        with Path(path).open(encoding=encoding, newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"content", "label_name"} - set(reader.fieldnames or ())
            if missing:
                raise ValueError(f"no {' or '.join(sorted(missing))} column in the header")
            rows = [(r["content"], r["label_name"]) for r in reader]
    except (OSError, KeyError, ValueError, csv.Error) as exc:
        raise InvalidInput(f"{path}: not a content,label_name CSV ({encoding}): {exc}") from exc
    if not rows:
        raise InvalidInput(f"{path}: no rows")
    return rows


def _training_data(path: Path, rows: int) -> dict[str, Any]:
    return {"file": Path(path).name, "sha256": file_sha256(Path(path)), "rows": rows}


def train_news_events(
    data: Path,
    out: Path,
    *,
    seed: int = 20261121,
    validation: float = 0.2,
    refit: bool = True,
    encoding: str = "utf-8",
    progress: Progress = NO_PROGRESS,
) -> TrainReport:
    """Train the news event/subject model on a FinESE train list; write the artefact to ``out``.

    The model is fitted on the training part of the split and scored on the validation part;
    with ``refit`` the same procedure then runs on every row and that fit is the artefact.
    """
    began = time.perf_counter()
    rows = read_finese(data, encoding=encoding)
    is_val = grouped_split(
        [r[1] for r in rows], [r[2] for r in rows], fraction=validation, seed=seed
    )
    train = [r for r, v in zip(rows, is_val, strict=True) if not v]
    valid = [r for r, v in zip(rows, is_val, strict=True) if v]
    check_training_part(data, [r[1] for r in train], [r[2] for r in train])
    labels = sorted({r[2] for r in rows}, key=lambda label: (label != news.NONE_LABEL, label))
    fit = fit_news_events(train, labels, seed=seed, progress=progress)
    metrics = news_metrics(fit.model, valid) if valid else {}
    refitted = refit and bool(valid)
    if refitted:
        del fit  # the validated fit is not kept: it would double the refit's peak memory
        fit = fit_news_events(rows, labels, seed=seed, progress=progress)
    seconds = round(time.perf_counter() - began, 1)
    metrics["split"] = _split(
        seed,
        validation,
        ("text", "most common label of the text"),
        (len(train), len(valid), len(rows) if refitted else None),
    )
    metrics["training_seconds"] = seconds
    metrics["subject_reranker"] = fit.reranker_figures
    metrics["event_offsets"] = {
        "protocol": f"per-class score offsets tuned on {tuning.FOLDS}-fold out-of-fold scores "
        f"of {tuning.REPEATS} fold assignments pooled "
        "inside the rows fitted on (per-text objective: mean of 涉嫌非法集资 F1, group F1, "
        "accuracy)",
        "offsets": {label: float(o) for label, o in zip(labels, fit.offsets, strict=True) if o},
        "out_of_fold": fit.inner,
        "presence_weight": fit.presence.weight,
    }
    spec = {**news.SPEC, "names": news.FEATURE_NAMES}
    manifest = Manifest(
        kind=KIND,
        task=news.NEWS_TASK,
        labels=labels,
        features=spec,
        training_data=_training_data(data, len(rows)),
        metrics=metrics,
        libraries=library_versions(_LIBRARIES),
    )
    folder = save_artefact(
        out, manifest, arrays=_news_arrays(fit), parts=_news_parts(fit), card=news_card(manifest)
    )
    return TrainReport(news.NEWS_TASK, folder, tuple(labels), metrics, seconds)


def _split(
    seed: int,
    validation: float,
    drawn: tuple[str, str],
    sizes: tuple[int, int, int | None],
) -> dict[str, Any]:
    """The manifest's record of the split.

    ``drawn`` is (grouped by, stratified by); ``sizes`` the rows of the training part, of the
    validation part and of the refit on every row (``None``: no refit).
    """
    return {
        "seed": seed,
        "validation": validation,
        "grouped_by": drawn[0],
        "stratified_by": drawn[1],
        "train_rows": sizes[0],
        "validation_rows": sizes[1],
        "refit_rows": sizes[2],
    }


def _news_arrays(fit: NewsFit) -> dict[str, np.ndarray]:
    rankers, presence_step, reranker = fit.model.rankers, fit.presence, fit.reranker
    return {
        "event_weights": fit.events.weights,
        "event_bias": fit.events.bias,
        "event_idf": fit.idf,
        "event_keys": fit.event_keys,
        "rank1_weights": rankers.first.weights,
        "rank1_bias": rankers.first.bias,
        "rank2_weights": rankers.second.weights,
        "rank2_bias": rankers.second.bias,
        "rank2_keys": rankers.second_keys,
        "cohesion_keys": rankers.cohesion.keys,
        "cohesion_levels": rankers.cohesion.levels,
        "event_offsets": fit.offsets,
        "rerank_weights": reranker.weights,
        "rerank_bias": np.asarray([reranker.bias]),
        "tagger_weights": reranker.tagger.weights.astype(np.float32),
        "tagger_bias": reranker.tagger.bias,
        "presence_tagger_weights": presence_step.tagger.weights.astype(np.float32),
        "presence_tagger_bias": presence_step.tagger.bias,
        "presence_coef": presence_step.coef,
        "presence_intercept_weight": np.asarray([presence_step.intercept, presence_step.weight]),
    }


def _news_parts(fit: NewsFit) -> dict[str, Any]:
    return {
        "alphabet": fit.model.alphabet.chars,
        "gazetteer": list(fit.model.rankers.gazetteer.names),
        "triggers": fit.lexicon,
        "rerank_features": list(rerank.FEATURES),
    }


def train_sms_fraud(
    data: Path,
    out: Path,
    *,
    seed: int = 20261121,
    validation: float = 0.2,
    refit: bool = True,
    encoding: str = "utf-8",
    progress: Progress = NO_PROGRESS,
) -> TrainReport:
    """Train the SMS fraud model on the telecom-fraud CSV; write the artefact to ``out``.

    Fitted on the training part and scored on the validation part; with ``refit`` the same
    recipe (temperature included) then runs on every row and that fit is the artefact.
    """
    began = time.perf_counter()
    rows = read_sms(data, encoding=encoding)
    is_val = grouped_split(
        [r[0] for r in rows], [r[1] for r in rows], fraction=validation, seed=seed
    )
    train = [r for r, v in zip(rows, is_val, strict=True) if not v]
    valid = [r for r, v in zip(rows, is_val, strict=True) if v]
    check_training_part(data, [r[0] for r in train], [r[1] for r in train])
    labels = sorted({r[1] for r in rows}, key=lambda label: (label != "正常短信", label))
    refitted = refit and bool(valid)
    progress.start("sms model", 3 + refitted)
    fit = _fit_sms_model(data, train, labels, seed=seed)
    progress.advance(2)
    metrics: dict[str, Any] = {}
    if valid:
        metrics = sms_metrics(fit.classifier, valid)
        validated = _fraud_calibration(fit.uncalibrated(), fit.classifier, valid)
    if refitted:
        fit = _fit_sms_model(data, rows, labels, seed=seed)
        progress.advance()
    metrics["calibration"] = fit.calibration | ({"validation": validated} if valid else {})
    progress.advance()
    progress.finish()
    seconds = round(time.perf_counter() - began, 1)
    metrics["split"] = _split(
        seed,
        validation,
        ("text (exact duplicates stay together)", "label"),
        (len(train), len(valid), len(rows) if refitted else None),
    )
    metrics["training_seconds"] = seconds
    manifest = Manifest(
        kind=KIND,
        task=sms.SMS_TASK,
        labels=labels,
        features={**sms.SPEC, "names": sms.FEATURE_NAMES},
        training_data=_training_data(data, len(rows)),
        metrics=metrics,
        libraries=library_versions(_LIBRARIES),
    )
    classifier = fit.classifier
    folder = save_artefact(
        out,
        manifest,
        arrays={
            "weights": classifier.model.weights.astype(np.float32),
            "bias": classifier.model.bias,
            "idf": classifier.idf,
            "keys": classifier.index.keys,
        },
        parts={"alphabet": classifier.alphabet.chars},
        card=sms_card(manifest),
    )
    return TrainReport(sms.SMS_TASK, folder, tuple(labels), metrics, seconds)


@dataclasses.dataclass(frozen=True, slots=True)
class _SmsFit:
    classifier: sms.SmsFraudModel
    """With the temperature folded in (what the artefact stores)."""
    raw: LinearModel
    """The SVM before the temperature."""
    calibration: dict[str, Any]

    def uncalibrated(self) -> sms.SmsFraudModel:
        """The classifier without the temperature (validation compares the two)."""
        c = self.classifier
        return sms.SmsFraudModel(c.labels, self.raw, c.alphabet, c.index.keys, c.idf)


def _fit_sms_model(
    data: Path, rows: Sequence[tuple[str, str]], labels: Sequence[str], *, seed: int
) -> _SmsFit:
    """The SMS recipe fitted on ``rows``: columns, the SVM and its temperature."""
    texts = [text for text, _ in rows]
    alphabet = Alphabet.fit([sms.neutralise(t) for t in texts], min_df=2)
    doc_rows, doc_keys = sms.ngram_rows(alphabet, texts)
    keys, idf = fit_columns(doc_rows, doc_keys, min_df=2, n_rows=len(texts))
    if not len(keys):
        raise InvalidInput(f"{data}: no character n-gram occurs in two training texts")
    index = KeyIndex(keys)
    matrix = tfidf_matrix(doc_rows, index.lookup(doc_keys), len(texts), idf)
    targets = np.array([labels.index(label) for _, label in rows], dtype=np.int64)
    model = _fit_sms(matrix, targets, len(labels))
    temperature, calibrated = _sms_temperature(matrix, targets, texts, len(labels), seed=seed)
    return _SmsFit(
        sms.SmsFraudModel(
            labels, calibration.with_temperature(model, temperature), alphabet, keys, idf
        ),
        model,
        calibrated,
    )


def _fit_sms(matrix: sparse.csr_matrix, targets: np.ndarray, n_classes: int) -> LinearModel:
    return fit_linear_svm(
        matrix, targets.tolist(), n_classes=n_classes, c=SMS_C, class_weight="balanced"
    )


def _sms_temperature(
    matrix: sparse.csr_matrix,
    targets: np.ndarray,
    texts: Sequence[str],
    n_classes: int,
    *,
    seed: int,
) -> tuple[float, dict[str, Any]]:
    """Softmax temperature chosen on out-of-fold scores of the training part.

    :data:`tuning.FOLDS` folds grouped by text and stratified by label; each fold is scored by
    the same recipe fitted on the other folds (over the full training part's columns: the
    vocabulary and idf are unsupervised). A fold without two classes to learn from leaves
    the temperature at 1.
    """
    fold = tuning.text_folds(texts, [str(t) for t in targets.tolist()], seed=seed)
    scores = np.zeros((len(targets), n_classes))
    for f in range(tuning.FOLDS):
        inside, held = fold != f, fold == f
        if len(np.unique(targets[inside])) < 2 or not held.any():
            return 1.0, {"temperature": 1.0, "protocol": "too few texts to tune"}
        scores[held] = _fit_sms(matrix[inside], targets[inside], n_classes).scores(matrix[held])
    temperature = calibration.choose_temperature(scores, targets, SMS_TEMPERATURES)
    return temperature, {
        "temperature": temperature,
        "protocol": (
            f"softmax temperature from {SMS_TEMPERATURES}, lowest multiclass log loss "
            f"of {tuning.FOLDS}-fold out-of-fold scores (folds grouped by text) of the training "
            "part; folded into the weights, categories unchanged"
        ),
        "out_of_fold_log_loss": {
            "before": round(calibration.log_loss(calibration.softmax(scores), targets), 5),
            "after": round(
                calibration.log_loss(calibration.softmax(scores, temperature), targets), 5
            ),
        },
    }


def _fraud_calibration(
    raw: sms.SmsFraudModel, scaled: sms.SmsFraudModel, valid: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """:func:`fraud_probability` on validation, before and after the temperature."""
    return {"before": fraud_probability(raw, valid), "after": fraud_probability(scaled, valid)}


__all__ = [
    "ILLEGAL_FINANCE",
    "LOAN_FRAUD",
    "MIN_TRAINING_TEXTS",
    "check_training_part",
    "read_finese",
    "read_sms",
    "train_news_events",
    "train_sms_fraud",
    "train_subject_rankers",
]
