"""Fitting the news event/subject model on a set of FinESE rows (one fit, no validation).

:func:`fit_news_events` runs the whole training pipeline on the rows it is given: the subject
rankers, their out-of-fold lists and the reranker with its tagger, the event model with its
per-class offsets and the presence step (both tuned on out-of-fold scores of those rows).
:mod:`~smokewatch.text.models.training` calls it on the training part of the split, scores
the validation part, and by default calls it once more on every row (the refit).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.text.models import news, presence, ranking, rerank, tuning
from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.encoding import Alphabet
from smokewatch.text.models.features import Triggers, load_triggers
from smokewatch.text.models.linear import LinearModel
from smokewatch.text.models.news_metrics import ILLEGAL_FINANCE
from smokewatch.text.models.subject_training import (
    fit_news_tagger,
    fit_subject_reranker,
    out_of_fold_lists,
    train_subject_rankers,
)
from smokewatch.text.models.subjects import stock_codes

FinEseRow = tuple[str, str, str, str | None]
"""``(id, text, event_type, subject)`` as :func:`~smokewatch.text.models.training.read_finese`
reads them."""


@dataclasses.dataclass(frozen=True, slots=True)
class NewsFit:
    """One fit of the news model: the model, the parts its artefact stores, inner figures."""

    model: news.NewsEventModel
    events: LinearModel
    event_keys: np.ndarray
    idf: np.ndarray
    offsets: np.ndarray
    presence: presence.Presence
    reranker: rerank.Reranker
    lexicon: Any
    """The trigger lexicon as the artefact stores it."""
    reranker_figures: dict[str, Any]
    inner: dict[str, Any]
    """Out-of-fold figures of the event model (raw, tuned, presence objective per weight)."""


def fit_news_events(
    rows: Sequence[FinEseRow],
    labels: Sequence[str],
    *,
    seed: int,
    progress: Progress = NO_PROGRESS,
) -> NewsFit:
    """The news model fitted on ``rows`` (every random step seeded by ``seed``)."""
    lexicon = load_triggers()
    trig = Triggers(lexicon)
    folded = [news.fold(t) for _, t, _, _ in rows]
    alphabet = Alphabet.fit(dict.fromkeys(folded), min_df=2)
    by_text = gold_subjects(folded, rows)
    with_subject = [t for t, g in by_text.items() if g]
    golds = [by_text[t] for t in with_subject]
    cohesion = Cohesion.fit(alphabet.encode(list(by_text)))
    rankers = train_subject_rankers(
        with_subject, golds, alphabet, trig, progress, cohesion=cohesion
    )
    x, gold, listed = out_of_fold_lists(
        with_subject, golds, alphabet, trig, cohesion=cohesion, seed=seed, progress=progress
    )
    progress.start("subject tagger", 1)
    tagger = fit_news_tagger(with_subject, golds, alphabet)
    progress.advance()
    progress.finish()
    reranker, reranker_figures = fit_subject_reranker(x, gold, listed, tagger, seed=seed)
    rankers = dataclasses.replace(rankers, reranker=reranker)
    progress.start("event model", 3 + tuning.FOLDS * tuning.REPEATS)
    fitted, presence_fit, inner = _fit_event_model(
        folded,
        rows,
        list(by_text),
        labels,
        (alphabet, trig, rankers),
        golds=[set(g) for g in by_text.values()],
        seed=seed,
        progress=progress,
    )
    progress.advance()
    progress.finish()
    events = LinearModel(fitted.model.weights.astype(np.float32), fitted.model.bias)
    model = news.NewsEventModel(
        labels,
        events,
        fitted.keys,
        fitted.idf,
        alphabet,
        rankers=rankers,
        triggers=trig,
        offsets=presence_fit.offsets,
        presence=presence_fit.presence,
    )
    return NewsFit(
        model,
        events,
        fitted.keys,
        fitted.idf,
        presence_fit.offsets,
        presence_fit.presence,
        reranker,
        lexicon,
        reranker_figures,
        inner,
    )


def gold_subjects(folded_train: Sequence[str], train: Sequence[FinEseRow]) -> dict[str, set[str]]:
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
    train: Sequence[FinEseRow],
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
    train: Sequence[FinEseRow],
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


__all__ = ["FinEseRow", "NewsFit", "event_training_features", "fit_news_events", "gold_subjects"]
