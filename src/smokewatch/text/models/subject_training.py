"""Fitting the subject rankers and the news-sentence reranker (training only).

Split out of :mod:`~smokewatch.text.models.training` (which writes the artefacts): the two
rankers of :mod:`~smokewatch.text.models.ranking` are fitted on the texts with a subject, and
the reranker of :mod:`~smokewatch.text.models.rerank` on best-8 lists made by rankers fitted
without the listed texts (out of fold), so it learns from lists like those of unseen texts.
The reranker's tagger columns (:mod:`~smokewatch.text.models.tagger`) are made out of fold
the same way: per ranker fold, a tagger fitted on the other folds' gated texts.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.text.models import ranking, rerank, subjects
from smokewatch.text.models import tagger as tagging
from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.encoding import Alphabet, Batch, count_matrix
from smokewatch.text.models.features import Triggers
from smokewatch.text.models.gazetteer import Gazetteer
from smokewatch.text.models.linear import LinearModel, fit_ranker

_FOLDS = 5


@dataclass
class _RankerFold:
    batch: Batch
    hits: tuple[np.ndarray, np.ndarray]
    found: subjects.Candidates
    rows: np.ndarray
    keys: np.ndarray
    positive: np.ndarray


def _ranker_fold(
    texts: Sequence[str],
    golds: Sequence[set[str]],
    gazetteer: Gazetteer,
    alphabet: Alphabet,
    trig: Triggers,
    *,
    cohesion: Cohesion,
) -> _RankerFold:
    batch = alphabet.encode(texts)
    hits = trig.find_all(batch.joined)
    found = subjects.batch_candidates(batch, gazetteer)
    rows, keys = ranking.first_stage(batch, found, hits, cohesion)
    spans = subjects.span_texts(batch, found.start, found.end)
    positive = np.fromiter(
        (s in golds[d] for d, s in zip(found.doc.tolist(), spans, strict=True)), bool, len(spans)
    )
    return _RankerFold(batch, hits, found, rows, keys, positive)


def _frequent_columns(rows: np.ndarray, columns: np.ndarray, min_df: int) -> np.ndarray:
    """Keep-mask of (row, column) pairs whose column is in at least ``min_df`` rows."""
    pairs = np.unique(np.stack([columns, rows]), axis=1)
    df = np.bincount(pairs[0], minlength=1 << ranking.RANK_BITS)
    keep: np.ndarray = df[columns] >= min_df
    return keep


def _ranker_matrix(rows: np.ndarray, keys: np.ndarray, n_rows: int) -> sparse.csr_matrix:
    columns = ranking.hashed_columns(keys)
    keep = _frequent_columns(rows, columns, 2)
    return count_matrix(rows[keep], columns[keep], (n_rows, 1 << ranking.RANK_BITS))


def _representative_keys(keys: np.ndarray) -> np.ndarray:
    """The most frequent feature key of every hashed column (0 where none)."""
    unique, counts = np.unique(keys, return_counts=True)
    columns = ranking.hashed_columns(unique)
    order = np.lexsort((counts, columns))  # last of each column: the most frequent key
    out = np.zeros(1 << ranking.RANK_BITS, dtype=np.int64)
    out[columns[order]] = unique[order]
    return out


def train_subject_rankers(
    texts: Sequence[str],
    golds: Sequence[set[str]],
    alphabet: Alphabet,
    trig: Triggers,
    progress: Progress,
    *,
    cohesion: Cohesion,
) -> ranking.SubjectRankers:
    """Fit both subject rankers on folded texts and their gold subjects (folded)."""
    labels_of = ranking.trigger_labels(trig)
    # Gazetteer features of a training text come from the other folds' subjects, so the
    # ranker learns how much a known name is worth for names it has not seen in that text.
    fold_of = [i % _FOLDS for i in range(len(texts))]
    progress.start("subject candidates", _FOLDS)
    folds: list[tuple[list[int], _RankerFold]] = []
    for f in range(_FOLDS):
        idx = [i for i in range(len(texts)) if fold_of[i] == f]
        others = Gazetteer(s for i, g in enumerate(golds) if fold_of[i] != f for s in g)
        folds.append(
            (
                idx,
                _ranker_fold(
                    [texts[i] for i in idx],
                    [golds[i] for i in idx],
                    others,
                    alphabet,
                    trig,
                    cohesion=cohesion,
                ),
            )
        )
        progress.advance()
    progress.finish()
    progress.start("subject rankers", 2)
    rows, groups, keys, positive = [], [], [], []
    offset = 0
    for idx, fold in folds:
        rows.append(fold.rows + offset)
        keys.append(fold.keys)
        groups.append(np.asarray(idx, dtype=np.int64)[fold.found.doc])
        positive.append(fold.positive)
        offset += len(fold.found)
    first_matrix = _ranker_matrix(np.concatenate(rows), np.concatenate(keys), offset)
    first = fit_ranker(first_matrix, np.concatenate(positive), np.concatenate(groups))
    progress.advance()
    rows, groups, keys, positive = [], [], [], []
    offset = 0
    for idx, fold in folds:
        n = len(fold.found)
        scores = ranking.ranker_scores(first, fold.rows, fold.keys, n)
        chosen, ranks = ranking.top_per_text(fold.found.doc, scores, ranking.TOP_CANDIDATES)
        r, k = ranking.second_stage(
            fold.batch,
            fold.found,
            fold.hits,
            chosen=chosen,
            ranks=ranks,
            first_rows=fold.rows,
            first_keys=fold.keys,
            trigger_labels=labels_of,
        )
        rows.append(r + offset)
        keys.append(k)
        groups.append(np.asarray(idx, dtype=np.int64)[fold.found.doc[chosen]])
        positive.append(fold.positive[chosen])
        offset += len(chosen)
    all_keys = np.concatenate(keys)
    second_matrix = _ranker_matrix(np.concatenate(rows), all_keys, offset)
    second = fit_ranker(second_matrix, np.concatenate(positive), np.concatenate(groups), l2=0.3)
    progress.advance()
    progress.finish()
    gazetteer = Gazetteer(s for g in golds for s in g)
    return ranking.SubjectRankers(
        gazetteer,
        _compact(first),
        _compact(second),
        _representative_keys(all_keys),
        cohesion,
        labels_of,
    )


RERANK_FOLDS = 3
"""Ranker folds of the reranker's out-of-fold best-8 lists (3 extra ranker fits)."""


def fit_news_tagger(
    texts: Sequence[str], golds: Sequence[set[str]], alphabet: Alphabet
) -> tagging.Tagger:
    """The subject tagger fitted on the gated texts (news sentences) among ``texts``.

    ``texts`` are texts with a subject; only the gated ones are read, as the reranker only
    ever asks about those (round 10: adding the glued headlines changed nothing).
    """
    probe = alphabet.encode(texts)
    gate = rerank.gated(probe, subjects.stock_codes(probe.joined))
    keep = np.flatnonzero(gate).tolist()
    if not keep:
        raise ValueError("no news sentence with a subject to fit the subject tagger on")
    batch = alphabet.encode([texts[i] for i in keep])
    docs = np.arange(len(keep), dtype=np.int64)
    return tagging.Tagger.fit(batch, docs, [golds[i] for i in keep])


def out_of_fold_lists(
    texts: Sequence[str],
    golds: Sequence[set[str]],
    alphabet: Alphabet,
    trig: Triggers,
    *,
    cohesion: Cohesion,
    seed: int,
    progress: Progress = NO_PROGRESS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reranker features of the best-8 lists of the gated texts, each read by rankers without it.

    The reranker must learn from lists such as the rankers make for texts they have not
    seen: in-sample lists are too good (the gold name is nearly always on top). Texts are
    split into :data:`RERANK_FOLDS` folds; the rankers fitted on the other folds list the
    gated texts (:func:`~smokewatch.text.models.rerank.gated`) of each fold, and a tagger
    fitted on the other folds' gated texts gives their tagger columns. Returns
    ``(features, gold, text)``: one row per listed candidate, whether its span is a gold
    subject, and the number of its text in ``texts``.
    """
    fold = np.random.default_rng(seed).permutation(len(texts)) % RERANK_FOLDS
    probe = alphabet.encode(texts)
    gate = rerank.gated(probe, subjects.stock_codes(probe.joined))
    xs, ys, ts = [np.zeros((0, len(rerank.FEATURES)))], [np.zeros(0, bool)], [np.zeros(0, int)]
    progress.start("subject reranker lists", RERANK_FOLDS)
    for f in range(RERANK_FOLDS):
        others = np.flatnonzero(fold != f).tolist()
        held = np.flatnonzero((fold == f) & gate)
        rankers = train_subject_rankers(
            [texts[i] for i in others],
            [golds[i] for i in others],
            alphabet,
            trig,
            NO_PROGRESS,
            cohesion=cohesion,
        )
        tagger = fit_news_tagger([texts[i] for i in others], [golds[i] for i in others], alphabet)
        batch = alphabet.encode([texts[i] for i in held.tolist()])
        lists = ranking.best_lists(batch, rankers, trig.find_all(batch.joined))
        listed = lists.lists(np.ones(len(held), dtype=bool))
        spans = subjects.span_texts(batch, listed.start, listed.end)
        xs.append(rerank.features(batch, listed, tagger))
        gold = [golds[held[d]] for d in listed.doc.tolist()]
        ys.append(np.fromiter((s in g for s, g in zip(spans, gold, strict=True)), bool))
        ts.append(held[listed.doc])
        progress.advance()
    progress.finish()
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ts)


def fit_subject_reranker(
    x: np.ndarray, gold: np.ndarray, text: np.ndarray, tagger: tagging.Tagger, *, seed: int
) -> tuple[rerank.Reranker, dict[str, Any]]:
    """The reranker fitted on out-of-fold lists, and its 5-fold figures on those lists.

    ``tagger`` (fitted on all gated texts, :func:`fit_news_tagger`) is the one predict uses.

    The figures are the share of listed texts whose pick is a gold subject, for the rich
    ranker's winner (row of rank 1) and for the reranker's winner judged by 5-fold
    cross-validation over the texts (the candidate spans as listed, before the repair).
    """
    reranker = rerank.fit_reranker(x, gold, tagger)
    order = np.argsort(text, kind="stable")  # rows grouped by text, each list best first
    x, gold, text = x[order], gold[order], text[order]
    names, first = np.unique(text, return_index=True)
    bounds = np.r_[first, len(text)]
    five = np.random.default_rng(seed).permutation(len(names)) % _FOLDS
    in_fold = np.repeat(five, np.diff(bounds))
    score = np.zeros(len(gold))
    for f in range(_FOLDS):
        inside = in_fold != f
        if gold[inside].any() and not gold[inside].all():
            fitted = rerank.fit_reranker(x[inside], gold[inside], tagger)
            score[~inside] = fitted.scores(x[~inside])
    won = [int(np.argmax(score[a:b])) + a for a, b in itertools.pairwise(bounds.tolist())]
    figures = {
        "protocol": (
            f"{RERANK_FOLDS}-fold out-of-fold best-8 lists (rankers and tagger) of the gated "
            "training texts with a subject; reranker winner judged by "
            f"{_FOLDS}-fold cross-validation over those texts"
        ),
        "texts": len(names),
        "candidates": len(gold),
        "rankers_best": round(float(gold[first].mean()), 4) if len(names) else 0.0,
        "reranked": round(float(gold[won].mean()), 4) if len(names) else 0.0,
    }
    return reranker, figures


def _compact(model: LinearModel) -> LinearModel:
    return LinearModel(model.weights.astype(np.float32), model.bias)


__all__ = [
    "RERANK_FOLDS",
    "fit_news_tagger",
    "fit_subject_reranker",
    "out_of_fold_lists",
    "train_subject_rankers",
]
