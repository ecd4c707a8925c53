"""A third-stage reranker for news sentences: a small named logistic model over the best 8.

The two subject rankers (:mod:`~smokewatch.text.models.ranking`) are fitted on all texts
with a subject, and six in seven of those are glued stock headlines. In a news *sentence*
(one running sentence or paragraph, no stock code) the wrong winners are of other kinds:
a clause opener or a verb from the text head (``虽然后来``, ``没有``), a place, the court or
the newspaper that reports the case, another item of a list. Round 8 and 9 (see
contrib/experiments/text_models.md) measured that a reranker of their own, reading the
rankers' scores and a few named properties of every best-8 candidate, picks the subject of
news sentences better than more keys in the shared ranker.

* **Gate** (:func:`gated`): a text without a stock code that contains a comma or a full stop
  (``，。,``). That is 95 % of the news sentences and 0.6 % of the glued headlines (829
  glued headlines have no stock code, so "no stock code" alone is not enough).
* **Features** (:data:`FEATURES`, 75 named columns): the rankers' scores, the gap to the best
  and the rank; dictionary word classes (:mod:`~smokewatch.text.models.wordclass`, grouped);
  the candidate's sources; an institution ending (court, police, regulator, media); its
  position, order of mention, nesting with other candidates, mentions, list marks, length
  (:data:`BASE_FEATURES`, round 9); and the 9 columns of a character-window subject tagger
  (:mod:`~smokewatch.text.models.tagger`, round 10: +2.9 / +3.6 / +3.5 points on news
  sentences, nested out of fold), which sees *where* in the sentence subjects start and end.
* **Model**: a binary logistic regression, fitted in training on *out-of-fold* best-8 lists
  (rankers and tagger fitted without the text), stored as a named weight table; the
  candidate with the highest score wins, and the rankers' boundary repair runs on that winner.

Its explanation is the features that moved the pick: the largest contributions of the
difference between the new winner and the rankers' winner.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np

from smokewatch.text.models import tagger as tagging
from smokewatch.text.models import wordclass
from smokewatch.text.models.encoding import Batch
from smokewatch.text.models.subjects import SOURCES

GATE_MARKS = ("，", "。", ",")
"""A text is a news sentence when it has no stock code and one of these (after folding)."""
LIST_MARKS = "、和与及"
_LIST_POINTS = np.asarray([ord(c) for c in LIST_MARKS], dtype=np.int64)
_AFTER_POINTS = np.asarray([ord(c) for c in LIST_MARKS + "等"], dtype=np.int64)
INSTITUTION = re.compile(
    r"(法院|检察院|公安局|公安|警方|证监会|证监局|银保监|交易所|日报|新闻|记者|政府|协会|委员会)$"
)
WORD_GROUPS: dict[str, tuple[str, ...]] = {
    "organisation": ("nt",),
    "place": ("ns",),
    "person": ("nr", "nrfg", "nrt"),
    "noun": ("n", "nz", "ng", "vn", "j", "l", "i"),
    "verb": ("v", "vg", "vd"),
    "function": ("c", "p", "d", "r", "u", "y", "e", "f", "ad", "t"),
}
"""jieba's classes grouped for the reranker ("none": not a word; "other": the rest)."""
_GROUPS = ("none", *WORD_GROUPS, "other")
MAX_RANK, MAX_ORDER, MAX_LENGTH, MAX_MENTIONS = 8, 5, 12, 5

BASE_FEATURES: tuple[str, ...] = (
    "second-stage score",
    "first-stage score",
    "gap to the rankers' best",
    *(f"rank {k + 1}" for k in range(MAX_RANK)),
    *(f"{part} word class: {g}" for part in ("whole", "first", "last") for g in _GROUPS),
    *(f"source: {s}" for s in SOURCES),
    "institution ending",
    "position (log)",
    *(f"mention order {k + 1}" for k in range(MAX_ORDER)),
    "inside another candidate",
    "contains another candidate",
    "mentions",
    "list mark before",
    "list mark after",
    *(f"length {k + 1}" for k in range(MAX_LENGTH)),
)
"""The round-9 columns (read from the lists and the text; :func:`base_features`)."""
FEATURES: tuple[str, ...] = (*BASE_FEATURES, *tagging.COLUMNS)
"""The reranker's columns, in order (the artefact stores the names; a mismatch is refused)."""
_COLUMN = {name: i for i, name in enumerate(FEATURES)}
_WC = _COLUMN["whole word class: none"]
_GROUP_OF = np.full(len(wordclass.TAGS) + 2, len(_GROUPS) - 1, dtype=np.int64)
_GROUP_OF[0] = 0
for _g, _tags in enumerate(WORD_GROUPS.values(), start=1):
    for _tag in _tags:
        if _tag in wordclass.TAGS:
            _GROUP_OF[wordclass.TAGS.index(_tag) + 1] = _g

SPEC = {
    "gate": "no stock code and one of " + "".join(GATE_MARKS),
    "features": len(FEATURES),
    "word_groups": {k: list(v) for k, v in WORD_GROUPS.items()},
    "model": "binary logistic regression on out-of-fold best-8 lists (3 ranker folds), C 1",
    "then": "boundary repair of the new winner",
    "tagger": tagging.SPEC,
    "version": 2,
}


def gated(batch: Batch, codes: np.ndarray) -> np.ndarray:
    """Per text: is it a news sentence (no stock code; a comma or a full stop)?"""
    coded = np.zeros(len(batch.texts), dtype=bool)
    if len(codes):
        coded[batch.doc[codes[:, 0]]] = True
    marked = np.fromiter(
        (any(m in t for m in GATE_MARKS) for t in batch.texts), bool, len(batch.texts)
    )
    out: np.ndarray = marked & ~coded
    return out


@dataclass(frozen=True, slots=True)
class Lists:
    """Best-k candidate rows of some texts, grouped by text, best (second stage) first."""

    doc: np.ndarray
    rank: np.ndarray
    start: np.ndarray
    """Batch positions of the candidate spans."""
    end: np.ndarray
    second: np.ndarray
    first: np.ndarray
    sources: np.ndarray
    """Bit set of :data:`~smokewatch.text.models.subjects.SOURCES`."""
    row: np.ndarray
    """Where each row comes from (the caller's numbering, e.g. the rich ranker's rows)."""
    classes: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    """The spans' :func:`~smokewatch.text.models.wordclass.word_class_numbers`, if known."""


def features(batch: Batch, lists: Lists, tagger: tagging.Tagger) -> np.ndarray:
    """The :data:`FEATURES` matrix (one row per candidate of ``lists``)."""
    base = base_features(batch, lists)
    tagged = tagger.columns(batch, lists.doc, lists.start, lists.end)
    return np.hstack([base, tagged])


def base_features(batch: Batch, lists: Lists) -> np.ndarray:
    """The :data:`BASE_FEATURES` matrix (one row per candidate of ``lists``)."""
    n = len(lists.doc)
    x = np.zeros((n, len(BASE_FEATURES)))
    if not n:
        return x
    doc, start, end = lists.doc, lists.start, lists.end
    bounds = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1], True])
    best = np.repeat(lists.second[bounds[:-1]], np.diff(bounds))
    x[:, 0], x[:, 1], x[:, 2] = lists.second, lists.first, best - lists.second
    rows = np.arange(n)
    x[rows, _COLUMN["rank 1"] + np.minimum(lists.rank, MAX_RANK - 1)] = 1
    classes = lists.classes
    if classes is None:
        classes = wordclass.word_class_numbers(batch, start, end)
    for part, numbers in enumerate(classes):
        x[rows, _WC + part * len(_GROUPS) + _GROUP_OF[numbers]] = 1
    for bit in range(len(SOURCES)):
        x[:, _COLUMN["source: " + SOURCES[bit]]] = (lists.sources >> bit) & 1
    doc_start, doc_end = batch.starts[batch.doc[start]], batch.ends[batch.doc[start]]
    x[:, _COLUMN["position (log)"]] = np.log1p(start - doc_start)
    order = np.lexsort((lists.rank, start, doc))
    in_order = np.empty(n, dtype=np.int64)
    in_order[order] = rows - np.repeat(bounds[:-1], np.diff(bounds))
    x[rows, _COLUMN["mention order 1"] + np.minimum(in_order, MAX_ORDER - 1)] = 1
    x[rows, _COLUMN["length 1"] + np.minimum(end - start, MAX_LENGTH) - 1] = 1
    points, marks = batch.points, _LIST_POINTS
    x[:, _COLUMN["list mark before"]] = (start > doc_start) & np.isin(points[start - 1], marks)
    x[:, _COLUMN["list mark after"]] = (end < doc_end) & np.isin(points[end], _AFTER_POINTS)
    # string properties: a plain loop (a few candidates per gated text)
    joined, texts = batch.joined, batch.texts
    spans = [joined[s:e] for s, e in zip(start.tolist(), end.tolist(), strict=True)]
    owners = [texts[d] for d in batch.doc[start].tolist()]
    inside, contains = [], []
    for lo, hi in itertools.pairwise(bounds.tolist()):
        mine = spans[lo:hi]
        for span in mine:
            inside.append(any(o != span and span in o for o in mine))
            contains.append(any(o != span and o in span for o in mine))
    x[:, _COLUMN["inside another candidate"]] = inside
    x[:, _COLUMN["contains another candidate"]] = contains
    x[:, _COLUMN["mentions"]] = [
        min(t.count(s), MAX_MENTIONS) for t, s in zip(owners, spans, strict=True)
    ]
    x[:, _COLUMN["institution ending"]] = [INSTITUTION.search(s) is not None for s in spans]
    return x


@dataclass(frozen=True, slots=True)
class Reranker:
    """The fitted reranker: one weight per :data:`FEATURES` column, a bias and its tagger."""

    weights: np.ndarray
    bias: float
    tagger: tagging.Tagger
    """The tagger whose columns the weights read (fitted on all gated training texts)."""

    def __post_init__(self) -> None:
        if self.weights.shape != (len(FEATURES),):
            raise ValueError(f"the reranker needs {len(FEATURES)} weights")

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Linear scores of feature rows (higher: more likely the subject)."""
        out: np.ndarray = x @ self.weights + self.bias
        return out

    def choose(
        self, batch: Batch, lists: Lists
    ) -> tuple[np.ndarray, list[list[tuple[str, float]]]]:
        """Row of ``lists`` that wins in every listed text, and why it beat the rankers' best.

        Returns, per text of ``lists`` (in order), the winning row and — where the winner is
        not the rankers' best — the three largest contributions of
        ``weights · (x[winner] − x[rankers' best])`` by feature name.
        """
        x = features(batch, lists, self.tagger)
        score = self.scores(x)
        doc = lists.doc
        bounds = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1], True]) if len(doc) else [0]
        winners: list[int] = []
        reasons: list[list[tuple[str, float]]] = []
        for lo, hi in itertools.pairwise(int(b) for b in bounds):
            j = int(lo) + int(np.argmax(score[lo:hi]))
            winners.append(j)
            if j == lo:
                reasons.append([])
                continue
            moved = self.weights * (x[j] - x[lo])
            top = np.argsort(-moved)[:3]
            reasons.append([(FEATURES[k], round(float(moved[k]), 4)) for k in top if moved[k] > 0])
        return np.asarray(winners, dtype=np.int64), reasons


def fit_reranker(
    x: np.ndarray, gold: np.ndarray, tagger: tagging.Tagger, *, c: float = 1.0
) -> Reranker:
    """A reranker fitted on feature rows and whether each candidate is a gold subject.

    ``tagger`` is the one predict will use; the rows' tagger columns come from taggers
    fitted without their texts (as for the rankers' columns).
    """
    from smokewatch.text.models.linear import fit_logistic  # noqa: PLC0415 - training only

    model = fit_logistic(x, gold.astype(np.int64).tolist(), n_classes=2, c=c, max_iter=3000)
    return Reranker(np.asarray(model.weights[:, 0], np.float64), float(model.bias[0]), tagger)


__all__ = [
    "BASE_FEATURES",
    "FEATURES",
    "GATE_MARKS",
    "SPEC",
    "Lists",
    "Reranker",
    "base_features",
    "features",
    "fit_reranker",
    "gated",
]
