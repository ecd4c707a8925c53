"""Polynomial span hashes of code points, and the gazetteer of known subject names.

A span's hash is computed from prefix sums in O(1) (:func:`span_hashes`), so every candidate
span of a batch, every dictionary word probe and every gazetteer name can be compared as one
integer. :class:`Gazetteer` uses it to find names seen as subjects in training anywhere in a
batch without a Python loop.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from smokewatch.text.models.encoding import SEPARATOR, Batch, KeyIndex

_P = np.uint64(0x100000001B3)


class Gazetteer:
    """Names known as subjects (from training), found anywhere in a batch with numpy.

    A name is looked up by its string hash at every position whose first two characters
    start some name (an exact table lookup), for every name length; this finds every
    occurrence, overlaps included, like an Aho–Corasick pass but without a Python loop.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(sorted({n for n in names if len(n) >= 2 and SEPARATOR not in n}))
        self._set = frozenset(self.names)
        hashes, bigrams = [], []
        for name in self.names:
            points = np.frombuffer(name.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
            g, _ = span_hashes(points)
            hashes.append(int(g[-1]))
            bigrams.append((int(points[0]) << 21) | int(points[1]))
        self._hashes = KeyIndex(np.unique(np.asarray(hashes, dtype=np.uint64).astype(np.int64)))
        keys, which = np.unique(np.asarray(bigrams, dtype=np.int64), return_inverse=True)
        self._bigrams = KeyIndex(keys)
        lengths = np.asarray([len(n) for n in self.names], dtype=np.int64)
        # per first bigram, a bit for every length of the names it starts (bit 63: 63 or more)
        self._length_bits = np.zeros(len(keys), dtype=np.uint64)
        np.bitwise_or.at(self._length_bits, which.reshape(-1), _length_bits(lengths))
        self._lengths = np.unique(lengths)

    def find_in(self, points: np.ndarray, g: np.ndarray, inverse: np.ndarray) -> np.ndarray:
        """``(start, end)`` rows of every name found in code points (see :func:`span_hashes`)."""
        if not self.names or len(points) < 2:
            return np.zeros((0, 2), dtype=np.int64)
        pairs = (points[:-1] << 21) | points[1:]
        column = self._bigrams.lookup(pairs)
        starts = np.flatnonzero(column >= 0)
        bits = self._length_bits[column[starts]]
        found = []
        for size in self._lengths.tolist():
            # only where a name of this length starts with the bigram found there
            s = starts[(bits & np.uint64(1 << min(size, 63))) != 0]
            s = s[s + size <= len(points)]
            h = ((g[s + size] - g[s]) * inverse[s]).astype(np.int64)
            s = s[self._hashes.lookup(h) >= 0]
            found.append(np.stack([s, s + size], axis=1))
        return np.concatenate(found)

    def find(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every gazetteer name in ``text`` (overlaps included)."""
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        if len(points) < 2:
            return []
        g, inverse = span_hashes(points)
        return sorted((int(a), int(b)) for a, b in self.find_in(points, g, inverse))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._set


def _length_bits(lengths: np.ndarray) -> np.ndarray:
    """The bit of each name length in :class:`Gazetteer`'s masks (63 or more share bit 63)."""
    bits: np.ndarray = np.left_shift(np.uint64(1), np.minimum(lengths, 63).astype(np.uint64))
    return bits


def span_hashes(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Prefix sums for polynomial span hashes: ``hash(s, e) = (g[e] - g[s]) * inv[s]``."""
    n = len(points)
    powers = np.empty(n, dtype=np.uint64)
    powers[0] = 1
    if n > 1:
        powers[1:] = _P
        powers = np.cumprod(powers, dtype=np.uint64)
    inverse_p = np.uint64(pow(int(_P), -1, 1 << 64))
    inverse = np.empty(n + 1, dtype=np.uint64)
    inverse[0] = 1
    inverse[1:] = inverse_p
    inverse = np.cumprod(inverse, dtype=np.uint64)
    g = np.zeros(n + 1, dtype=np.uint64)
    g[1:] = np.cumsum((points.astype(np.uint64) + np.uint64(1)) * powers, dtype=np.uint64)
    return g, inverse


def batch_hashes(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """:func:`span_hashes` of the batch's code points, computed once per batch.

    The candidates, the rich ranker's word classes and the news reranker all hash spans of
    the same batch.
    """
    hashed: tuple[np.ndarray, np.ndarray] | None = batch.memo.get("span_hashes")
    if hashed is None:
        hashed = batch.memo["span_hashes"] = span_hashes(batch.points)
    return hashed


__all__ = ["Gazetteer", "batch_hashes", "span_hashes"]
