"""Training both text models from the shared data sets, with validation and artefact writing.

scikit-learn and scipy's optimiser are used here only (imported inside the fitting helpers
of :mod:`~smokewatch.text.models.linear`). The shipped model is the one fitted on the training
part of the split and scored on the validation part, so the numbers in the manifest and the
model card describe exactly the artefact beside them.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from smokewatch.errors import InvalidInput
from smokewatch.ml.artefact import Manifest, file_sha256, library_versions, save_artefact
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.text.models import calibration, news, presence, ranking, rerank, sms, tuning
from smokewatch.text.models.base import KIND, TrainReport
from smokewatch.text.models.cards import news_card, sms_card
from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.encoding import (
    Alphabet,
    KeyIndex,
    fit_columns,
    tfidf_matrix,
)
from smokewatch.text.models.features import Triggers, load_triggers
from smokewatch.text.models.linear import LinearModel, fit_linear_svm
from smokewatch.text.models.metrics import (
    grouped_split,
)
from smokewatch.text.models.news_metrics import ILLEGAL_FINANCE, news_metrics
from smokewatch.text.models.sms_metrics import LOAN_FRAUD, fraud_probability, sms_metrics
from smokewatch.text.models.subject_training import (
    fit_news_tagger,
    fit_subject_reranker,
    out_of_fold_lists,
    train_subject_rankers,
)
from smokewatch.text.models.subjects import stock_codes

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


def gold_subjects(
    folded_train: Sequence[str], train: Sequence[tuple[str, str, str, str | None]]
) -> dict[str, set[str]]:
    """The folded gold subjects of every distinct folded text (empty: none in the text).

    Keys keep the texts' first-seen order; a subject that does not occur in its text is not
    kept (the rankers can only pick spans of the text).
    """
    by_text: dict[str, set[str]] = defaultdict(set)
    for text, (_, _, _, subject) in zip(folded_train, train, strict=True):
        by_text[text]
        if subject and news.fold(subject) in text:
            by_text[text].add(news.fold(subject))
    return by_text


def event_training_features(
    folded_train: Sequence[str],
    train: Sequence[tuple[str, str, str, str | None]],
    distinct: Sequence[str],
    parts: tuple[Alphabet, Triggers, ranking.SubjectRankers],
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], np.ndarray]:
    """``(row features, text features, text of every row)`` of the event model's training.

    Every row is read for its gold subject (the one the pipeline picks for 其他 rows); every
    distinct text, for the subject the pipeline picks, as at prediction time (the out-of-fold
    scores that tune the offsets).
    """
    alphabet, trig, rankers = parts
    pick_batch = alphabet.encode(distinct)
    pick_hits = trig.find_all(pick_batch.joined)
    picks = ranking.choose_subjects(pick_batch, rankers, pick_hits)
    picked = [
        t[s - o : e - o] if s >= 0 else None
        for t, s, e, o in zip(
            distinct,
            picks.start.tolist(),
            picks.end.tolist(),
            pick_batch.starts.tolist(),
            strict=True,
        )
    ]
    number = {t: i for i, t in enumerate(distinct)}
    row_text = np.asarray([number[t] for t in folded_train], dtype=np.int64)
    chosen: list[str | None] = []
    for text, (_, _, _, subject) in zip(folded_train, train, strict=True):
        folded_subject = news.fold(subject) if subject else None
        chosen.append(
            folded_subject if folded_subject and folded_subject in text else picked[number[text]]
        )
    batch = alphabet.encode(folded_train)
    row_features = news.event_keys(batch, chosen, trig.find_all(batch.joined))
    return row_features, news.event_keys(pick_batch, picked, pick_hits), row_text


def _fit_event_model(
    folded_train: Sequence[str],
    train: Sequence[tuple[str, str, str, str | None]],
    distinct: Sequence[str],
    labels: Sequence[str],
    parts: tuple[Alphabet, Triggers, ranking.SubjectRankers],
    *,
    golds: Sequence[set[str]],
    seed: int,
    progress: Progress,
) -> tuple[tuning.EventFit, presence.PresenceFit, dict[str, Any]]:
    """The event model on every training row, its presence step and per-class offsets.

    The offsets and the presence step's weight are tuned together on the pooled out-of-fold
    scores (see :mod:`tuning` and :mod:`presence`); ``golds`` are the gold subjects of every
    distinct text (empty: the text has none).
    """
    row_features, text_features, row_text = event_training_features(
        folded_train, train, distinct, parts
    )
    targets = [labels.index(r[2]) for r in train]
    fitted = tuning.fit_events(*row_features, targets, n_classes=len(labels))
    progress.advance()
    carried: list[list[str]] = [[] for _ in distinct]
    for t, (_, _, label, _) in zip(row_text.tolist(), train, strict=True):
        carried[t].append(label)
    oofs = []
    for repeat in range(tuning.REPEATS):
        oofs.append(
            tuning.out_of_fold_scores(
                row_features,
                text_features,
                row_text=row_text,
                targets=targets,
                fold=tuning.text_folds(
                    folded_train, [r[2] for r in train], seed=seed + 10 * repeat
                ),
                n_classes=len(labels),
            )
        )
        progress.advance(tuning.FOLDS)
    text_targets = tuning.text_targets(carried, labels, ILLEGAL_FINANCE)
    oof, targets_of_texts = tuning.pooled(oofs, text_targets)
    plain = tuning.tune_offsets(oof, targets_of_texts)
    if news.NONE_LABEL not in labels:  # nothing to shift: the presence step is off
        fit = presence.PresenceFit(presence.Presence.off(), plain, {})
        progress.advance()
        return fitted, fit, _inner(oof, plain, targets_of_texts, fit)
    alphabet = parts[0]
    batch = alphabet.encode(distinct)
    gate = rerank.gated(batch, stock_codes(batch.joined))
    text_fold = np.zeros(len(distinct), dtype=np.int64)
    text_fold[row_text] = tuning.text_folds(folded_train, [r[2] for r in train], seed=seed)
    fit = presence.fit_presence(
        batch,
        golds,
        gate=gate,
        oof=oofs,
        text_fold=text_fold,
        targets=text_targets,
        none=labels.index(news.NONE_LABEL),
        seed=seed,
    )
    progress.advance()
    return fitted, fit, _inner(oof, plain, targets_of_texts, fit)


def _inner(
    oof: np.ndarray, plain: np.ndarray, targets: tuning.TextTargets, fit: presence.PresenceFit
) -> dict[str, Any]:
    """Out-of-fold figures: raw, offsets alone, and the presence step's objective per weight."""
    inner: dict[str, Any] = {
        name: {k: round(v, 4) for k, v in tuning.objective_parts(targets, p).items()}
        for name, p in (("raw", oof.argmax(axis=1)), ("tuned", (oof + plain).argmax(axis=1)))
    }
    inner["presence_objective_by_weight"] = {str(w): v for w, v in fit.objective.items()}
    return inner


def train_news_events(
    data: Path,
    out: Path,
    *,
    seed: int = 20261121,
    validation: float = 0.2,
    encoding: str = "utf-8",
    progress: Progress = NO_PROGRESS,
) -> TrainReport:
    """Train the news event/subject model on a FinESE train list; write the artefact to ``out``."""
    began = time.perf_counter()
    rows = read_finese(data, encoding=encoding)
    is_val = grouped_split(
        [r[1] for r in rows], [r[2] for r in rows], fraction=validation, seed=seed
    )
    train = [r for r, v in zip(rows, is_val, strict=True) if not v]
    valid = [r for r, v in zip(rows, is_val, strict=True) if v]
    check_training_part(data, [r[1] for r in train], [r[2] for r in train])
    lexicon = load_triggers()
    trig = Triggers(lexicon)
    labels = sorted({r[2] for r in rows}, key=lambda label: (label != news.NONE_LABEL, label))
    folded_train = [news.fold(t) for _, t, _, _ in train]
    alphabet = Alphabet.fit(dict.fromkeys(folded_train), min_df=2)
    by_text = gold_subjects(folded_train, train)
    with_subject = [t for t, g in by_text.items() if g]
    cohesion = Cohesion.fit(alphabet.encode(list(by_text)))
    rankers = train_subject_rankers(
        with_subject,
        [by_text[t] for t in with_subject],
        alphabet,
        trig,
        progress,
        cohesion=cohesion,
    )
    x, gold, listed = out_of_fold_lists(
        with_subject,
        [by_text[t] for t in with_subject],
        alphabet,
        trig,
        cohesion=cohesion,
        seed=seed,
        progress=progress,
    )
    progress.start("subject tagger", 1)
    tagger = fit_news_tagger(with_subject, [by_text[t] for t in with_subject], alphabet)
    progress.advance()
    progress.finish()
    reranker, reranker_figures = fit_subject_reranker(x, gold, listed, tagger, seed=seed)
    rankers = dataclasses.replace(rankers, reranker=reranker)
    progress.start("event model", 3 + tuning.FOLDS * tuning.REPEATS)
    fitted, presence_fit, inner = _fit_event_model(
        folded_train,
        train,
        list(by_text),
        labels,
        (alphabet, trig, rankers),
        golds=[set(g) for g in by_text.values()],
        seed=seed,
        progress=progress,
    )
    offsets, presence_step = presence_fit.offsets, presence_fit.presence
    events = LinearModel(fitted.model.weights.astype(np.float32), fitted.model.bias)
    event_keys, idf = fitted.keys, fitted.idf
    model = news.NewsEventModel(
        labels,
        events,
        event_keys,
        idf,
        alphabet,
        rankers=rankers,
        triggers=trig,
        offsets=offsets,
        presence=presence_step,
    )
    metrics = news_metrics(model, valid) if valid else {}
    progress.advance()
    progress.finish()
    seconds = round(time.perf_counter() - began, 1)
    metrics["split"] = {
        "seed": seed,
        "validation": validation,
        "grouped_by": "text",
        "stratified_by": "most common label of the text",
        "train_rows": len(train),
        "validation_rows": len(valid),
    }
    metrics["training_seconds"] = seconds
    metrics["subject_reranker"] = reranker_figures
    metrics["event_offsets"] = {
        "protocol": f"per-class score offsets tuned on {tuning.FOLDS}-fold out-of-fold scores "
        f"of {tuning.REPEATS} fold assignments pooled "
        "inside the training part (per-text objective: mean of 涉嫌非法集资 F1, group F1, "
        "accuracy)",
        "offsets": {label: float(o) for label, o in zip(labels, offsets, strict=True) if o},
        "out_of_fold": inner,
        "presence_weight": presence_step.weight,
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
    arrays = {
        "event_weights": events.weights,
        "event_bias": events.bias,
        "event_idf": idf,
        "event_keys": event_keys,
        "rank1_weights": rankers.first.weights,
        "rank1_bias": rankers.first.bias,
        "rank2_weights": rankers.second.weights,
        "rank2_bias": rankers.second.bias,
        "rank2_keys": rankers.second_keys,
        "cohesion_keys": rankers.cohesion.keys,
        "cohesion_levels": rankers.cohesion.levels,
        "event_offsets": offsets,
        "rerank_weights": reranker.weights,
        "rerank_bias": np.asarray([reranker.bias]),
        "tagger_weights": reranker.tagger.weights.astype(np.float32),
        "tagger_bias": reranker.tagger.bias,
        "presence_tagger_weights": presence_step.tagger.weights.astype(np.float32),
        "presence_tagger_bias": presence_step.tagger.bias,
        "presence_coef": presence_step.coef,
        "presence_intercept_weight": np.asarray([presence_step.intercept, presence_step.weight]),
    }
    parts = {
        "alphabet": alphabet.chars,
        "gazetteer": list(rankers.gazetteer.names),
        "triggers": lexicon,
        "rerank_features": list(rerank.FEATURES),
    }
    folder = save_artefact(out, manifest, arrays=arrays, parts=parts, card=news_card(manifest))
    return TrainReport(news.NEWS_TASK, folder, tuple(labels), metrics, seconds)


def train_sms_fraud(
    data: Path,
    out: Path,
    *,
    seed: int = 20261121,
    validation: float = 0.2,
    encoding: str = "utf-8",
    progress: Progress = NO_PROGRESS,
) -> TrainReport:
    """Train the SMS fraud model on the telecom-fraud CSV; write the artefact to ``out``."""
    began = time.perf_counter()
    rows = read_sms(data, encoding=encoding)
    is_val = grouped_split(
        [r[0] for r in rows], [r[1] for r in rows], fraction=validation, seed=seed
    )
    train = [r for r, v in zip(rows, is_val, strict=True) if not v]
    valid = [r for r, v in zip(rows, is_val, strict=True) if v]
    check_training_part(data, [r[0] for r in train], [r[1] for r in train])
    labels = sorted({r[1] for r in rows}, key=lambda label: (label != "正常短信", label))
    progress.start("sms model", 3)
    texts = [text for text, _ in train]
    alphabet = Alphabet.fit([sms.neutralise(t) for t in texts], min_df=2)
    doc_rows, doc_keys = sms.ngram_rows(alphabet, texts)
    keys, idf = fit_columns(doc_rows, doc_keys, min_df=2, n_rows=len(texts))
    if not len(keys):
        raise InvalidInput(f"{data}: no character n-gram occurs in two training texts")
    index = KeyIndex(keys)
    matrix = tfidf_matrix(doc_rows, index.lookup(doc_keys), len(texts), idf)
    targets = np.array([labels.index(label) for _, label in train], dtype=np.int64)
    model = _fit_sms(matrix, targets, len(labels))
    progress.advance()
    temperature, calibrated = _sms_temperature(matrix, targets, texts, len(labels), seed=seed)
    classifier = sms.SmsFraudModel(
        labels, calibration.with_temperature(model, temperature), alphabet, keys, idf
    )
    progress.advance()
    metrics: dict[str, Any] = {}
    if valid:
        metrics = sms_metrics(classifier, valid)
        calibrated["validation"] = _fraud_calibration(
            sms.SmsFraudModel(labels, model, alphabet, keys, idf), classifier, valid
        )
    metrics["calibration"] = calibrated
    progress.advance()
    progress.finish()
    seconds = round(time.perf_counter() - began, 1)
    metrics["split"] = {
        "seed": seed,
        "validation": validation,
        "grouped_by": "text (exact duplicates stay together)",
        "stratified_by": "label",
        "train_rows": len(train),
        "validation_rows": len(valid),
    }
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
    folder = save_artefact(
        out,
        manifest,
        arrays={
            "weights": classifier.model.weights.astype(np.float32),
            "bias": classifier.model.bias,
            "idf": idf,
            "keys": keys,
        },
        parts={"alphabet": alphabet.chars},
        card=sms_card(manifest),
    )
    return TrainReport(sms.SMS_TASK, folder, tuple(labels), metrics, seconds)


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
    "event_training_features",
    "gold_subjects",
    "read_finese",
    "read_sms",
    "train_news_events",
    "train_sms_fraud",
    "train_subject_rankers",
]
