"""A character-window subject tagger for news sentences: nine more columns for the reranker.

Round 10 (contrib/experiments/text_models.md) measured that a character-level view of
*where* subjects sit in a news sentence adds +2.9 / +3.6 / +3.5 points (nested out of fold,
seeds 0 / 1 / 2) to the round-9 reranker (:mod:`~smokewatch.text.models.rerank`). The rankers score
whole candidate spans; the tagger scores the *gaps* between characters instead:

* every gap ``g`` of a text (the place before character ``g``; ``g = 0 … len``) gets hashed
  window keys (:func:`gap_columns`): the characters at offsets −3 … +1, the bigrams and
  trigrams over them, the pair of character kinds on both sides, the distance to the text's
  start and end, the class and size of the longest dictionary word starting / ending at it;
* three binary logistic models (:class:`Tagger`, ``C`` 1) over the same columns say whether
  a gold subject **starts** at the gap, **ends** there, or the gap is **inside** one;
* a best-8 candidate ``[s, e)`` reads :data:`COLUMNS` from those log-probabilities
  (:meth:`Tagger.columns`).

Keys are *counted* (a column hit twice by one gap, a hash collision, weighs twice) in fitting
and scoring alike, as :func:`~smokewatch.text.models.encoding.count_matrix` does: the harness
dropped repeats with ``np.unique``, which cost 80 % of its predict time for nothing. Only
the gaps the candidate spans read (their starts, ends and inner gaps) are scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from smokewatch.text.models import wordclass
from smokewatch.text.models.encoding import Batch, count_matrix

BITS = 18
"""Window keys are hashed into ``2 ** BITS`` columns."""
LEFT, RIGHT = 3, 2
"""Window of a gap: characters at offsets −LEFT … RIGHT−1 (gap g sits before character g)."""
C = 1.0
"""Inverse L2 strength of the three logistic models (round 10: C 1)."""
FLOOR = -12.0
"""Log-probabilities are floored here, so one confident gap cannot swamp a span's mean."""
MAX_DISTANCE = 4
"""Distances to the text's start / end are keyed 0 … MAX_DISTANCE (and more)."""
WORD_SIZES = (4, 3, 2)
"""Dictionary words probed at a gap, longest first (the first found is keyed)."""

COLUMNS: tuple[str, ...] = (
    "tagger: start log-prob",
    "tagger: end log-prob",
    "tagger: inside log-prob (mean)",
    "tagger: span log-prob (mean)",
    "tagger: span log-prob (min)",
    "tagger: rank 1",
    "tagger: rank 2",
    "tagger: rank 3+",
    "tagger: gap to the list's best",
)
"""The reranker columns of a candidate span, in order."""

SPEC = {
    "window": [-LEFT, RIGHT - 1],
    "keys": "chars, bigrams, trigrams, kinds pair, distances to the ends (0-4+), "
    "longest dictionary word (4/3/2) starting / ending at the gap, bias; counted",
    "hash_bits": BITS,
    "models": "start / end / inside: binary logistic regression, lbfgs, C 1",
    "fit_on": "gated texts with a subject; gold = every occurrence of the gold strings",
    "floor": FLOOR,
    "columns": list(COLUMNS),
}

_MIX = np.uint64(0x9E3779B97F4A7C15)
_M = [
    np.uint64(m)
    for m in (
        0x9E3779B185EBCA87,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
    )
]
_KEYS_PER_GAP = LEFT + RIGHT + (LEFT + RIGHT - 1) + (LEFT + RIGHT - 2) + 6


def _key(kind: int, *values: np.ndarray) -> np.ndarray:
    """A 64-bit key of one feature kind and its values (the round-10 harness's hashing)."""
    h = np.full(len(values[0]), np.uint64((kind * int(_M[0])) % (1 << 64)), dtype=np.uint64)
    for j, v in enumerate(values):
        h = (h ^ v.astype(np.uint64)) * _M[j + 1]
    return h


def _kind_of(points: np.ndarray) -> np.ndarray:
    """0 outside the text, 1 Han, 2 digit, 3 Latin, 4 CJK punctuation / quote, 5 other."""
    out = np.full(len(points), 5, dtype=np.int64)
    out[(points >= 0x4E00) & (points <= 0x9FFF)] = 1
    out[(points >= 48) & (points <= 57)] = 2
    out[((points >= 65) & (points <= 90)) | ((points >= 97) & (points <= 122))] = 3
    out[(points >= 0x3000) & (points <= 0x303F)] = 4
    out[(points >= 0xFF00) & (points <= 0xFF0F)] = 4
    out[(points >= 0x2018) & (points <= 0x201F)] = 4
    out[points == 0] = 0
    return out


def gap_keys(batch: Batch, gaps: np.ndarray) -> np.ndarray:
    """The window keys of batch gaps ``gaps``: shape ``(keys per gap, len(gaps))``, uint64."""
    doc = batch.doc[gaps]
    lo, hi = batch.starts[doc], batch.ends[doc]
    points = batch.points

    def char(k: int) -> np.ndarray:
        at = gaps + k
        inside = (at >= lo) & (at < hi)
        return np.where(inside, points[np.clip(at, 0, len(points) - 1)], 0)

    chars = {k: char(k) for k in range(-LEFT, RIGHT)}
    keys = [_key(1 + k + LEFT, chars[k]) for k in chars]
    keys += [_key(10 + k + LEFT, chars[k], chars[k + 1]) for k in range(-LEFT, RIGHT - 1)]
    keys += [
        _key(20 + k + LEFT, chars[k], chars[k + 1], chars[k + 2]) for k in range(-LEFT, RIGHT - 2)
    ]
    keys.append(_key(30, _kind_of(chars[-1]) * 8 + _kind_of(chars[0])))
    keys.append(_key(31, np.minimum(gaps - lo, MAX_DISTANCE)))
    keys.append(_key(32, np.minimum(hi - gaps, MAX_DISTANCE)))
    probes = [(forward, n) for forward in (True, False) for n in WORD_SIZES]
    fits, starts, ends = [], [], []
    for forward, n in probes:
        fit = (gaps + n <= hi) if forward else (gaps - n >= lo)
        fits.append(fit)
        starts.append(np.where(fit, gaps if forward else gaps - n, lo))
        ends.append(np.where(fit, gaps + n if forward else gaps, lo + 1))
    # all six dictionary probes in one (sorted) look-up
    found = wordclass.dictionary_classes(batch, np.concatenate(starts), np.concatenate(ends))
    found = found.reshape(len(probes), len(gaps))
    for kind, forward in ((33, True), (34, False)):
        cls = np.zeros(len(gaps), dtype=np.int64)
        size = np.zeros(len(gaps), dtype=np.int64)
        for p, (direction, n) in enumerate(probes):
            if direction != forward:
                continue
            take = fits[p] & (cls == 0) & (found[p] > 0)
            cls = np.where(take, found[p], cls)
            size = np.where(take, n, size)
        keys.append(_key(kind, cls, size))
    keys.append(_key(35, np.zeros(len(gaps), dtype=np.int64)))  # a bias column
    return np.stack(keys)


def _hashed(keys: np.ndarray) -> np.ndarray:
    """The weight rows (``0 … 2 ** BITS − 1``) of window keys."""
    out: np.ndarray = ((keys * _MIX) >> np.uint64(64 - BITS)).astype(np.int64)
    return out


def gap_columns(batch: Batch, gaps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(gap number, hashed column)`` of every window key of ``gaps`` (repeats kept)."""
    keys = gap_keys(batch, gaps)
    rows = np.tile(np.arange(len(gaps), dtype=np.int64), len(keys))
    return rows, _hashed(keys.ravel())


_MEMO = "tagger: hashed gap columns"


def hashed_columns(batch: Batch, gaps: np.ndarray) -> np.ndarray:
    """The hashed window columns of batch gaps ``gaps``: shape ``(keys per gap, len(gaps))``.

    A gap's keys are computed once per batch and kept in its memo (the gaps so far, sorted,
    and their columns): the reranker's tagger reads the gaps of the candidate spans, the
    presence tagger (:mod:`~smokewatch.text.models.presence`) every gap of the same news
    sentences.
    """
    memo: tuple[np.ndarray, np.ndarray] | None = batch.memo.get(_MEMO)
    known, table = memo or (np.zeros(0, np.int64), np.zeros((_KEYS_PER_GAP, 0), np.int64))
    if len(known) == len(gaps) and np.array_equal(known, gaps):
        return table  # the presence step reads exactly the gaps the reranker primed
    at = np.minimum(np.searchsorted(known, gaps), max(len(known) - 1, 0))
    hit = (known[at] == gaps) if len(known) else np.zeros(len(gaps), dtype=bool)
    if not hit.all():
        todo = np.unique(gaps[~hit])
        known = np.concatenate([known, todo])
        table = np.concatenate([table, _hashed(gap_keys(batch, todo))], axis=1)
        order = np.argsort(known, kind="stable")
        known, table = known[order], table[:, order]
        table.flags.writeable = False  # returned as it is when all its gaps are asked
        batch.memo[_MEMO] = (known, table)
        at = np.searchsorted(known, gaps)
    out: np.ndarray = table[:, at]
    return out


def text_gaps(batch: Batch, docs: np.ndarray) -> np.ndarray:
    """Every gap (``starts[d]`` … ``ends[d]`` inclusive) of batch texts ``docs``, in order."""
    lo, hi = batch.starts[docs], batch.ends[docs] + 1
    sizes = hi - lo
    out: np.ndarray = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(
        int(sizes.sum()), dtype=np.int64
    )
    return out


def gold_gaps(
    batch: Batch, gaps: np.ndarray, docs: np.ndarray, golds: Sequence[set[str]]
) -> np.ndarray:
    """Per gap of ``gaps``: [starts a gold occurrence, ends one, inside one] (bool, 3 columns).

    ``golds[k]`` are the gold subjects of batch text ``docs[k]``; every occurrence counts
    (the labels name a string, not a place).
    """
    where = np.full(len(batch.points) + 1, -1, dtype=np.int64)
    where[gaps] = np.arange(len(gaps))
    y = np.zeros((len(gaps), 3), dtype=bool)
    for d, gold in zip(docs.tolist(), golds, strict=True):
        text, base = batch.texts[d], int(batch.starts[d])
        for g in gold:
            if not g:
                continue
            at = text.find(g)
            while at >= 0:
                s, e = base + at, base + at + len(g)
                if where[s] >= 0:
                    y[where[s], 0] = True
                if where[e] >= 0:
                    y[where[e], 1] = True
                inner = where[s + 1 : e]
                y[inner[inner >= 0], 2] = True
                at = text.find(g, at + 1)
    return y


def span_gaps(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The sorted distinct gaps spans ``[start, end)`` read: ``start … end`` inclusive."""
    lengths = end - start + 1
    if not len(start):
        return np.zeros(0, dtype=np.int64)
    firsts = np.cumsum(lengths) - lengths
    values = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(firsts - start, lengths)
    out: np.ndarray = np.unique(values)
    return out


@dataclass(frozen=True, slots=True)
class Tagger:
    """Three logistic models over hashed gap windows: weights ``(2**BITS, 3)`` and a bias (3)."""

    weights: np.ndarray
    """Columns: start, end, inside (float32 in artefacts)."""
    bias: np.ndarray

    def __post_init__(self) -> None:
        if self.weights.shape != (1 << BITS, 3) or np.shape(self.bias) != (3,):
            raise ValueError(f"the tagger needs weights of shape ({1 << BITS}, 3) and 3 biases")

    @classmethod
    def fit(
        cls, batch: Batch, docs: np.ndarray, golds: Sequence[set[str]], *, c: float = C
    ) -> Tagger:
        """A tagger fitted on every gap of batch texts ``docs`` (gold subjects ``golds``)."""
        from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - training only

        gaps = text_gaps(batch, np.asarray(docs, dtype=np.int64))
        y = gold_gaps(batch, gaps, docs, golds)
        rows, columns = gap_columns(batch, gaps)
        x = count_matrix(rows, columns, (len(gaps), 1 << BITS))
        weights = np.zeros((1 << BITS, 3), dtype=np.float32)
        bias = np.zeros(3)
        for j in range(3):
            if y[:, j].all() or not y[:, j].any():  # one class only: a constant model
                bias[j] = 30.0 if y[:, j].all() else -30.0
                continue
            model = LogisticRegression(C=c, max_iter=500, tol=1e-4).fit(x, y[:, j])
            weights[:, j], bias[j] = model.coef_[0], model.intercept_[0]
        return cls(weights, bias)

    def log_probs(self, batch: Batch, gaps: np.ndarray) -> np.ndarray:
        """Log-probabilities of start, end, inside at batch gaps ``gaps`` (one row per gap)."""
        columns = hashed_columns(batch, gaps)
        # one row of keys per key kind: summing the gathered weights over the kinds counts
        # a column hit twice twice (no bincount, no np.unique). Kind by kind into one buffer,
        # in the order a sum over the kinds adds them (the same bits), without the
        # (kinds × gaps × 3) block a single gather would write: three times faster.
        weights = self.weights
        z = np.take(weights, columns[0], axis=0).astype(np.float64)
        gathered = np.empty_like(z, dtype=weights.dtype)
        for kind in columns[1:]:
            np.take(weights, kind, axis=0, out=gathered)
            z += gathered
        z += self.bias
        out: np.ndarray = np.maximum(-np.logaddexp(0.0, -z), FLOOR)  # log sigmoid
        return out

    def columns(
        self, batch: Batch, doc: np.ndarray, start: np.ndarray, end: np.ndarray
    ) -> np.ndarray:
        """The :data:`COLUMNS` of candidate spans ``[start, end)`` grouped by list ``doc``.

        Only the gaps the spans read are scored. Rank and gap to the best compare the spans
        of one list (consecutive rows with the same ``doc``) by their mean log-prob.
        """
        n = len(start)
        x = np.zeros((n, len(COLUMNS)))
        if not n:
            return x
        gaps = span_gaps(start, end)
        lp = self.log_probs(batch, gaps)
        si, ei = np.searchsorted(gaps, start), np.searchsorted(gaps, end)
        return span_columns(lp, si, ei, doc)


def span_columns(lp: np.ndarray, si: np.ndarray, ei: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """:data:`COLUMNS` from gap log-probs ``lp`` and each span's first / last gap row.

    A span's gaps are the consecutive rows ``si … ei`` of ``lp`` (start, inner, end).
    """
    n = len(si)
    inner = ei - si - 1
    cum = np.r_[0.0, np.cumsum(lp[:, 2])]
    inside_sum = cum[ei] - cum[si + 1]
    start, end = lp[si, 0], lp[ei, 1]
    low = np.minimum(start, end)
    has = np.flatnonzero(inner > 0)
    if len(has):  # minimum over each span's inner gaps: reduceat over (first, past) pairs
        bounds = np.stack([si[has] + 1, ei[has]], axis=1).ravel()
        padded = np.r_[lp[:, 2], 0.0]
        low[has] = np.minimum(low[has], np.minimum.reduceat(padded, bounds)[::2])
    mean = (start + end + inside_sum) / (inner + 2)
    x = np.zeros((n, len(COLUMNS)))
    x[:, 0], x[:, 1] = start, end
    x[:, 2] = np.where(inner > 0, inside_sum / np.maximum(inner, 1), 0.0)
    x[:, 3], x[:, 4] = mean, low
    new_list = np.r_[True, doc[1:] != doc[:-1]]
    group = np.cumsum(new_list) - 1
    firsts = np.flatnonzero(new_list)
    order = np.lexsort((-mean, group))  # by list, best mean first (stable: list order on ties)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - firsts[group[order]]
    x[np.arange(n), 5 + np.minimum(rank, 2)] = 1
    x[:, 8] = np.maximum.reduceat(mean, firsts)[group] - mean
    return x


__all__ = [
    "BITS",
    "COLUMNS",
    "SPEC",
    "Tagger",
    "gap_columns",
    "gap_keys",
    "gold_gaps",
    "hashed_columns",
    "span_columns",
    "span_gaps",
    "text_gaps",
]
