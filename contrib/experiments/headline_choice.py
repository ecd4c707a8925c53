"""Round-8 research code (not shipped): a learned choice among a glued text's best candidates.

Judged in ``headline_inner.py`` against round 7's runner-up rule and not kept (see
text_models.md, "Round 8"); the wiring into ``NewsEventModel`` (best 4 candidates kept by
``choose_subjects``, weights in the artefact, exact skip of readings that cannot win) is
commit c36739f on branch ``h/text9``. The design as it would ship:


Glued stock texts are several stock headlines in one string (``A(600001)…B(000002)…``) and
carry one label: one event and the company of **one** headline. The subject rankers see
trigger words near a candidate; the event model reads the candidate's whole headline (its
segment, up to the next stock code). For a text with a stock code, each of its best
:data:`TOP` candidates is read by the event model and a conditional logit over the
candidates combines the two views:

    utility(candidate) = w · x(candidate),   chosen = argmax over the text's candidates,

with ``x`` = the rankers' view (rank, score gap to the winner), the event reading (log
probability of the best event other than 其他, P(其他), which label that event is) and the
headline's shape (position, own stock code, length, trigger words). The weights are fitted
out of fold on the training part (``contrib/experiments/headline_inner.py``: out-of-fold
rankers and event models, so the weights do not over-trust either) and shipped as a small
vector. The chosen candidate's reading gives the event, so subject and event are decided
together.

Every reading-dependent feature is bounded (:data:`BOUNDS`), so the highest utility a
candidate could reach *before* it is read is known: a candidate whose bound is below the
winner's utility cannot be chosen and is not read (exact; see :func:`upper_bound`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize

from smokewatch.text.models import ranking
from smokewatch.text.models.encoding import Batch

TOP = 4
"""Candidates per text the chooser considers (the rankers' best, the winner first)."""
STRENGTH_FLOOR = -12.0
"""Log-probabilities below this are clipped (keeps every feature bounded)."""
GAP_FLOOR = -20.0

FEATURES: tuple[str, ...] = (
    "rank_2",
    "rank_3",
    "rank_4",
    "ranker_gap",
    "strength",
    "p_none",
    "segment_index",
    "first_segment",
    "last_segment",
    "own_code",
    "segment_length_log",
    "segment_triggers",
    "name_length",
)
"""Features independent of the label set; one ``label=<name>`` feature per label follows."""
READING = ("strength", "p_none")
"""Features that need the event model's reading of the candidate (plus the label one-hots)."""
BOUNDS = {"strength": (STRENGTH_FLOOR, 0.0), "p_none": (0.0, 1.0)}


def feature_names(labels: Sequence[str]) -> list[str]:
    """All feature names for an event model with ``labels``."""
    return [*FEATURES, *(f"label={name}" for name in labels)]


def shape_features(
    batch: Batch,
    start: np.ndarray,
    end: np.ndarray,
    gap: np.ndarray,
    *,
    hits: tuple[np.ndarray, np.ndarray],
    codes: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(texts, TOP, len(FEATURES))`` features that need no reading, and the valid mask.

    ``start``/``end`` ``(texts, TOP)`` are positions in ``batch.joined`` (``-1``: no
    candidate); ``gap`` is each candidate's second-ranker score minus the winner's.
    """
    n, k = start.shape
    x = np.zeros((n, k, len(FEATURES)))
    valid = start >= 0
    if not valid.any():
        return x, valid
    r, j = np.nonzero(valid)
    s, e = start[r, j], end[r, j]
    lo, hi = batch.starts[r], batch.ends[r]
    f = {name: i for i, name in enumerate(FEATURES)}
    for rank in range(1, k):
        x[r[j == rank], rank, f[f"rank_{rank + 1}"]] = 1.0
    x[r, j, f["ranker_gap"]] = np.clip(gap[r, j], GAP_FLOOR, 0.0) / 10.0
    code_start, code_end = codes[:, 0], codes[:, 1]
    before = np.searchsorted(code_end, s, side="right")
    first_in_doc = np.searchsorted(code_start, lo, side="left")
    in_doc = np.searchsorted(code_start, hi, side="left") - first_in_doc
    index = before - first_in_doc
    x[r, j, f["segment_index"]] = np.minimum(index, 3) / 3.0
    x[r, j, f["first_segment"]] = index == 0
    later = first_in_doc + in_doc - np.searchsorted(code_start, e + 2, side="left")
    x[r, j, f["last_segment"]] = later <= 0  # no other stock code after the candidate
    nxt = np.minimum(np.searchsorted(code_start, e, side="left"), max(len(code_start) - 1, 0))
    if len(code_start):
        x[r, j, f["own_code"]] = (code_start[nxt] >= e) & (code_start[nxt] <= e + 1)
    seg_lo, seg_hi = ranking.segments(codes, s, e, lo, hi)
    x[r, j, f["segment_length_log"]] = np.log1p(seg_hi - seg_lo) / 4.0
    positions = hits[0]
    triggers = np.searchsorted(positions, seg_hi) - np.searchsorted(positions, seg_lo)
    x[r, j, f["segment_triggers"]] = np.minimum(triggers, 4) / 4.0
    x[r, j, f["name_length"]] = np.minimum(e - s, 10) / 10.0
    return x, valid


def reading_features(raw: np.ndarray, none: int) -> np.ndarray:
    """``(..., 2 + labels)``: strength, P(其他) and the best non-其他 label's one-hot.

    ``raw`` ``(..., labels)`` are raw event scores (no offsets) of a candidate's reading.
    """
    z = raw - raw.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    n_labels = raw.shape[-1]
    others = log_p.copy()
    if 0 <= none < n_labels:
        others[..., none] = -np.inf
    best = others.argmax(axis=-1)
    out = np.zeros((*raw.shape[:-1], 2 + n_labels))
    out[..., 0] = np.maximum(
        np.take_along_axis(others, best[..., None], -1)[..., 0], STRENGTH_FLOOR
    )
    out[..., 1] = np.exp(log_p[..., none]) if 0 <= none < n_labels else 0.0
    np.put_along_axis(out[..., 2:], best[..., None], 1.0, axis=-1)
    return out


def combine(shape_x: np.ndarray, raw: np.ndarray, valid: np.ndarray, none: int) -> np.ndarray:
    """All features: :func:`shape_features` with the readings ``raw`` ``(texts, TOP, labels)``.

    ``raw`` are the raw event scores (no offsets) of reading each candidate.
    """
    read = reading_features(raw, none)
    x = np.concatenate([shape_x, read[..., 2:]], axis=-1)
    f = {name: i for i, name in enumerate(FEATURES)}
    x[..., f["strength"]] = read[..., 0] / 10.0
    x[..., f["p_none"]] = read[..., 1]
    x[~valid] = 0.0
    return x


def features(
    batch: Batch,
    start: np.ndarray,
    end: np.ndarray,
    gap: np.ndarray,
    raw: np.ndarray,
    *,
    hits: tuple[np.ndarray, np.ndarray],
    codes: np.ndarray,
    none: int,
) -> tuple[np.ndarray, np.ndarray]:
    """All features ``(texts, TOP, len(feature_names(labels)))`` and the valid mask."""
    shape_x, valid = shape_features(batch, start, end, gap, hits=hits, codes=codes)
    return combine(shape_x, raw, valid, none), valid


def rule_weights(n_labels: int, weight: float = 5.0) -> np.ndarray:
    """Round 7's hand rule as chooser weights (for attribution and comparison).

    "Runner-up when ``weight · (strength(runner) − strength(winner))`` > ranker margin" is
    ``utility = weight · strength + gap`` over the best two (ranks 3–4 never win).
    """
    w = np.zeros(len(FEATURES) + n_labels)
    f = {name: i for i, name in enumerate(FEATURES)}
    w[f["strength"]] = 10.0 * weight
    w[f["ranker_gap"]] = 10.0
    w[f["rank_3"]] = w[f["rank_4"]] = -1e3
    return w


def utilities(x: np.ndarray, valid: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``w · x`` per candidate (``-inf`` where there is no candidate)."""
    u: np.ndarray = np.where(valid, x @ weights, -np.inf)
    return u


def choose(x: np.ndarray, valid: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The chosen candidate (column) of every text."""
    chosen: np.ndarray = utilities(x, valid, weights).argmax(axis=1)
    return chosen


def upper_bound(shape_x: np.ndarray, weights: np.ndarray, n_labels: int) -> np.ndarray:
    """The highest utility a candidate can reach, whatever the event model reads.

    ``shape_x`` ``(..., len(FEATURES))`` has the reading features at any value (ignored).
    """
    f = {name: i for i, name in enumerate(FEATURES)}
    fixed = shape_x.copy()
    best = 0.0
    for name in READING:
        lo, hi = BOUNDS[name]
        if name == "strength":
            lo, hi = lo / 10.0, hi / 10.0
        fixed[..., f[name]] = 0.0
        w = float(weights[f[name]])
        best += max(w * lo, w * hi)
    label_w = weights[len(FEATURES) : len(FEATURES) + n_labels]
    best += float(label_w.max()) if len(label_w) else 0.0
    bound: np.ndarray = fixed @ weights[: len(FEATURES)] + best
    return bound


def fit_choice(
    x: np.ndarray, valid: np.ndarray, gold: np.ndarray, *, l2: float = 1.0
) -> np.ndarray:
    """Conditional-logit weights: maximise log P(gold candidate) − l2/2 · |w|².

    Texts whose gold is not among their candidates (``gold < 0``) are left out.
    """
    keep = gold >= 0
    x, valid, gold = x[keep], valid[keep], gold[keep]
    n = len(gold)
    rows = np.arange(n)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        u = np.where(valid, x @ w, -np.inf)
        top = u.max(axis=1, keepdims=True)
        e = np.exp(u - top)
        z = e.sum(axis=1, keepdims=True)
        p = e / z
        nll = float(-(u[rows, gold] - top[:, 0] - np.log(z[:, 0])).sum())
        grad = -(x[rows, gold] - np.einsum("nk,nkf->nf", p, x)).sum(axis=0)
        return nll + 0.5 * l2 * float(w @ w), grad + l2 * w

    result = minimize(loss, np.zeros(x.shape[-1]), jac=True, method="L-BFGS-B")
    weights: np.ndarray = result.x
    return weights


__all__ = [
    "BOUNDS",
    "FEATURES",
    "TOP",
    "choose",
    "combine",
    "feature_names",
    "features",
    "fit_choice",
    "reading_features",
    "rule_weights",
    "shape_features",
    "upper_bound",
    "utilities",
]
