"""Readable names of the news model's feature keys: the words of its explanations."""

from __future__ import annotations

from smokewatch.text.models import ranking as rk
from smokewatch.text.models import subjects, wordclass
from smokewatch.text.models.encoding import Alphabet, kind_of, payload_of
from smokewatch.text.models.features import Triggers

# feature kinds of the event model (ranking.py has 40..50, subjects.py 20..38 and 60..63)
K_TEXT = {1: 1, 2: 2, 3: 3}
K_WINDOW = {1: 4, 2: 5}
K_TRIGGER, K_TRIGGER_NEAR, K_SUBJECT_END = 10, 11, 12
K_SEGMENT = {1: 13, 2: 14}
K_TRIGGER_SEGMENT = 15

_NGRAMS: dict[int, tuple[str, int]] = {
    **{k: ("text: ", o) for o, k in K_TEXT.items()},
    **{k: ("near subject: ", o) for o, k in K_WINDOW.items()},
    **{k: ("in the subject's headline: ", o) for o, k in K_SEGMENT.items()},
    K_SUBJECT_END: ("subject ends with: ", 2),
    **{k: ("after subject: ", o) for o, k in rk.K_RIGHT.items()},
    rk.K_LEFT2: ("before subject: ", 2),
    rk.K_SPAN1: ("subject contains: ", 1),
    rk.K_SPAN2: ("subject contains: ", 2),
    subjects.KIND_LEFT: ("subject preceded by: ", 1),
    subjects.KIND_RIGHT: ("subject followed by: ", 1),
    subjects.KIND_RIGHT2: ("subject followed by: ", 2),
    subjects.KIND_LAST: ("subject ends with: ", 1),
    subjects.KIND_LAST2: ("subject ends with: ", 2),
    subjects.KIND_FIRST: ("subject starts with: ", 1),
}
_WORDS = {
    K_TRIGGER: "keyword: ",
    K_TRIGGER_NEAR: "keyword near subject: ",
    K_TRIGGER_SEGMENT: "keyword in the subject's headline: ",
    rk.K_TRIG_RIGHT: "keyword after subject: ",
    rk.K_TRIG_LEFT: "keyword before subject: ",
    rk.K_SEG_RIGHT: "keyword after subject, same headline: ",
    rk.K_SEG_LEFT: "keyword before subject, same headline: ",
    subjects.KIND_TRIGGER_AFTER: "keyword after subject: ",
}
_CLASSES = ("Chinese", "punctuation", "digit", "Latin", "text edge")
_CLASS_KINDS = {
    subjects.KIND_LEFT_CLASS: "subject preceded by a character of class: ",
    subjects.KIND_RIGHT_CLASS: "subject followed by a character of class: ",
    subjects.KIND_FIRST_CLASS: "subject starts with a character of class: ",
}
_COHESION = {
    subjects.KIND_LEFT_COH: "word cohesion across the subject's start: ",
    subjects.KIND_RIGHT_COH: "word cohesion across the subject's end: ",
    subjects.KIND_HEAD_COH: "word cohesion of the subject's first two characters: ",
}


class Describer:
    """Readable names of feature keys (the model's explanations)."""

    def __init__(self, alphabet: Alphabet, triggers: Triggers) -> None:
        self.alphabet = alphabet
        self.words = triggers.words
        self.labels = list(triggers.lexicon)
        self._cache: dict[int, str] = {}

    def __call__(self, key: int) -> str:
        """The readable name of a feature key."""
        name = self._cache.get(key)
        if name is None:
            kind, payload = kind_of(key), payload_of(key)
            name = _word_class_name(kind, payload) or self._describe(kind, payload)
            self._cache[key] = name
        return name

    def _describe(self, kind: int, payload: int) -> str:
        if kind in _NGRAMS:
            prefix, order = _NGRAMS[kind]
            return prefix + self.alphabet.decode_ngram(payload, order)
        if kind in _WORDS:
            word = self.words[payload] if payload < len(self.words) else "?"
            return _WORDS[kind] + word
        if kind == rk.K_SEG_LABEL:
            label = self.labels[payload] if payload < len(self.labels) else "?"
            return f"a {label} keyword in the subject's headline"
        if kind in _COHESION:
            return f"{_COHESION[kind]}{payload} of 5"
        if kind == subjects.KIND_EDGES_COH:
            return f"word cohesion across the subject's edges: {payload >> 4}/{payload & 15} of 5"
        if kind == subjects.KIND_SOURCES:
            found = [s for i, s in enumerate(subjects.SOURCES) if payload & (1 << i)]
            return "subject found as: " + "+".join(found)
        if kind == subjects.KIND_GAZETTEER:
            return "subject known from training" if payload else "subject not known from training"
        if kind == rk.K_RANK1:
            return f"subject rank by the first ranker: {payload + 1}"
        if kind == subjects.KIND_MENTIONS:
            return f"subject proposed {payload} time(s)"
        if kind == subjects.KIND_LEN:
            return f"subject length: {payload}"
        if kind in _CLASS_KINDS and payload < len(_CLASSES):
            return _CLASS_KINDS[kind] + _CLASSES[payload]
        if kind == subjects.KIND_POS:
            return "subject first mentioned " + (
                f"at characters {payload * 10}–{payload * 10 + 9}" if payload < 9 else "after 80"
            )
        return f"subject feature {kind}:{payload}"


_WORD_CLASS_KINDS = {
    wordclass.K_WHOLE: "subject as a dictionary word: ",
    wordclass.K_HEAD: "subject's first dictionary word: ",
    wordclass.K_TAIL: "subject's last dictionary word: ",
}


def _word_class(number: int) -> str:
    if number == 0:
        return "none"
    return wordclass.TAGS[number - 1] if number <= len(wordclass.TAGS) else "other"


def _word_class_name(kind: int, payload: int) -> str | None:
    """Names of the word-class keys (jieba classes: v verb, ns place, nt organisation …)."""
    if kind == wordclass.K_HEAD_TAIL:
        head, tail = _word_class(payload >> 8), _word_class(payload & 0xFF)
        return f"subject's first/last dictionary words: {head}/{tail}"
    if kind in _WORD_CLASS_KINDS:
        return _WORD_CLASS_KINDS[kind] + _word_class(payload)
    return None


__all__ = [
    "K_SEGMENT",
    "K_SUBJECT_END",
    "K_TEXT",
    "K_TRIGGER",
    "K_TRIGGER_NEAR",
    "K_TRIGGER_SEGMENT",
    "K_WINDOW",
    "Describer",
]
