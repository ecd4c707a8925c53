"""Dictionary word classes of a subject candidate (rich-ranker features).

Many wrong subjects are not names at all: a clause opener (``虽然后来``, ``但依照``), a verb
(``没有``, ``抵制``), a common noun (``地下室``), a place (``广州``). jieba's dictionary knows
the part of speech of ~350,000 words (``nt`` organisation, ``ns`` place, ``nr`` person,
``v`` verb, ``c`` conjunction, ``p`` preposition …). The rich ranker reads, for each
candidate, the class of the whole span if it is a dictionary word, of the longest dictionary
word (2–4 characters) it starts with and of the one it ends with.

jieba ships with the package's dependencies (no download); its table is read once, on
first use, from the copy shipped with smokewatch (:mod:`smokewatch.text.jieba_dictionary`)
or, where the installed jieba's dictionary differs from that copy, from jieba itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np

from smokewatch.text.jieba_dictionary import load_jieba_dictionary
from smokewatch.text.models.encoding import SEPARATOR, Batch, key_of
from smokewatch.text.models.gazetteer import batch_hashes, span_hashes

# feature kinds (ranking.py 40..50, subjects.py 20..38 and 60..63, describe.py 1..15)
K_WHOLE, K_HEAD, K_TAIL, K_HEAD_TAIL = range(90, 94)
TAGS = (
    "n", "nr", "v", "i", "l", "ns", "m", "nz", "nrt", "zg", "nt", "a", "vn", "z", "d", "t",
    "j", "b", "g", "r", "s", "c", "nrfg", "x", "f", "ng", "o", "q", "vg", "p", "ad", "mq",
    "y", "ag", "an", "e", "u",
)  # fmt: skip
"""jieba's word classes, in a fixed order (a class's number is its payload; 0 = no word)."""
_NUMBER = {tag: i + 1 for i, tag in enumerate(TAGS)}
_OTHER = len(TAGS) + 1
PART_SIZES = (4, 3, 2)
MAX_WORD = 12
"""Longer dictionary words are not looked up (jieba's are nearly all shorter)."""

SPEC = {
    "kinds": [K_WHOLE, K_HEAD, K_TAIL, K_HEAD_TAIL],
    "tags": list(TAGS),
    "part_sizes": list(PART_SIZES),
    "dictionary": "jieba dict.txt (posseg word_tag_tab)",
    "version": 1,
}


@cache
def _table() -> Mapping[str, str]:
    shipped = load_jieba_dictionary()
    if shipped is not None:
        return shipped.word_tags()  # jieba's table in its order, without jieba.posseg's parse
    import jieba.posseg  # noqa: PLC0415 - heavy (reads the dictionary): first use only

    table: Mapping[str, str] = jieba.posseg.dt.word_tag_tab
    return table


def _number(tag: str | None) -> int:
    return 0 if tag is None else _NUMBER.get(tag, _OTHER)


def word_classes(span: str) -> tuple[int, int, int]:
    """Class numbers of ``span`` as a whole word, of its first and of its last word."""
    table = _table()
    whole = _number(table.get(span))
    head = tail = 0
    for size in PART_SIZES:
        if size < len(span):
            if not head:
                head = _number(table.get(span[:size]))
            if not tail:
                tail = _number(table.get(span[-size:]))
    return whole, head, tail


@dataclass(frozen=True, slots=True)
class _Dictionary:
    """jieba's words (2 to :data:`MAX_WORD` characters): sorted string hashes, their classes."""

    hashes: np.ndarray
    classes: np.ndarray
    maybe: np.ndarray
    """A filter: ``maybe[_slot(h)]`` is False for most non-word hashes ``h``, never for words."""


_SLOT_BITS = 22
_SLOT_MIX = np.uint64(0x9E3779B97F4A7C15)


def _slot(hashes: np.ndarray) -> np.ndarray:
    """Filter slot of span hashes (the top bits of a multiplicative hash)."""
    out: np.ndarray = (hashes.astype(np.uint64) * _SLOT_MIX) >> np.uint64(64 - _SLOT_BITS)
    return out


@cache
def _dictionary() -> _Dictionary:
    words, tags = [], []
    for word, tag in _table().items():
        if 2 <= len(word) <= MAX_WORD and SEPARATOR not in word:
            words.append(word)
            tags.append(tag)
    points = np.frombuffer(SEPARATOR.join(words).encode("utf-32-le"), dtype=np.uint32)
    g, inverse = span_hashes(points.astype(np.int64))
    sizes = np.asarray([len(w) for w in words], dtype=np.int64)
    starts = np.cumsum(sizes + 1) - sizes - 1
    hashes = ((g[starts + sizes] - g[starts]) * inverse[starts]).astype(np.int64)
    unique, first = np.unique(hashes, return_index=True)
    numbers = np.asarray([_NUMBER.get(t, _OTHER) for t in tags], dtype=np.int64)
    maybe = np.zeros(1 << _SLOT_BITS, dtype=bool)
    maybe[_slot(unique)] = True
    return _Dictionary(unique, numbers[first], maybe)


def _lookup(
    dictionary: _Dictionary, hashed: tuple[np.ndarray, np.ndarray], s: np.ndarray, e: np.ndarray
) -> np.ndarray:
    """Class number of every span ``[s, e)`` of the batch (0: not a dictionary word)."""
    g, inverse = hashed
    keys = ((g[e] - g[s]) * inverse[s]).astype(np.int64)
    hashes = dictionary.hashes
    probe = np.flatnonzero(dictionary.maybe[_slot(keys)])  # most spans are no word
    at = np.minimum(np.searchsorted(hashes, keys[probe]), len(hashes) - 1)
    found = np.zeros(len(keys), dtype=np.int64)
    found[probe] = np.where(hashes[at] == keys[probe], dictionary.classes[at], 0)
    return found


def dictionary_classes(batch: Batch, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Class number of every batch span ``[start, end)`` as one dictionary word (0: none).

    The bare look-up, for readers that probe many short spans (the gap tagger of
    :mod:`~smokewatch.text.models.tagger` asks for the words starting / ending at a gap).
    """
    g, inverse = batch_hashes(batch)
    keys = ((g[end] - g[start]) * inverse[start]).astype(np.int64)
    dictionary = _dictionary()
    hashes, classes = dictionary.hashes, dictionary.classes
    probe = np.flatnonzero(dictionary.maybe[_slot(keys)])  # most spans are no word
    order = probe[np.argsort(keys[probe])]  # sorted probes: a cache-friendly search
    at = np.minimum(np.searchsorted(hashes, keys[order]), len(hashes) - 1)
    found = np.zeros(len(keys), dtype=np.int64)
    found[order] = np.where(hashes[at] == keys[order], classes[at], 0)
    return found


def word_class_numbers(
    batch: Batch, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class numbers (0: none) of spans ``[start, end)``, of their first and of their last word.

    The numpy path of :func:`word_classes` (batch positions; index ``i - 1`` of :data:`TAGS`
    for class number ``i``).
    """
    n = len(start)
    dictionary = _dictionary()
    hashed = batch_hashes(batch)
    size = end - start
    whole = np.where(size <= MAX_WORD, _lookup(dictionary, hashed, start, end), 0)
    head = np.zeros(n, dtype=np.int64)
    tail = np.zeros(n, dtype=np.int64)
    for part in PART_SIZES:
        fits = part < size
        found = _lookup(dictionary, hashed, start, np.where(fits, start + part, start + 1))
        head = np.where((head == 0) & fits, found, head)
        found = _lookup(dictionary, hashed, np.where(fits, end - part, end - 1), end)
        tail = np.where((tail == 0) & fits, found, tail)
    return whole, head, tail


def word_class_keys(
    batch: Batch,
    start: np.ndarray,
    end: np.ndarray,
    numbers: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(row, key)`` of the word-class features of spans ``[start, end)`` (batch positions).

    ``numbers``: the spans' :func:`word_class_numbers` when the caller already has them.
    """
    n = len(start)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    whole, head, tail = word_class_numbers(batch, start, end) if numbers is None else numbers
    columns = [
        key_of(K_WHOLE, whole),
        key_of(K_HEAD, head),
        key_of(K_TAIL, tail),
        key_of(K_HEAD_TAIL, (head << 8) | tail),
    ]
    return np.tile(np.arange(n), len(columns)), np.concatenate(columns)


__all__ = [
    "SPEC",
    "TAGS",
    "dictionary_classes",
    "word_class_keys",
    "word_class_numbers",
    "word_classes",
]
