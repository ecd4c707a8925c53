"""Does a news sentence name a company subject? The presence step of the event type 其他.

FinESE's 其他 is exactly "a row without a company subject" (round 6 of
``contrib/experiments/text_models.md``): a sentence about fundraising by persons (王某夫妇), a
demonstrative (该平台) or an unnamed set (多家P2P平台) is 其他, the same story about a named
company is not. The event model's character n-grams read the event, not whether a company is
its actor. Round 12 measured that a second :class:`~smokewatch.text.models.tagger.Tagger` —
fitted on the training part's news sentences **with and without** a subject (a sentence
without one gives all-negative gaps) — tells the two apart: the has-subject AUC on the news
sentences rises from 0.90 to 0.93, and the nested out-of-fold group F1 per text by +1.32 /
+1.59 / +1.13 points (fold seeds 0 / 1 / 2).

Prediction, for a batch:

1. the presence tagger scores every gap of the gated texts (news sentences: no stock code, a
   comma or a full stop; :func:`~smokewatch.text.models.rerank.gated`), and each text gets the
   :data:`TAGGER_FEATURES` of its gaps (zeros for the other texts);
2. a logistic stacker over :data:`COLUMNS` (the event model's raw 其他 log-odds, the gate, and
   the tagger features) gives P(no company subject);
3. ``weight · logit(P)`` is added to the 其他 score before the per-class offsets decide (the
   weight and the offsets are tuned together in training, out of fold).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from smokewatch.text.models import tuning
from smokewatch.text.models.encoding import Batch
from smokewatch.text.models.tagger import BITS, Tagger, text_gaps

MAX_SPAN = 30
"""Longest span (characters) the best-span features consider."""
TAGGER_FEATURES: tuple[str, ...] = (
    "presence: best start log-prob",
    "presence: best end log-prob",
    "presence: best inside log-prob",
    "presence: best span, sum of log-probs",
    "presence: best span, mean log-prob",
    "presence: best span, length",
    "presence: gaps with P(start) > 0.5 (log1p)",
    "presence: gaps with P(start) > 0.2 (log1p)",
    "presence: gaps with P(inside) > 0.5 (log1p)",
    "presence: log text length",
)
"""Per-text features of a gated text from its gaps' start / end / inside log-probabilities."""
COLUMNS: tuple[str, ...] = (
    "event: 其他 log-odds (raw)",
    "news sentence",
    "news sentence x 其他 log-odds",
    *TAGGER_FEATURES,
)
"""The stacker's inputs, in order (tagger features are zero outside the news sentences)."""
WEIGHTS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
"""Grid of the shift's weight; training picks the best by the tuned out-of-fold objective."""
STACKER_FOLDS = 5
STACKER_C = 1.0
_CLIP = 1e-6
_CONSTANT = 10.0
"""Log-odds of a stacker fitted on one class only."""

SPEC: dict[str, Any] = {
    "tagger": "tagger keys; fitted on gated training texts with and without a subject",
    "features": list(COLUMNS),
    "max_span": MAX_SPAN,
    "stacker": f"logistic regression on standardised columns, C {STACKER_C}",
    "shift": "其他 score += weight * logit(P(no subject)), before the offsets",
    "weights": list(WEIGHTS),
}


def tagger_features(lp: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """:data:`TAGGER_FEATURES` of texts whose gaps' log-probs are consecutive rows of ``lp``.

    ``sizes[k]`` is the number of gaps of text ``k`` (its length + 1, at least 1); ``lp`` has
    columns start, end, inside. A span ``[g, g + n)`` reads its start at gap ``g``, its end at
    gap ``g + n`` and the inside of the gaps between.
    """
    n = len(lp)
    x = np.zeros((len(sizes), len(TAGGER_FEATURES)))
    if not len(sizes):
        return x
    firsts = np.cumsum(sizes) - sizes
    pos = np.arange(n) - np.repeat(firsts, sizes)
    room = np.repeat(sizes, sizes) - 1 - pos  # gaps after this one in its text
    cum = np.r_[0.0, np.cumsum(lp[:, 2])]
    # every span of every gap at once: row g, column length - 1 (invalid spans read gap 0)
    lengths = np.arange(1, MAX_SPAN + 1)
    valid = room[:, None] >= lengths
    last = np.where(valid, np.arange(n)[:, None] + lengths, 0)
    total = lp[:, :1] + lp[last, 1] + cum[last] - cum[1:, None]
    mean = np.where(valid, total / (lengths + 1), -np.inf)
    best_sum = np.where(valid, total, -np.inf).max(axis=1)
    best_mean = mean.max(axis=1)
    # the shortest span of the best mean (a text's last gap starts no span: length 0)
    best_len = np.where(valid[:, 0], np.argmax(mean, axis=1) + 1, 0).astype(np.float64)
    # a text of no characters has no span: its span features stay at the floor
    floor = 3 * float(lp.min()) if n else 0.0
    best_sum = np.where(np.isfinite(best_sum), best_sum, floor)
    best_mean = np.where(np.isfinite(best_mean), best_mean, floor)
    top = np.maximum.reduceat(best_mean, firsts)
    at_best = best_mean == np.repeat(top, sizes)
    x[:, 0] = np.maximum.reduceat(lp[:, 0], firsts)
    x[:, 1] = np.maximum.reduceat(lp[:, 1], firsts)
    x[:, 2] = np.maximum.reduceat(lp[:, 2], firsts)
    x[:, 3] = np.maximum.reduceat(best_sum, firsts)
    x[:, 4] = top
    x[:, 5] = np.maximum.reduceat(np.where(at_best, best_len, 0.0), firsts)
    x[:, 6] = np.add.reduceat((lp[:, 0] > np.log(0.5)).astype(float), firsts)
    x[:, 7] = np.add.reduceat((lp[:, 0] > np.log(0.2)).astype(float), firsts)
    x[:, 8] = np.add.reduceat((lp[:, 2] > np.log(0.5)).astype(float), firsts)
    x[:, 9] = np.log(sizes)
    x[:, 6:9] = np.log1p(x[:, 6:9])
    return x


def other_log_odds(raw: np.ndarray, none: int) -> np.ndarray:
    """The event model's log-odds of 其他 (column ``none``) from its raw scores."""
    z = raw - raw.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    p = np.exp(log_p[:, none])
    out: np.ndarray = log_p[:, none] - np.log1p(-np.minimum(p, 1 - 1e-9))
    return out


def logit(p: np.ndarray) -> np.ndarray:
    """``log(p / (1 − p))``, with ``p`` clipped away from 0 and 1."""
    q = np.clip(p, _CLIP, 1 - _CLIP)
    out: np.ndarray = np.log(q) - np.log1p(-q)
    return out


def columns(
    tagger: Tagger, batch: Batch, gate: np.ndarray, raw: np.ndarray, none: int
) -> np.ndarray:
    """The stacker's :data:`COLUMNS` for every batch text (tagger read on the gated ones)."""
    n = len(batch.texts)
    log_odds = other_log_odds(raw, none)
    flag = gate.astype(np.float64)
    feats = np.zeros((n, len(TAGGER_FEATURES)))
    docs = np.flatnonzero(gate)
    if len(docs):
        lp = tagger.log_probs(batch, text_gaps(batch, docs))
        feats[docs] = tagger_features(lp, (batch.ends - batch.starts + 1)[docs])
    return np.column_stack([log_odds, flag, flag * log_odds, feats])


@dataclass(frozen=True, slots=True)
class Presence:
    """The presence tagger, the stacker (on raw columns) and the shift's weight."""

    tagger: Tagger
    coef: np.ndarray
    """Stacker weights over :data:`COLUMNS` (standardisation folded in)."""
    intercept: float
    weight: float

    def __post_init__(self) -> None:
        if np.shape(self.coef) != (len(COLUMNS),):
            raise ValueError(f"the presence stacker needs {len(COLUMNS)} weights")

    @classmethod
    def off(cls) -> Presence:
        """A step that shifts nothing (training data without the label 其他)."""
        tagger = Tagger(np.zeros((1 << BITS, 3), dtype=np.float32), np.zeros(3))
        return cls(tagger, np.zeros(len(COLUMNS)), 0.0, 0.0)

    def no_subject(self, x: np.ndarray) -> np.ndarray:
        """P(no company subject) of stacker rows ``x``."""
        out: np.ndarray = 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))
        return out

    def shift(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(P(no subject), the amount added to the 其他 score)`` of stacker rows ``x``."""
        p = self.no_subject(x)
        return p, self.weight * logit(p)


def fit_stacker(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic weights on standardised columns, returned for the raw columns."""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - training only

    if len(np.unique(y)) < 2:  # one class only: a constant probability, no weights
        return np.zeros(x.shape[1]), _CONSTANT if len(y) and y[0] else -_CONSTANT
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    model = LogisticRegression(C=STACKER_C, max_iter=3000).fit((x - mean) / scale, y)
    coef = model.coef_[0] / scale
    return coef, float(model.intercept_[0] - coef @ mean)


@dataclass(frozen=True, slots=True)
class PresenceFit:
    """A fitted presence step, the offsets tuned with it, and the inner figures per weight."""

    presence: Presence
    offsets: np.ndarray
    objective: dict[float, float]


def fit_presence(
    batch: Batch,
    golds: Sequence[set[str]],
    *,
    gate: np.ndarray,
    oof: Sequence[np.ndarray],
    text_fold: np.ndarray,
    targets: tuning.TextTargets,
    none: int,
    seed: int,
) -> PresenceFit:
    """Fit the presence step on distinct training texts ``batch`` (gold subjects ``golds``).

    ``oof`` are the event model's raw out-of-fold text scores of several fold assignments,
    ``text_fold`` one assignment of the texts to :data:`tuning.FOLDS` folds. The tagger
    features the stacker learns from are out of fold (a tagger of the other folds' gated
    texts reads each held-out text); the stacker's probabilities that choose the weight are
    out of fold too (:data:`STACKER_FOLDS` folds over the texts, all repeats of a text in one).
    """
    n = len(batch.texts)
    none_y = np.asarray([not g for g in golds], dtype=np.int64)
    feats = np.zeros((n, len(TAGGER_FEATURES)))
    sizes = batch.ends - batch.starts + 1
    for f in range(tuning.FOLDS):
        fit_docs = np.flatnonzero((text_fold != f) & gate)
        held = np.flatnonzero((text_fold == f) & gate)
        if not len(fit_docs) or not len(held):
            continue
        fold_tagger = Tagger.fit(batch, fit_docs, [golds[d] for d in fit_docs.tolist()])
        lp = fold_tagger.log_probs(batch, text_gaps(batch, held))
        feats[held] = tagger_features(lp, sizes[held])
    flag = gate.astype(np.float64)
    x = np.concatenate(
        [
            np.column_stack([lo, flag, flag * lo, feats])
            for lo in (other_log_odds(s, none) for s in oof)
        ]
    )
    y = np.tile(none_y, len(oof))
    stack_fold = np.tile(np.random.default_rng(seed).permutation(n) % STACKER_FOLDS, len(oof))
    p = np.zeros(len(y))
    for f in range(STACKER_FOLDS):
        coef, intercept = fit_stacker(x[stack_fold != f], y[stack_fold != f])
        p[stack_fold == f] = 1.0 / (1.0 + np.exp(-(x[stack_fold == f] @ coef + intercept)))
    scores, pooled_targets = tuning.pooled(oof, targets)
    tried: list[tuple[float, float, np.ndarray]] = []
    for w in WEIGHTS:
        adjusted = scores.copy()
        adjusted[:, none] += w * logit(p)
        offsets = tuning.tune_offsets(adjusted, pooled_targets)
        value = tuning.text_objective(pooled_targets, np.argmax(adjusted + offsets, axis=1))
        tried.append((value, w, offsets))
    _, weight, offsets = max(tried, key=lambda t: (round(t[0], 9), -t[1]))
    coef, intercept = fit_stacker(x, y)
    gated_docs = np.flatnonzero(gate)
    tagger = Tagger.fit(batch, gated_docs, [golds[d] for d in gated_docs.tolist()])
    return PresenceFit(
        Presence(tagger, coef, intercept, weight),
        offsets,
        {w: round(v, 4) for v, w, _ in tried},
    )


__all__ = [
    "COLUMNS",
    "SPEC",
    "TAGGER_FEATURES",
    "WEIGHTS",
    "Presence",
    "PresenceFit",
    "columns",
    "fit_presence",
    "fit_stacker",
    "logit",
    "other_log_odds",
    "tagger_features",
]
