"""The news / public-opinion event model: event type and subject of a financial news text.

Trained on FinESE (see :mod:`smokewatch.text.models.training`). A prediction runs in three
linear steps over a whole batch at once, with integer feature keys and numpy
(:mod:`~smokewatch.text.models.encoding`):

1. every candidate subject (:mod:`~smokewatch.text.models.subjects`) is scored by a cheap
   ranker, and the best few of each text by a richer one (:mod:`~smokewatch.text.models.ranking`);
2. the event type is classified from the whole text *and* the windows around the chosen
   subject's mentions *and* the subject's own segment (up to the next stock code: in glued
   stock headlines the event of a company is in its own headline), because a text can report
   several events about different subjects and the label belongs to the subject;
3. per-class offsets, tuned by cross-validation inside the training data, are added to the
   event scores (they correct the share of each class the model predicts).

The event of 其他 (nothing reportable) has no subject, as in the data. Every prediction
carries the largest feature contributions of the event model and of the subject ranker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from smokewatch.errors import ConfigError
from smokewatch.ml.artefact import load_artefact
from smokewatch.text.matcher import fold_for_matching
from smokewatch.text.models import presence, ranking, rerank, subjects
from smokewatch.text.models.base import KIND, Reason, TextPrediction
from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.describe import (
    K_SEGMENT,
    K_SUBJECT_END,
    K_TEXT,
    K_TRIGGER,
    K_TRIGGER_NEAR,
    K_TRIGGER_SEGMENT,
    K_WINDOW,
    Describer,
)
from smokewatch.text.models.encoding import (
    CHAR_BITS,
    Alphabet,
    Batch,
    KeyIndex,
    expand_ranges,
    key_of,
    ngram_keys,
    range_ngrams,
    tfidf_matrix,
    top_contributions,
)
from smokewatch.text.models.features import Triggers, spec_hash
from smokewatch.text.models.gazetteer import Gazetteer
from smokewatch.text.models.linear import LinearModel
from smokewatch.text.models.ranking import SubjectRankers, choose_subjects
from smokewatch.text.models.tagger import Tagger

NEWS_TASK = "news-events"
NONE_LABEL = "其他"
"""The FinESE label of texts without a reportable event (and without a subject)."""
TEXT_ORDERS = (1, 2)
WINDOW_LEFT = 10
WINDOW_RIGHT = 20
WINDOW_MENTIONS = 3
HEADLINE_WEIGHT = 5.0
HEADLINE_REASON = "subject: the runner-up's headline reads as the clearer event"
"""How much a clearer event reading outweighs the ranker (see :func:`runner_up_gain`)."""
RERANK_REASON = "subject: news-sentence reranker preferred it to the rankers' best, by "
"""Prefix of the reasons of a subject the reranker chose (:mod:`.rerank`): the feature names."""
PRESENCE_REASON = "其他: no company subject (presence step), P = "
"""Prefix of the reason carrying the presence step's shift of the 其他 score (:mod:`.presence`)."""

SPEC: dict[str, Any] = {
    "task": NEWS_TASK,
    "version": 4,
    "fold": "fold_for_matching + whitespace to space",
    "keys": "kind << 56 | payload; n-grams pack 14-bit alphabet ids",
    "text": {"orders": list(TEXT_ORDERS), "kinds": K_TEXT, "triggers": K_TRIGGER},
    "window": {
        "left": WINDOW_LEFT,
        "right": WINDOW_RIGHT,
        "mentions": WINDOW_MENTIONS,
        "kinds": K_WINDOW,
        "triggers": K_TRIGGER_NEAR,
        "subject_end": K_SUBJECT_END,
    },
    "segment": {"kinds": K_SEGMENT, "triggers": K_TRIGGER_SEGMENT, "mention": "first"},
    "offsets": "per-class score offsets tuned by cross-validation in training",
    "headline": {
        "weight": HEADLINE_WEIGHT,
        "rule": "runner-up if weight x gain in best non-其他 log-prob (raw) > ranker margin",
        "texts": "with a stock code",
    },
    "ranker": ranking.SPEC,
    "subjects": subjects.SPEC,
    "presence": presence.SPEC,
}
FEATURE_NAMES = [
    "c: char n-grams of the text",
    "k: trigger words in the text",
    "w: char n-grams around the subject",
    "kw: trigger words around the subject",
    "g: char n-grams and trigger words of the subject's segment",
    "s: last characters of the subject",
    "rank1: candidate anchors, boundaries, cohesion, frequency, gazetteer",
    "rank2: words around the candidate and in its segment; dictionary word classes",
    "rerank: news sentences' best 8 reranked by named features (scores, word classes, tagger)",
    "presence: P(no company subject) of news sentences shifts the 其他 score",
    f"spec:{spec_hash(SPEC)}",
]
"""Feature groups of this code version; the last entry pins the exact specification."""

_WHITESPACE = {ord(c): " " for c in "\t\n\r\x0b\x0c\u3000\xa0"}


def fold(text: str) -> str:
    """Width-fold and turn every white space into a plain space (length is unchanged)."""
    return fold_for_matching(text).translate(_WHITESPACE)


_FOLD_TABLE: np.ndarray | None = None


def fold_table() -> np.ndarray:
    """:func:`fold` as a code-point table (built on first use)."""
    global _FOLD_TABLE  # noqa: PLW0603 - built once, on first use (nothing happens at import)
    if _FOLD_TABLE is None:
        table = np.arange(0x110000, dtype=np.uint32)
        changing = [*range(0x80), *range(0xFF00, 0xFF70), 0xA0, 0x3000]
        source = "".join(map(chr, changing))
        table[changing] = [ord(c) for c in fold(source)]
        _FOLD_TABLE = table
    return _FOLD_TABLE


def subject_windows(
    batch: Batch, subject: Sequence[str | None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(text, start, end)`` of the first :data:`WINDOW_MENTIONS` mentions of each subject."""
    docs: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for d, (text, name) in enumerate(zip(batch.texts, subject, strict=True)):
        if not name:
            continue
        at = text.find(name)
        seen = 0
        while at >= 0 and seen < WINDOW_MENTIONS:
            docs.append(d)
            starts.append(at)
            ends.append(at + len(name))
            seen += 1
            at = text.find(name, at + len(name))
    doc = np.asarray(docs, dtype=np.int64)
    offset = batch.starts[doc] if len(doc) else np.zeros(0, dtype=np.int64)
    return (
        doc,
        np.asarray(starts, dtype=np.int64) + offset,
        np.asarray(ends, dtype=np.int64) + offset,
    )


def text_keys(batch: Batch, hits: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``(text, key)`` of the event features that do not depend on the subject."""
    ids = batch.ids
    size = len(ids)
    rows: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    for order, kind in K_TEXT.items():
        if order not in TEXT_ORDERS:
            continue
        positions, k = ngram_keys(ids, np.arange(max(size - order + 1, 0)), order, kind)
        rows.append(batch.doc[positions])
        keys.append(k)
    positions, words = hits
    rows.append(batch.doc[positions])
    keys.append(key_of(K_TRIGGER, words))
    return np.concatenate(rows), np.concatenate(keys)


def subject_keys(
    batch: Batch,
    subject: Sequence[str | None],
    hits: tuple[np.ndarray, np.ndarray],
    codes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(text, key)`` of the event features read around each text's subject.

    The windows around its first mentions, its last characters and its own segment.
    ``codes`` are the batch's stock codes when already found (else they are looked up).
    """
    ids = batch.ids
    positions, words = hits
    rows: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    keys: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    doc, start, end = subject_windows(batch, subject)
    if len(doc):
        doc_start, doc_end = batch.starts[doc], batch.ends[doc]
        left = np.maximum(start - WINDOW_LEFT, doc_start)
        right = np.minimum(end + WINDOW_RIGHT, doc_end)
        for lo, hi in ((left, start), (end, right)):
            for order, kind in K_WINDOW.items():
                r, k = range_ngrams(ids, lo, hi, order, kind)
                rows.append(doc[r])
                keys.append(k)
            which, at = expand_ranges(
                np.searchsorted(positions, lo), np.searchsorted(positions, hi)
            )
            rows.append(doc[which])
            keys.append(key_of(K_TRIGGER_NEAR, words[at]))
        first = np.ones(len(doc), dtype=bool)
        first[1:] = doc[1:] != doc[:-1]
        d1, s1, e1 = doc[first], start[first], end[first]
        rows.append(d1)
        penultimate = ids[np.maximum(e1 - 2, batch.starts[d1])]
        keys.append(key_of(K_SUBJECT_END, (penultimate << CHAR_BITS) | ids[e1 - 1]))
        # the subject's own segment (its headline in glued stock headlines)
        if codes is None:
            codes = subjects.stock_codes(batch.joined)
        lo, hi = ranking.segments(codes, s1, e1, batch.starts[d1], batch.ends[d1])
        for a, b in ((lo, s1), (e1, hi)):
            for order, kind in K_SEGMENT.items():
                r, k = range_ngrams(ids, a, b, order, kind)
                rows.append(d1[r])
                keys.append(k)
        which, at = expand_ranges(np.searchsorted(positions, lo), np.searchsorted(positions, hi))
        rows.append(d1[which])
        keys.append(key_of(K_TRIGGER_SEGMENT, words[at]))
    return np.concatenate(rows), np.concatenate(keys)


def event_strength(raw: np.ndarray, none: int) -> np.ndarray:
    """Per row: the log-probability of the most likely reportable event (any label but ``none``)."""
    z = raw - raw.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    if 0 <= none < raw.shape[1]:
        log_p = np.delete(log_p, none, axis=1)
    strength: np.ndarray = log_p.max(axis=1)
    return strength


def runner_up_gain(
    pick_raw: np.ndarray,
    runner_raw: np.ndarray,
    *,
    none: int,
    weight: float = HEADLINE_WEIGHT,
) -> np.ndarray:
    """How much clearer the event reading is for the ranker's runner-up than for its winner.

    Glued stock headlines name one company per headline and the label belongs to the
    headline that reports an event; the rankers see trigger words, the event model reads the
    whole segment. ``weight · (strength(runner) − strength(winner))`` with
    :func:`event_strength` of the raw scores (no offsets); a text takes the runner-up as its
    subject when this gain exceeds the rankers' margin (see ``NewsEventModel.read_subjects``).
    """
    gain: np.ndarray = weight * (event_strength(runner_raw, none) - event_strength(pick_raw, none))
    return gain


def event_keys(
    batch: Batch,
    subject: Sequence[str | None],
    hits: tuple[np.ndarray, np.ndarray],
    codes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(text, key)`` of the event model's features, each text read for its subject.

    ``codes`` are the batch's stock codes when already found (else they are looked up).
    """
    t_rows, t_keys = text_keys(batch, hits)
    s_rows, s_keys = subject_keys(batch, subject, hits, codes)
    return np.concatenate([t_rows, s_rows]), np.concatenate([t_keys, s_keys])


def _reranker(arrays: Mapping[str, Any], parts: Mapping[str, Any]) -> rerank.Reranker:
    """The stored news-sentence reranker; its named columns must be this code's."""
    if list(parts["rerank_features"]) != list(rerank.FEATURES):
        raise ValueError("the reranker's feature names differ from this code's")
    bias = np.asarray(arrays["rerank_bias"], dtype=np.float64)
    tagger = Tagger(
        np.asarray(arrays["tagger_weights"], np.float32),
        np.asarray(arrays["tagger_bias"], np.float64),
    )
    return rerank.Reranker(np.asarray(arrays["rerank_weights"], np.float64), float(bias[0]), tagger)


def _presence(arrays: Mapping[str, Any]) -> presence.Presence:
    """The stored presence step (:mod:`.presence`)."""
    intercept, weight = np.asarray(arrays["presence_intercept_weight"], np.float64).tolist()
    tagger = Tagger(
        np.asarray(arrays["presence_tagger_weights"], np.float32),
        np.asarray(arrays["presence_tagger_bias"], np.float64),
    )
    return presence.Presence(
        tagger, np.asarray(arrays["presence_coef"], np.float64), float(intercept), float(weight)
    )


class NewsEventModel:
    """Event type and subject of financial news texts (task ``news-events``)."""

    task = NEWS_TASK

    def __init__(
        self,
        labels: Sequence[str],
        events: LinearModel,
        event_keys_: np.ndarray,
        event_idf: np.ndarray,
        alphabet: Alphabet,
        *,
        rankers: SubjectRankers,
        triggers: Triggers,
        offsets: np.ndarray | None = None,
        presence: presence.Presence | None = None,
        folder: Path | None = None,
        metrics: Mapping[str, Any] | None = None,
    ) -> None:
        self.labels = tuple(labels)
        self.offsets = (
            np.zeros(len(self.labels)) if offsets is None else np.asarray(offsets, np.float64)
        )
        # float64 once here: a float32 matrix would be converted on every product
        self.events = LinearModel(
            np.asarray(events.weights, dtype=np.float64),
            np.asarray(events.bias, np.float64) + self.offsets,
        )
        self.index = KeyIndex(event_keys_)
        self.idf = np.asarray(event_idf, dtype=np.float64)
        self.alphabet = alphabet
        self.rankers = rankers
        self.triggers = triggers
        self.presence = presence
        self.folder = folder
        self.metrics = dict(metrics or {})
        self._none = self.labels.index(NONE_LABEL) if NONE_LABEL in self.labels else -1
        w = np.asarray(events.weights, dtype=np.float64)
        self._relative = w - w.mean(axis=1, keepdims=True)
        self.describe = Describer(alphabet, triggers)
        self._names: dict[int, str] = {}

    def _column_name(self, column: int) -> str:
        name = self._names.get(column)
        if name is None:
            name = self.describe(int(self.index.keys[column]))
            self._names[column] = name
        return name

    @classmethod
    def load(cls, folder: Path) -> NewsEventModel:
        """Load a verified ``news-events`` artefact (see :func:`load_text_model`)."""
        art = load_artefact(folder, kind=KIND, task=NEWS_TASK, feature_names=FEATURE_NAMES)
        a, p = art.arrays, art.parts
        try:
            triggers = Triggers(p["triggers"])
            rankers = SubjectRankers(
                Gazetteer(p["gazetteer"]),
                LinearModel(a["rank1_weights"], a["rank1_bias"]),
                LinearModel(a["rank2_weights"], a["rank2_bias"]),
                a["rank2_keys"],
                Cohesion(a["cohesion_keys"], a["cohesion_levels"]),
                ranking.trigger_labels(triggers),
                _reranker(a, p),
            )
            events = LinearModel(a["event_weights"], a["event_bias"])
            if not len(a["event_keys"]) == len(a["event_idf"]) == events.n_features:
                raise ValueError("event keys, idf and weights differ in length")
            if len(a["event_offsets"]) != len(art.manifest.labels):
                raise ValueError("one event offset per label is needed")
            model = cls(
                art.manifest.labels,
                events,
                a["event_keys"],
                a["event_idf"],
                Alphabet(str(p["alphabet"])),
                rankers=rankers,
                triggers=triggers,
                offsets=a["event_offsets"],
                presence=_presence(a),
                folder=Path(folder),
                metrics=art.manifest.metrics,
            )
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"{folder}: incomplete news-events artefact ({exc})") from exc
        return model

    def event_matrix(
        self,
        batch: Batch,
        subject: Sequence[str | None],
        hits: tuple[np.ndarray, np.ndarray],
        codes: np.ndarray | None = None,
    ) -> sparse.csr_matrix:
        """TF-IDF rows of the event model, each text read for its subject."""
        rows, keys = event_keys(batch, subject, hits, codes)
        return tfidf_matrix(rows, self.index.lookup(keys), len(batch.texts), self.idf)

    def read_subjects(
        self, batch: Batch, chosen: ranking.Subjects, hits: tuple[np.ndarray, np.ndarray]
    ) -> tuple[list[str | None], sparse.csr_matrix, np.ndarray, np.ndarray]:
        """Subjects, event rows and scores of a batch, and the gain of texts that switched.

        Every text is read for the rankers' winner. A text with a stock code (glued
        headlines) and a runner-up candidate is read again for the runner-up and takes it
        when :func:`runner_up_gain` exceeds the rankers' margin (gain 0: kept the winner).
        The second reading is skipped where it cannot win: a strength is a log-probability
        (≤ 0), so the gain is at most ``−weight · strength(winner)``. The subject-free part of
        the features is looked up once.
        """
        joined, n = batch.joined, len(batch.texts)
        names: list[str | None] = [
            joined[s:e] if s >= 0 else None
            for s, e in zip(chosen.start.tolist(), chosen.end.tolist(), strict=True)
        ]
        t_rows, t_keys = text_keys(batch, hits)
        t_columns = self.index.lookup(t_keys)
        s_rows, s_keys = subject_keys(batch, names, hits, chosen.codes)
        matrix = tfidf_matrix(
            np.concatenate([t_rows, s_rows]),
            np.concatenate([t_columns, self.index.lookup(s_keys)]),
            n,
            self.idf,
        )
        scores = self.events.scores(matrix)
        gains = np.zeros(n)
        coded = np.zeros(n, dtype=bool)
        coded[batch.doc[chosen.codes[:, 0]]] = True
        bound = -HEADLINE_WEIGHT * event_strength(scores - self.offsets, self._none)
        alt = np.flatnonzero(
            coded & (chosen.runner_start >= 0) & (chosen.start >= 0) & (bound > chosen.margin)
        )
        if not len(alt):
            return names, matrix, scores, gains
        runner: list[str | None] = [None] * n
        for d in alt.tolist():
            runner[d] = joined[int(chosen.runner_start[d]) : int(chosen.runner_end[d])]
        a_rows, a_keys = subject_keys(batch, runner, hits, chosen.codes)
        slot = np.full(n, -1, dtype=np.int64)
        slot[alt] = np.arange(len(alt))
        again = slot[t_rows] >= 0
        second = tfidf_matrix(
            np.concatenate([slot[t_rows[again]], slot[a_rows]]),
            np.concatenate([t_columns[again], self.index.lookup(a_keys)]),
            len(alt),
            self.idf,
        )
        runner_scores = self.events.scores(second)
        gain = runner_up_gain(
            scores[alt] - self.offsets,
            runner_scores - self.offsets,
            none=self._none,
            weight=HEADLINE_WEIGHT,
        )
        took = gain > chosen.margin[alt]
        if not took.any():
            return names, matrix, scores, gains
        switched = alt[took]
        gains[switched] = gain[took]
        scores[switched] = runner_scores[took]
        select = np.arange(n)
        select[switched] = n + np.flatnonzero(took)
        matrix = sparse.vstack([matrix, second], format="csr")[select]
        for d in switched.tolist():
            names[d] = runner[d]
        return names, matrix, scores, gains

    def presence_shift(
        self, batch: Batch, codes: np.ndarray, scores: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Add the presence step's shift to the 其他 column of ``scores`` (in place).

        Returns ``(P(no company subject), shift)`` per text; zeros without a presence step.
        The stacker reads the raw scores (``scores`` hold the offsets, which come after).
        """
        n = len(batch.texts)
        if self.presence is None or self._none < 0:
            return np.zeros(n), np.zeros(n)
        x = presence.columns(
            self.presence.tagger,
            batch,
            rerank.gated(batch, codes),
            scores - self.offsets,
            self._none,
        )
        p, shift = self.presence.shift(x)
        scores[:, self._none] += shift
        return p, shift

    def predict(self, texts: Sequence[str]) -> list[TextPrediction]:
        """Event type, probabilities, subject and reasons for every text."""
        if not texts:
            return []
        batch = self.alphabet.encode_folded(texts, fold_table())
        hits = self.triggers.find_all(batch.joined)
        chosen = choose_subjects(batch, self.rankers, hits)
        _, matrix, scores, gains = self.read_subjects(batch, chosen, hits)
        no_subject, shift = self.presence_shift(batch, chosen.codes, scores)
        z = np.exp(scores - scores.max(axis=1, keepdims=True))
        probabilities = z / z.sum(axis=1, keepdims=True)
        best = np.argmax(probabilities, axis=1)
        contributions = top_contributions(matrix, self._relative, best, top=5)
        rounded = np.round(probabilities, 6).tolist()
        labels, column_name = self.labels, self._column_name
        out: list[TextPrediction] = []
        for i, (text, b) in enumerate(zip(texts, best.tolist(), strict=True)):
            reasons = [Reason(column_name(j), w) for j, w in contributions[i]]
            if shift[i]:
                reasons.append(
                    Reason(f"{PRESENCE_REASON}{no_subject[i]:.2f}", round(float(shift[i]), 4))
                )
            subject: str | None = None
            subject_score: float | None = None
            s, e = int(chosen.start[i]), int(chosen.end[i])
            if b != self._none and s >= 0:
                offset = int(batch.starts[i])
                if gains[i] > 0:
                    s, e = int(chosen.runner_start[i]), int(chosen.runner_end[i])
                    subject_score = float(chosen.score[i] * np.exp(-chosen.margin[i]))
                    reasons.append(Reason(HEADLINE_REASON, round(float(gains[i]), 4)))
                else:
                    subject_score = float(chosen.score[i])
                    reasons += [Reason(self.describe(k), w) for k, w in chosen.reasons[i]]
                    if chosen.rerank_reasons is not None:
                        reasons += [
                            Reason(RERANK_REASON + name, w) for name, w in chosen.rerank_reasons[i]
                        ]
                subject = text[s - offset : e - offset]
                subject_score = round(subject_score, 4)
            out.append(
                TextPrediction(
                    category=labels[b],
                    probabilities=dict(zip(labels, rounded[i], strict=True)),
                    subject=subject,
                    subject_score=subject_score,
                    reasons=tuple(reasons),
                )
            )
        return out

    def predict_for_subjects(self, texts: Sequence[str], subjects_: Sequence[str]) -> list[str]:
        """The event type of each text *for a given subject* (the FinESE labelling unit)."""
        if not texts:
            return []
        batch = self.alphabet.encode_folded(texts, fold_table())
        hits = self.triggers.find_all(batch.joined)
        matrix = self.event_matrix(batch, [fold(s) if s else None for s in subjects_], hits)
        probabilities = self.events.probabilities(matrix)
        return [self.labels[int(i)] for i in np.argmax(probabilities, axis=1)]


__all__ = [
    "FEATURE_NAMES",
    "NEWS_TASK",
    "NONE_LABEL",
    "PRESENCE_REASON",
    "RERANK_REASON",
    "SPEC",
    "NewsEventModel",
    "event_keys",
    "event_strength",
    "fold",
    "fold_table",
    "runner_up_gain",
    "subject_keys",
    "subject_windows",
    "text_keys",
]
