"""The news / public-opinion event model: event type and subject of a financial news text.

Trained on FinESE (see :mod:`smokewatch.text.models.training`). A prediction runs in three
linear steps over a whole batch at once, with integer feature keys and numpy
(:mod:`~smokewatch.text.models.encoding`):

1. every candidate subject (:mod:`~smokewatch.text.models.subjects`) is scored by a cheap
   ranker (anchors, boundaries, frequency, gazetteer);
2. the best :data:`TOP_CANDIDATES` of each text are re-scored by a richer ranker that also
   reads the words around each candidate (what follows 钱妈妈 decides whether 钱妈妈 is the
   subject);
3. the event type is classified from the whole text *and* the windows around the chosen
   subject's mentions (char n-grams, trigger words), because a sentence can report several
   events about different subjects and the label belongs to the subject.

The event of 其他 (nothing reportable) has no subject, as in the data. Every prediction
carries the largest feature contributions of the event model and of the subject ranker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from smokewatch.errors import ConfigError
from smokewatch.ml.artefact import load_artefact
from smokewatch.text.matcher import fold_for_matching
from smokewatch.text.models import subjects
from smokewatch.text.models.base import KIND, Reason, TextPrediction
from smokewatch.text.models.encoding import (
    CHAR_BITS,
    Alphabet,
    Batch,
    KeyIndex,
    count_matrix,
    expand_ranges,
    key_of,
    kind_of,
    ngram_keys,
    payload_of,
    range_ngrams,
    tfidf_matrix,
    top_contributions,
)
from smokewatch.text.models.features import Triggers, spec_hash
from smokewatch.text.models.linear import LinearModel
from smokewatch.text.models.subjects import Candidates, Gazetteer

NEWS_TASK = "news-events"
NONE_LABEL = "其他"
"""The FinESE label of texts without a reportable event (and without a subject)."""
TOP_CANDIDATES = 8
TEXT_ORDERS = (1, 2, 3)
WINDOW_LEFT = 10
WINDOW_RIGHT = 20
WINDOW_MENTIONS = 3
RICH_RIGHT, RICH_LEFT, RICH_TRIGGER_RIGHT, RICH_TRIGGER_LEFT = 16, 8, 20, 12
RANK_BITS = 18
"""Ranker features are hashed into ``2 ** RANK_BITS`` columns."""

# feature kinds of the event model and the second ranker (subjects.py has 20..38)
K_TEXT = {1: 1, 2: 2, 3: 3}
K_WINDOW = {1: 4, 2: 5}
K_TRIGGER, K_TRIGGER_NEAR, K_SUBJECT_END = 10, 11, 12
K_RIGHT = {1: 40, 2: 41}
K_LEFT2, K_SPAN1, K_SPAN2, K_TRIG_RIGHT, K_TRIG_LEFT, K_RANK1 = range(42, 48)

SPEC: dict[str, Any] = {
    "task": NEWS_TASK,
    "version": 2,
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
    "ranker": {
        "top": TOP_CANDIDATES,
        "right": RICH_RIGHT,
        "left": RICH_LEFT,
        "trigger_reach": [RICH_TRIGGER_RIGHT, RICH_TRIGGER_LEFT],
        "hash_bits": RANK_BITS,
    },
    "subjects": subjects.SPEC,
}
FEATURE_NAMES = [
    "c: char n-grams of the text",
    "k: trigger words in the text",
    "w: char n-grams around the subject",
    "kw: trigger words around the subject",
    "s: last characters of the subject",
    "rank1: candidate anchors, boundaries, frequency, gazetteer",
    "rank2: words around the candidate",
    f"spec:{spec_hash(SPEC)}",
]
"""Feature groups of this code version; the last entry pins the exact specification."""

_WHITESPACE = {ord(c): " " for c in "\t\n\r\x0b\x0c\u3000\xa0"}
_MIX = np.uint64(0x9E3779B97F4A7C15)


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


@dataclass(frozen=True, slots=True)
class SubjectRankers:
    """The two subject rankers (hashed columns) and the gazetteer of known subjects."""

    gazetteer: Gazetteer
    first: LinearModel
    second: LinearModel
    second_keys: np.ndarray
    """A representative feature key of every second-ranker column (for explanations)."""


def first_stage(
    batch: Batch, found: Candidates, hits: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """``(candidate number, key)`` of the cheap ranker's features."""
    return subjects.candidate_keys(batch, found, hits)


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


def second_stage(
    batch: Batch,
    found: Candidates,
    hits: tuple[np.ndarray, np.ndarray],
    *,
    chosen: np.ndarray,
    ranks: np.ndarray,
    first_rows: np.ndarray,
    first_keys: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(row, key)`` of the rich ranker's features for the candidates ``chosen`` (rows)."""
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
    r, k = range_ngrams(ids, np.maximum(start - RICH_LEFT, doc_start), start, 2, K_LEFT2)
    rows.append(r)
    keys.append(k)
    r, k = range_ngrams(ids, start, end, 1, K_SPAN1)
    rows.append(r)
    keys.append(k)
    r, k = range_ngrams(ids, start, end, 2, K_SPAN2)
    rows.append(r)
    keys.append(k)
    positions, words = hits
    for lo, hi, kind in (
        (end, np.minimum(end + RICH_TRIGGER_RIGHT, doc_end), K_TRIG_RIGHT),
        (np.maximum(start - RICH_TRIGGER_LEFT, doc_start), start, K_TRIG_LEFT),
    ):
        which, at = expand_ranges(np.searchsorted(positions, lo), np.searchsorted(positions, hi))
        rows.append(which)
        keys.append(key_of(kind, words[at]))
    n = len(chosen)
    rows.append(np.arange(n))
    keys.append(key_of(K_RANK1, ranks))
    r, k = subjects.candidate_keys(batch, found, hits, chosen, rich=True)
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


def choose_subjects(
    batch: Batch, rankers: SubjectRankers, hits: tuple[np.ndarray, np.ndarray]
) -> Subjects:
    """The best candidate subject of every text of a batch, its probability and reasons."""
    n_docs = len(batch.texts)
    found = subjects.batch_candidates(batch, rankers.gazetteer)
    start = np.full(n_docs, -1, dtype=np.int64)
    end = np.full(n_docs, -1, dtype=np.int64)
    score = np.zeros(n_docs)
    reasons: list[list[tuple[int, float]]] = [[] for _ in range(n_docs)]
    if not len(found):
        return Subjects(start, end, score, reasons)
    rows1, keys1 = first_stage(batch, found, hits)
    first = ranker_scores(rankers.first, rows1, keys1, len(found))
    chosen, ranks = top_per_text(found.doc, first, TOP_CANDIDATES)
    rows2, keys2 = second_stage(
        batch, found, hits, chosen=chosen, ranks=ranks, first_rows=rows1, first_keys=keys1
    )
    scores = ranker_scores(rankers.second, rows2, keys2, len(chosen))
    doc = found.doc[chosen]
    best, _ = top_per_text(doc, scores, 1)
    top = np.full(n_docs, -np.inf)
    np.maximum.at(top, doc, scores)
    z = np.bincount(doc, np.exp(scores - top[doc]), minlength=n_docs)
    winners = doc[best]
    start[winners] = found.start[chosen[best]]
    end[winners] = found.end[chosen[best]]
    score[winners] = 1.0 / z[winners]
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
    return Subjects(start, end, score, reasons)


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


def event_keys(
    batch: Batch, subject: Sequence[str | None], hits: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """``(text, key)`` of the event model's features, each text read for its subject."""
    ids = batch.ids
    size = len(ids)
    rows: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    for order, kind in K_TEXT.items():
        positions, k = ngram_keys(ids, np.arange(max(size - order + 1, 0)), order, kind)
        rows.append(batch.doc[positions])
        keys.append(k)
    positions, words = hits
    rows.append(batch.doc[positions])
    keys.append(key_of(K_TRIGGER, words))
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
        e = end[first]
        rows.append(doc[first])
        penultimate = ids[np.maximum(e - 2, batch.starts[doc[first]])]
        keys.append(key_of(K_SUBJECT_END, (penultimate << CHAR_BITS) | ids[e - 1]))
    return np.concatenate(rows), np.concatenate(keys)


class Describer:
    """Readable names of feature keys (the model's explanations)."""

    def __init__(self, alphabet: Alphabet, triggers: Triggers) -> None:
        self.alphabet = alphabet
        self.words = triggers.words
        self._cache: dict[int, str] = {}

    def _chars(self, payload: int, order: int) -> str:
        return self.alphabet.decode_ngram(payload, order)

    def __call__(self, key: int) -> str:
        """The readable name of a feature key."""
        name = self._cache.get(key)
        if name is None:
            name = self._describe(kind_of(key), payload_of(key))
            self._cache[key] = name
        return name

    def _describe(self, kind: int, payload: int) -> str:
        words = self.words
        word = words[payload] if payload < len(words) else "?"
        table: dict[int, tuple[str, int]] = {
            **{k: ("text: ", o) for o, k in K_TEXT.items()},
            **{k: ("near subject: ", o) for o, k in K_WINDOW.items()},
            K_SUBJECT_END: ("subject ends with: ", 2),
            **{k: ("after subject: ", o) for o, k in K_RIGHT.items()},
            K_LEFT2: ("before subject: ", 2),
            K_SPAN1: ("subject contains: ", 1),
            K_SPAN2: ("subject contains: ", 2),
            subjects.KIND_LEFT: ("subject preceded by: ", 1),
            subjects.KIND_RIGHT: ("subject followed by: ", 1),
            subjects.KIND_RIGHT2: ("subject followed by: ", 2),
            subjects.KIND_LAST: ("subject ends with: ", 1),
            subjects.KIND_LAST2: ("subject ends with: ", 2),
            subjects.KIND_FIRST: ("subject starts with: ", 1),
        }
        if kind in table:
            prefix, order = table[kind]
            return prefix + self._chars(payload, order)
        if kind in (
            K_TRIGGER,
            K_TRIGGER_NEAR,
            K_TRIG_RIGHT,
            K_TRIG_LEFT,
            subjects.KIND_TRIGGER_AFTER,
        ):
            where = {
                K_TRIGGER: "keyword: ",
                K_TRIGGER_NEAR: "keyword near subject: ",
                K_TRIG_RIGHT: "keyword after subject: ",
                K_TRIG_LEFT: "keyword before subject: ",
            }.get(kind, "keyword after subject: ")
            return where + word
        if kind == subjects.KIND_SOURCES:
            found = [s for i, s in enumerate(subjects.SOURCES) if payload & (1 << i)]
            return "subject found as: " + "+".join(found)
        if kind == subjects.KIND_GAZETTEER:
            return "subject known from training" if payload else "subject not known from training"
        if kind == K_RANK1:
            return f"subject rank by the first ranker: {payload + 1}"
        if kind == subjects.KIND_MENTIONS:
            return f"subject proposed {payload} time(s)"
        if kind == subjects.KIND_LEN:
            return f"subject length: {payload}"
        classes = ("Chinese", "punctuation", "digit", "Latin", "text edge")
        named = {
            subjects.KIND_LEFT_CLASS: "subject preceded by a character of class: ",
            subjects.KIND_RIGHT_CLASS: "subject followed by a character of class: ",
            subjects.KIND_FIRST_CLASS: "subject starts with a character of class: ",
        }
        if kind in named and payload < len(classes):
            return named[kind] + classes[payload]
        if kind == subjects.KIND_POS:
            return "subject first mentioned " + (
                f"at characters {payload * 10}–{payload * 10 + 9}" if payload < 9 else "after 80"
            )
        return f"subject feature {kind}:{payload}"


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
        folder: Path | None = None,
        metrics: Mapping[str, Any] | None = None,
    ) -> None:
        self.labels = tuple(labels)
        # float64 once here: a float32 matrix would be converted on every product
        self.events = LinearModel(
            np.asarray(events.weights, dtype=np.float64), np.asarray(events.bias, np.float64)
        )
        self.index = KeyIndex(event_keys_)
        self.idf = np.asarray(event_idf, dtype=np.float64)
        self.alphabet = alphabet
        self.rankers = rankers
        self.triggers = triggers
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
            rankers = SubjectRankers(
                Gazetteer(p["gazetteer"]),
                LinearModel(a["rank1_weights"], a["rank1_bias"]),
                LinearModel(a["rank2_weights"], a["rank2_bias"]),
                a["rank2_keys"],
            )
            events = LinearModel(a["event_weights"], a["event_bias"])
            if not len(a["event_keys"]) == len(a["event_idf"]) == events.n_features:
                raise ValueError("event keys, idf and weights differ in length")
            model = cls(
                art.manifest.labels,
                events,
                a["event_keys"],
                a["event_idf"],
                Alphabet(str(p["alphabet"])),
                rankers=rankers,
                triggers=Triggers(p["triggers"]),
                folder=Path(folder),
                metrics=art.manifest.metrics,
            )
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"{folder}: incomplete news-events artefact ({exc})") from exc
        return model

    def event_matrix(
        self, batch: Batch, subject: Sequence[str | None], hits: tuple[np.ndarray, np.ndarray]
    ) -> sparse.csr_matrix:
        """TF-IDF rows of the event model, each text read for its subject."""
        rows, keys = event_keys(batch, subject, hits)
        return tfidf_matrix(rows, self.index.lookup(keys), len(batch.texts), self.idf)

    def predict(self, texts: Sequence[str]) -> list[TextPrediction]:
        """Event type, probabilities, subject and reasons for every text."""
        if not texts:
            return []
        batch = self.alphabet.encode_folded(texts, fold_table())
        hits = self.triggers.find_all(batch.joined)
        chosen = choose_subjects(batch, self.rankers, hits)
        names: list[str | None] = [
            batch.joined[s:e] if s >= 0 else None
            for s, e in zip(chosen.start.tolist(), chosen.end.tolist(), strict=True)
        ]
        matrix = self.event_matrix(batch, names, hits)
        probabilities = self.events.probabilities(matrix)
        best = np.argmax(probabilities, axis=1)
        contributions = top_contributions(matrix, self._relative, best, top=5)
        rounded = np.round(probabilities, 6).tolist()
        labels, column_name = self.labels, self._column_name
        out: list[TextPrediction] = []
        for i, (text, b) in enumerate(zip(texts, best.tolist(), strict=True)):
            reasons = [Reason(column_name(j), w) for j, w in contributions[i]]
            subject: str | None = None
            subject_score: float | None = None
            s = int(chosen.start[i])
            if b != self._none and s >= 0:
                offset = int(batch.starts[i])
                subject = text[s - offset : int(chosen.end[i]) - offset]
                subject_score = round(float(chosen.score[i]), 4)
                reasons += [Reason(self.describe(k), w) for k, w in chosen.reasons[i]]
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
    "SPEC",
    "Describer",
    "NewsEventModel",
    "SubjectRankers",
    "Subjects",
    "choose_subjects",
    "event_keys",
    "first_stage",
    "fold",
    "fold_table",
    "hashed_columns",
    "ranker_scores",
    "second_stage",
    "subject_windows",
    "top_per_text",
]
