"""Choosing the subject of a news text: two linear rankers over candidate spans, batched.

1. every candidate (:mod:`~smokewatch.text.models.subjects`) is scored by a cheap ranker
   (anchors, boundaries, word cohesion across its edges, frequency, gazetteer);
2. the best :data:`TOP_CANDIDATES` of each text are re-scored by a richer ranker that also
   reads the words around each candidate (what follows 钱妈妈 decides whether 钱妈妈 is the
   subject) and the trigger words of the candidate's own *segment*: the text up to the next
   stock code, where a glued stock headline ends (``吉峰农机(300022)亏损额大幅偏离预测值
   内幕交易疑云再现新大新材(300080)…``: 内幕交易 belongs to 吉峰农机, not to 新大新材);
3. the winner's boundaries are repaired (:mod:`~smokewatch.text.models.repair`: a function
   word in front is stripped, a form without its trade name is extended).

Both rankers use hashed columns (``2 ** RANK_BITS``) and are scored with a gather and a
``bincount``; the second ranker's largest contributions are the subject's reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from smokewatch.text.models import repair, rerank, subjects, wordclass
from smokewatch.text.models import tagger as tagging
from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.encoding import (
    Batch,
    count_matrix,
    expand_ranges,
    key_of,
    range_ngrams,
    top_contributions,
)
from smokewatch.text.models.features import Triggers, normalise
from smokewatch.text.models.gazetteer import Gazetteer
from smokewatch.text.models.linear import LinearModel
from smokewatch.text.models.subjects import Candidates

TOP_CANDIDATES = 8
RICH_RIGHT, RICH_LEFT, RICH_TRIGGER_RIGHT, RICH_TRIGGER_LEFT = 16, 8, 20, 12
SEGMENT_RIGHT, SEGMENT_LEFT = 48, 16
"""Reach of a candidate's segment (cut earlier at the next / previous stock code)."""
RANK_BITS = 18
"""Ranker features are hashed into ``2 ** RANK_BITS`` columns."""

# feature kinds of the second ranker (subjects.py has 20..38 and 60..63, news.py 1..12,
# wordclass.py 90..93)
K_RIGHT = {1: 40, 2: 41}
K_LEFT2, K_SPAN1, K_SPAN2, K_TRIG_RIGHT, K_TRIG_LEFT, K_RANK1 = range(42, 48)
K_SEG_RIGHT, K_SEG_LEFT, K_SEG_LABEL = 48, 49, 50

SPEC = {
    "top": TOP_CANDIDATES,
    "right": RICH_RIGHT,
    "left": RICH_LEFT,
    "trigger_reach": [RICH_TRIGGER_RIGHT, RICH_TRIGGER_LEFT],
    "segment": [SEGMENT_RIGHT, SEGMENT_LEFT, "cut at stock codes; trigger words and labels"],
    "hash_bits": RANK_BITS,
    "repair": repair.SPEC,
    "word_classes": wordclass.SPEC,
    "rerank": rerank.SPEC,
}
_MIX = np.uint64(0x9E3779B97F4A7C15)


def hashed_columns(keys: np.ndarray) -> np.ndarray:
    """Ranker column of every feature key (multiplicative hashing into ``2 ** RANK_BITS``)."""
    return ((keys.astype(np.uint64) * _MIX) >> np.uint64(64 - RANK_BITS)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Subjects:
    """The chosen subject of every text of a batch (``start == -1``: none)."""

    start: np.ndarray
    end: np.ndarray
    score: np.ndarray
    reasons: list[list[tuple[int, float]]]
    """Top ``(key, contribution)`` of the second ranker for the chosen candidate."""
    codes: np.ndarray
    """The batch's stock codes (:func:`~smokewatch.text.models.subjects.stock_codes`)."""
    runner_start: np.ndarray
    """The second-best candidate of every text (not repaired; ``-1``: none)."""
    runner_end: np.ndarray
    margin: np.ndarray
    """Second-stage score of the winner minus the runner-up's (``inf`` without a runner-up)."""
    reranked: np.ndarray | None = None
    """Per text: did the news-sentence reranker replace the rich ranker's winner?"""
    rerank_reasons: list[list[tuple[str, float]]] | None = None
    """Per text: the reranker features that moved the pick (named; empty when not moved)."""


@dataclass(frozen=True, slots=True)
class SubjectRankers:
    """The two subject rankers (hashed columns), the gazetteer and the pair cohesion."""

    gazetteer: Gazetteer
    first: LinearModel
    second: LinearModel
    second_keys: np.ndarray
    """A representative feature key of every second-ranker column (for explanations)."""
    cohesion: Cohesion
    trigger_labels: tuple[tuple[int, ...], ...] = ()
    """Lexicon labels (numbers) of every trigger word, for the segment-label features."""
    reranker: rerank.Reranker | None = None
    """The news-sentence reranker (None: the rich ranker's winner stands everywhere)."""


def trigger_labels(triggers: Triggers) -> tuple[tuple[int, ...], ...]:
    """The lexicon labels (numbers, in lexicon order) of every trigger word."""
    labels = list(triggers.lexicon)
    by_word: dict[str, list[int]] = {w: [] for w in triggers.words}
    for number, label in enumerate(labels):
        for word in triggers.lexicon[label]:
            by_word.setdefault(normalise(word), []).append(number)
    return tuple(tuple(sorted(set(by_word[w]))) for w in triggers.words)


def first_stage(
    batch: Batch,
    found: Candidates,
    hits: tuple[np.ndarray, np.ndarray],
    cohesion: Cohesion | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(candidate number, key)`` of the cheap ranker's features."""
    return subjects.candidate_keys(batch, found, hits, cohesion=cohesion)


def top_per_text(doc: np.ndarray, scores: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the ``top`` best rows of every text (best first) and their ranks.

    ``doc`` must be sorted (rows grouped by text), as candidates are.
    """
    if not len(doc):
        return doc[:0], doc[:0]
    bounded = np.clip(scores, -1e6, 1e6)
    order = np.argsort(doc * 4e6 - bounded, kind="stable")
    counts = np.bincount(doc, minlength=int(doc[-1]) + 1)
    rank = np.arange(len(order)) - np.repeat(np.cumsum(counts) - counts, counts)
    keep = rank < top
    return order[keep], rank[keep]


def ranker_scores(model: LinearModel, rows: np.ndarray, keys: np.ndarray, n: int) -> np.ndarray:
    """Scores of a hashed-column ranker: the sum of the weights of every row's features."""
    weights = model.weights[:, 0]
    return np.bincount(rows, weights[hashed_columns(keys)], minlength=n) + float(model.bias[0])


def segments(
    codes: np.ndarray, start: np.ndarray, end: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``seg_lo`` and ``seg_hi`` of spans ``[start, end)``: their segments of the text.

    At most :data:`SEGMENT_LEFT` / :data:`SEGMENT_RIGHT` characters away, inside ``[lo, hi)``,
    and not past the previous / next stock code (a code starting right at ``end`` is the
    span's own).
    """
    code_start, code_end = codes[:, 0], codes[:, 1]
    seg_hi = np.minimum(end + SEGMENT_RIGHT, hi)
    seg_lo = np.maximum(start - SEGMENT_LEFT, lo)
    if len(code_start):
        nxt = np.searchsorted(code_start, end, side="right")
        has = nxt < len(code_start)
        seg_hi = np.where(
            has, np.minimum(seg_hi, code_start[np.minimum(nxt, len(code_start) - 1)]), seg_hi
        )
        prv = np.searchsorted(code_start, start, side="left") - 1
        has = prv >= 0
        seg_lo = np.where(has, np.maximum(seg_lo, code_end[np.maximum(prv, 0)]), seg_lo)
    return np.minimum(seg_lo, start), np.maximum(seg_hi, end)


def _trigger_rows(
    hits: tuple[np.ndarray, np.ndarray], lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(range number, trigger word)`` of the trigger words starting inside ``[lo, hi)``."""
    positions, words = hits
    which, at = expand_ranges(np.searchsorted(positions, lo), np.searchsorted(positions, hi))
    return which, words[at]


def second_stage(
    batch: Batch,
    found: Candidates,
    hits: tuple[np.ndarray, np.ndarray],
    *,
    chosen: np.ndarray,
    ranks: np.ndarray,
    first_rows: np.ndarray,
    first_keys: np.ndarray,
    trigger_labels: tuple[tuple[int, ...], ...] = (),
    word_classes: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(row, key)`` of the rich ranker's features for the candidates ``chosen`` (rows).

    ``word_classes``: the chosen spans' word-class numbers, when the caller keeps them.
    """
    ids = batch.ids
    doc = found.doc[chosen]
    start, end = found.start[chosen], found.end[chosen]
    doc_start, doc_end = batch.starts[doc], batch.ends[doc]
    rows: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    right_hi = np.minimum(end + RICH_RIGHT, doc_end)
    for order, kind in K_RIGHT.items():
        r, k = range_ngrams(ids, end, right_hi, order, kind)
        rows.append(r)
        keys.append(k)
    for lo, hi, order, kind in (
        (np.maximum(start - RICH_LEFT, doc_start), start, 2, K_LEFT2),
        (start, end, 1, K_SPAN1),
        (start, end, 2, K_SPAN2),
    ):
        r, k = range_ngrams(ids, lo, hi, order, kind)
        rows.append(r)
        keys.append(k)
    for lo, hi, kind in (
        (end, np.minimum(end + RICH_TRIGGER_RIGHT, doc_end), K_TRIG_RIGHT),
        (np.maximum(start - RICH_TRIGGER_LEFT, doc_start), start, K_TRIG_LEFT),
    ):
        which, words = _trigger_rows(hits, lo, hi)
        rows.append(which)
        keys.append(key_of(kind, words))
    seg_lo, seg_hi = segments(found.codes, start, end, doc_start, doc_end)
    which, words = _trigger_rows(hits, end, seg_hi)
    rows.append(which)
    keys.append(key_of(K_SEG_RIGHT, words))
    if trigger_labels:
        counts = np.asarray([len(t) for t in trigger_labels], dtype=np.int64)[words]
        flat = np.asarray([n for t in trigger_labels for n in t], dtype=np.int64)
        firsts = np.cumsum([0, *[len(t) for t in trigger_labels]])[:-1]
        k, at = expand_ranges(firsts[words], firsts[words] + counts)
        rows.append(which[k])
        keys.append(key_of(K_SEG_LABEL, flat[at]))
    which, words = _trigger_rows(hits, seg_lo, start)
    rows.append(which)
    keys.append(key_of(K_SEG_LEFT, words))
    n = len(chosen)
    rows.append(np.arange(n))
    keys.append(key_of(K_RANK1, ranks))
    r, k = subjects.candidate_keys(batch, found, hits, chosen, rich=True)
    rows.append(r)
    keys.append(k)
    r, k = wordclass.word_class_keys(batch, start, end, word_classes)
    rows.append(r)
    keys.append(k)
    # the candidate's first-stage features
    where = np.full(len(found), -1, dtype=np.int64)
    where[chosen] = np.arange(n)
    mine = where[first_rows]
    keep = mine >= 0
    rows.append(mine[keep])
    keys.append(first_keys[keep])
    return np.concatenate(rows), np.concatenate(keys)


@dataclass(frozen=True, slots=True)
class BestLists:
    """The best :data:`TOP_CANDIDATES` candidates of every text and both rankers' scores."""

    found: Candidates
    first: np.ndarray
    """First-stage score of every candidate of ``found``."""
    chosen: np.ndarray
    """Candidate numbers of the best rows (grouped by text, best first-stage first)."""
    ranks: np.ndarray
    """First-stage rank of every chosen row."""
    scores: np.ndarray
    """Second-stage score of every chosen row."""
    rows: np.ndarray
    keys: np.ndarray
    """``(chosen row, key)`` of the second-stage features (for explanations)."""
    classes: tuple[np.ndarray, np.ndarray, np.ndarray]
    """Word-class numbers of every chosen row (the rich ranker's; the reranker reuses them)."""

    def lists(self, docs: np.ndarray) -> rerank.Lists:
        """The rows of texts ``docs`` (a bool mask per text), best second-stage score first."""
        doc = self.found.doc[self.chosen]
        keep = np.flatnonzero(docs[doc])
        order = keep[np.lexsort((-self.scores[keep], doc[keep]))]
        d = doc[order]
        rank = np.arange(len(order)) - np.searchsorted(d, d)
        c = self.chosen[order]
        return rerank.Lists(
            doc=d,
            rank=rank,
            start=self.found.start[c],
            end=self.found.end[c],
            second=self.scores[order],
            first=self.first[c],
            sources=self.found.sources[c].astype(np.int64),
            row=order,
            classes=(self.classes[0][order], self.classes[1][order], self.classes[2][order]),
        )


def best_lists(
    batch: Batch, rankers: SubjectRankers, hits: tuple[np.ndarray, np.ndarray]
) -> BestLists:
    """Candidates of a batch, the best few of every text and both rankers' scores."""
    found = subjects.batch_candidates(batch, rankers.gazetteer)
    rows1, keys1 = first_stage(batch, found, hits, rankers.cohesion)
    first = ranker_scores(rankers.first, rows1, keys1, len(found))
    chosen, ranks = top_per_text(found.doc, first, TOP_CANDIDATES)
    classes = wordclass.word_class_numbers(batch, found.start[chosen], found.end[chosen])
    rows2, keys2 = second_stage(
        batch,
        found,
        hits,
        chosen=chosen,
        ranks=ranks,
        first_rows=rows1,
        first_keys=keys1,
        trigger_labels=rankers.trigger_labels,
        word_classes=classes,
    )
    scores = ranker_scores(rankers.second, rows2, keys2, len(chosen))
    return BestLists(found, first, chosen, ranks, scores, rows2, keys2, classes)


def _reranked(
    batch: Batch, rankers: SubjectRankers, lists: BestLists, best: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[list[tuple[str, float]]]]:
    """``best`` with the reranker's winners in the gated texts, which moved, and why."""
    n_docs = len(batch.texts)
    moved = np.zeros(n_docs, dtype=bool)
    why: list[list[tuple[str, float]]] = [[] for _ in range(n_docs)]
    if rankers.reranker is None or not len(best):
        return best, moved, why
    gate = rerank.gated(batch, lists.found.codes)
    # the presence step reads every gap of the gated texts: their keys are made once, here
    tagging.hashed_columns(batch, tagging.text_gaps(batch, np.flatnonzero(gate)))
    listed = lists.lists(gate)
    if not len(listed.doc):
        return best, moved, why
    won, reasons = rankers.reranker.choose(batch, listed)
    docs = listed.doc[won]
    slot = np.full(n_docs, -1, dtype=np.int64)
    doc = lists.found.doc[lists.chosen]
    slot[doc[best]] = np.arange(len(best))
    best = best.copy()
    best[slot[docs]] = listed.row[won]
    for d, r in zip(docs.tolist(), reasons, strict=True):
        moved[d] = bool(r)
        why[d] = r
    return best, moved, why


def choose_subjects(
    batch: Batch, rankers: SubjectRankers, hits: tuple[np.ndarray, np.ndarray]
) -> Subjects:
    """The best candidate subject of every text of a batch, its probability and reasons.

    The rich ranker's winner, or in news sentences the reranker's
    (:mod:`~smokewatch.text.models.rerank`), with its boundaries repaired.
    """
    n_docs = len(batch.texts)
    lists = best_lists(batch, rankers, hits)
    found, chosen, scores, rows2, keys2 = (
        lists.found,
        lists.chosen,
        lists.scores,
        lists.rows,
        lists.keys,
    )
    start = np.full(n_docs, -1, dtype=np.int64)
    end = np.full(n_docs, -1, dtype=np.int64)
    score = np.zeros(n_docs)
    reasons: list[list[tuple[int, float]]] = [[] for _ in range(n_docs)]
    runner_start = np.full(n_docs, -1, dtype=np.int64)
    runner_end = np.full(n_docs, -1, dtype=np.int64)
    margin = np.full(n_docs, np.inf)
    if not len(found):
        return Subjects(start, end, score, reasons, found.codes, runner_start, runner_end, margin)
    doc = found.doc[chosen]
    best, _ = top_per_text(doc, scores, 1)
    top = np.full(n_docs, -np.inf)
    np.maximum.at(top, doc, scores)
    z = np.bincount(doc, np.exp(scores - top[doc]), minlength=n_docs)
    two, rank = top_per_text(doc, scores, 2)
    second = two[rank == 1]
    runners = doc[second]
    runner_start[runners] = found.start[chosen[second]]
    runner_end[runners] = found.end[chosen[second]]
    margin[runners] = top[runners] - scores[second]
    best, moved, why = _reranked(batch, rankers, lists, best)
    winners = doc[best]
    start[winners] = found.start[chosen[best]]
    end[winners] = found.end[chosen[best]]
    score[winners] = np.exp(scores[best] - top[winners]) / z[winners]
    start, end = repair.repair_spans(
        batch, start, end, (found.doc, found.start, found.end), rankers.cohesion
    )
    # explanations: the winners' features only
    where = np.full(len(chosen), -1, dtype=np.int64)
    where[best] = np.arange(len(best))
    mine = where[rows2] >= 0
    columns = hashed_columns(keys2[mine])
    matrix = count_matrix(where[rows2[mine]], columns, (len(best), 1 << RANK_BITS))
    explained = top_contributions(
        matrix, rankers.second.weights, np.zeros(len(best), dtype=np.int64), top=3
    )
    for d, contributions in zip(winners.tolist(), explained, strict=True):
        reasons[d] = [(int(rankers.second_keys[c]), w) for c, w in contributions]
    return Subjects(
        start, end, score, reasons, found.codes, runner_start, runner_end, margin, moved, why
    )


__all__ = [
    "RANK_BITS",
    "SPEC",
    "TOP_CANDIDATES",
    "BestLists",
    "SubjectRankers",
    "Subjects",
    "best_lists",
    "choose_subjects",
    "first_stage",
    "hashed_columns",
    "ranker_scores",
    "second_stage",
    "segments",
    "top_per_text",
    "trigger_labels",
]
