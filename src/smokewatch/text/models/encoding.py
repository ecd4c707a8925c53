"""Vectorised text features: a batch of texts as arrays, integer feature keys, exact columns.

Round 1 built Python strings for every feature (``"c:非法吸"``) and looked them up in dicts;
that costs far more than the model itself. Here a whole batch is handled at once with numpy:

* :class:`Alphabet` gives every known character a small id (0 = unknown, space or the
  separator between texts); :meth:`Alphabet.encode` joins the folded texts with the ASCII
  unit separator and returns a :class:`Batch` of code points, character ids and text offsets.
* A feature is an integer *key*: ``kind << 56 | payload``. A char n-gram's payload packs the
  ids of its characters (14 bits each, up to four characters), so keys are exact — no hashing
  collisions — and readable again with :meth:`Alphabet.decode_ngram`.
* :class:`KeyIndex` maps keys to model columns exactly (an open-addressing table probed with
  numpy), and :func:`tfidf_matrix` turns ``(row, column)`` pairs into the l2-normalised
  sublinear TF-IDF rows of :class:`~smokewatch.text.models.features.Vocabulary`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

SEPARATOR = "\x1f"
"""Joins the texts of a batch (ASCII unit separator; replaced by a space inside a text)."""
CHAR_BITS = 14
MAX_CHARS = (1 << CHAR_BITS) - 1
KIND_SHIFT = 56
_UNICODE = 0x110000
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BLOCK = 256


def key_of(kind: int, payload: np.ndarray | int) -> np.ndarray:
    """Feature keys ``kind << 56 | payload`` (payloads must fit in 56 bits)."""
    return (np.int64(kind) << np.int64(KIND_SHIFT)) | np.asarray(payload, dtype=np.int64)


def kind_of(key: int) -> int:
    """The kind of a feature key."""
    return int(key) >> KIND_SHIFT


def payload_of(key: int) -> int:
    """The payload of a feature key."""
    return int(key) & ((1 << KIND_SHIFT) - 1)


@dataclass(frozen=True, slots=True)
class Batch:
    """Texts of one batch as arrays; positions are offsets into :attr:`joined`."""

    texts: Sequence[str]
    """The (folded) texts."""
    joined: str
    """``SEPARATOR.join(texts) + SEPARATOR``."""
    points: np.ndarray
    """Code point of every character of :attr:`joined` (int64)."""
    ids: np.ndarray
    """Alphabet id of every character (int64; 0 = unknown, space or separator)."""
    starts: np.ndarray
    """Offset of every text in :attr:`joined`; ``starts[i] + len(texts[i])`` is its separator."""
    doc: np.ndarray
    """Text number of every position (a separator belongs to the text before it)."""
    ends: np.ndarray
    """Offset just past every text (the position of its separator)."""
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Arrays derived from the batch once and shared by its readers (e.g. span hashes)."""


class Alphabet:
    """Characters with their ids (1-based, in the order given)."""

    def __init__(self, chars: str) -> None:
        if len(chars) > MAX_CHARS:
            raise ValueError(f"an alphabet holds at most {MAX_CHARS} characters")
        if " " in chars or SEPARATOR in chars:
            raise ValueError("space and the separator cannot be alphabet characters")
        self.chars = chars
        self._table = np.zeros(_UNICODE, dtype=np.int16)
        if chars:
            points = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32)
            self._table[points] = np.arange(1, len(chars) + 1, dtype=np.int16)

    @classmethod
    def fit(cls, texts: Iterable[str], *, min_df: int = 2) -> Alphabet:
        """Characters found in at least ``min_df`` texts, most frequent first."""
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(text))
        df.pop(" ", None)
        df.pop(SEPARATOR, None)
        kept = sorted((c for c, n in df.items() if n >= min_df), key=lambda c: (-df[c], c))
        return cls("".join(kept[:MAX_CHARS]))

    def encode(self, texts: Sequence[str]) -> Batch:
        """A batch of (already folded) texts as arrays."""
        joined = SEPARATOR.join(texts) + SEPARATOR
        if joined.count(SEPARATOR) != len(texts):
            texts = [t.replace(SEPARATOR, " ") for t in texts]
            joined = SEPARATOR.join(texts) + SEPARATOR
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        return self._batch(texts, joined, points)

    def _batch(self, texts: Sequence[str], joined: str, points: np.ndarray) -> Batch:
        ids = self._table[points].astype(np.int64)
        lengths = np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts))
        starts = np.zeros(len(texts), dtype=np.int64)
        if len(texts) > 1:
            starts[1:] = np.cumsum(lengths)[:-1]
        doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        return Batch(texts, joined, points, ids, starts, doc, starts + lengths - 1)

    def encode_folded(self, texts: Sequence[str], table: np.ndarray) -> Batch:
        """Fold the texts with a code-point table (one character for one) and encode them.

        ``table[code point]`` is the folded code point; the whole batch is folded in one numpy
        gather instead of one ``str.translate`` per text.
        """
        joined = SEPARATOR.join(texts) + SEPARATOR
        if joined.count(SEPARATOR) != len(texts):
            texts = [t.replace(SEPARATOR, " ") for t in texts]
            joined = SEPARATOR.join(texts) + SEPARATOR
        raw = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        points = table[raw]
        folded = points.tobytes().decode("utf-32-le")
        return self._batch(folded.split(SEPARATOR)[:-1], folded, points.astype(np.int64))

    def decode_ngram(self, payload: int, order: int) -> str:
        """The characters packed in an n-gram payload (see :func:`ngram_keys`)."""
        mask = (1 << CHAR_BITS) - 1
        chars = []
        for k in range(order - 1, -1, -1):
            i = (payload >> (k * CHAR_BITS)) & mask
            chars.append(self.chars[i - 1] if 0 < i <= len(self.chars) else "?")
        return "".join(chars)


def ngram_keys(
    ids: np.ndarray, positions: np.ndarray, order: int, kind: int
) -> tuple[np.ndarray, np.ndarray]:
    """Keys of the n-grams starting at ``positions``; returns ``(kept positions, keys)``.

    An n-gram with an unknown character, a space or a separator is dropped (it can never be a
    column: every column's characters are in the alphabet). The caller makes sure
    ``positions + order`` stays inside ``ids``.
    """
    payload = ids[positions].copy()
    ok = payload > 0
    for k in range(1, order):
        nxt = ids[positions + k]
        ok &= nxt > 0
        payload = (payload << CHAR_BITS) | nxt
    return positions[ok], key_of(kind, payload[ok])


def expand_ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All integers of the ranges ``[lo, hi)``; returns ``(range number, value)`` arrays."""
    lengths = np.maximum(hi - lo, 0)
    total = int(lengths.sum())
    which = np.repeat(np.arange(len(lo), dtype=np.int64), lengths)
    if total == 0:
        return which, np.zeros(0, dtype=np.int64)
    firsts = np.cumsum(lengths) - lengths
    values = np.arange(total, dtype=np.int64) - np.repeat(firsts - lo, lengths)
    return which, values


def range_ngrams(
    ids: np.ndarray, lo: np.ndarray, hi: np.ndarray, order: int, kind: int
) -> tuple[np.ndarray, np.ndarray]:
    """Keys of the n-grams lying inside each range ``[lo, hi)``: ``(range number, keys)``."""
    which, positions = expand_ranges(lo, hi - order + 1)
    payload = ids[positions].copy() if len(positions) else np.zeros(0, dtype=np.int64)
    ok = payload > 0
    for k in range(1, order):
        nxt = ids[positions + k]
        ok &= nxt > 0
        payload = (payload << CHAR_BITS) | nxt
    return which[ok], key_of(kind, payload[ok])


class KeyIndex:
    """Exact map from feature keys to columns ``0..n-1`` (numpy open addressing)."""

    def __init__(self, keys: np.ndarray) -> None:
        self.keys = np.asarray(keys, dtype=np.int64)
        if len(np.unique(self.keys)) != len(self.keys):
            raise ValueError("feature keys must be unique")
        bits = max(10, int(np.ceil(np.log2(max(len(self.keys), 1) * 4))))
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._slots = np.full(1 << bits, -1, dtype=np.int64)
        self._slot_keys = np.zeros(1 << bits, dtype=np.int64)
        pending = np.arange(len(self.keys), dtype=np.int64)
        home = self._home(self.keys)
        probe = 0
        while len(pending):
            slot = (home[pending] + probe) & self._mask
            free = self._slots[slot] < 0
            # among keys wanting the same free slot, the first one takes it
            _, first = np.unique(slot, return_index=True)
            take = np.zeros(len(pending), dtype=bool)
            take[first] = True
            take &= free
            self._slots[slot[take]] = pending[take]
            self._slot_keys[slot[take]] = self.keys[pending[take]]
            pending = pending[~take]
            probe += 1
        self._probes = probe

    def _home(self, keys: np.ndarray) -> np.ndarray:
        mixed = keys.astype(np.uint64) * _MIX
        return (mixed >> self._shift).astype(np.int64)

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Column of every key, -1 for keys that are not columns."""
        keys = np.asarray(keys, dtype=np.int64)
        out = np.full(len(keys), -1, dtype=np.int64)
        if not len(keys) or not len(self.keys):
            return out
        home = self._home(keys)
        pending = np.arange(len(keys), dtype=np.int64)
        for probe in range(self._probes):
            slot = (home[pending] + probe) & self._mask
            column = self._slots[slot]
            hit = (column >= 0) & (self._slot_keys[slot] == keys[pending])
            out[pending[hit]] = column[hit]
            pending = pending[~hit & (column >= 0)]
            if not len(pending):
                break
        return out


def count_matrix(
    rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    """Counts of ``(row, column)`` pairs as a CSR matrix (pairs with column -1 are dropped).

    The matrix is canonical (columns sorted in each row, no duplicates), as scipy's own
    ``sum_duplicates`` leaves it: one sort of ``row · width + column`` builds it in half the
    time scipy takes from COO.
    """
    n_rows, width = shape
    keep = columns >= 0
    pairs = np.sort(rows[keep].astype(np.int64) * width + columns[keep])
    first = np.ones(len(pairs), dtype=bool)
    np.not_equal(pairs[1:], pairs[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(pairs))).astype(np.float64)
    row, column = np.divmod(pairs[starts], width)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_rows), out=indptr[1:])
    index = np.int32 if max(len(starts), width, n_rows) <= np.iinfo(np.int32).max else np.int64
    matrix = sparse.csr_matrix(
        (counts, column.astype(index), indptr.astype(index)), shape=shape, copy=False
    )
    matrix.has_canonical_format = True
    return matrix


def binary_matrix(
    rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    """1 for every ``(row, column)`` pair present (column -1 dropped, duplicates once)."""
    matrix = count_matrix(rows, columns, shape)
    matrix.data[:] = 1.0
    return matrix


def tfidf_matrix(
    rows: np.ndarray, columns: np.ndarray, n_rows: int, idf: np.ndarray
) -> sparse.csr_matrix:
    """Sublinear TF-IDF rows, l2-normalised (the formulas of ``Vocabulary.transform``)."""
    matrix = count_matrix(rows, columns, (n_rows, len(idf)))
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    squares = np.bincount(
        np.repeat(np.arange(n_rows), np.diff(matrix.indptr)), matrix.data**2, minlength=n_rows
    )
    norms = np.sqrt(squares)
    norms[norms == 0.0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
    return matrix


def fit_columns(
    rows: np.ndarray, keys: np.ndarray, *, min_df: int, n_rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """Keys found in at least ``min_df`` rows (sorted) and their smoothed idf weights."""
    pairs = np.unique(np.stack([keys, rows]), axis=1)
    unique, df = np.unique(pairs[0], return_counts=True)
    kept = df >= min_df
    idf = np.log((1 + n_rows) / (1 + df[kept])) + 1.0
    return unique[kept], idf.astype(np.float64)


def top_contributions(
    matrix: sparse.csr_matrix, relative: np.ndarray, best: np.ndarray, *, top: int
) -> list[list[tuple[int, float]]]:
    """Per row, the ``top`` columns with the largest positive ``x · relative[:, best]``.

    Contributions are rounded to 4 decimals; ties go to the lower column, so a text gets the
    same reasons alone or in any batch. Rows are padded into one dense block so a single
    ``argpartition`` finds every row's best entries (sorting all non-zeros costs far more).
    """
    n_rows = matrix.shape[0]
    out: list[list[tuple[int, float]]] = [[] for _ in range(n_rows)]
    if not matrix.nnz:
        return out
    counts = np.diff(matrix.indptr)
    row_of = np.repeat(np.arange(n_rows), counts)
    scaled = np.round(matrix.data * relative[matrix.indices, best[row_of]] * 1e4)
    positive = np.flatnonzero(scaled > 0.0)
    if not len(positive):
        return out
    row_of, columns = row_of[positive], matrix.indices[positive].astype(np.int64)
    # one sortable integer: the rounded value first, then the lower column
    order_key = (scaled[positive].astype(np.int64) << 32) | ((1 << 32) - 1 - columns)
    per_row = np.bincount(row_of, minlength=n_rows)
    width = max(min(int(per_row.max()), _BLOCK), top)
    firsts = np.cumsum(per_row) - per_row
    slot = np.arange(len(order_key)) - np.repeat(firsts, per_row)
    fits = slot < width
    block = np.full((n_rows, width), -1, dtype=np.int64)
    block[row_of[fits], slot[fits]] = order_key[fits]
    picked = np.partition(block, width - top, axis=1)[:, width - top :]
    picked = -np.sort(-picked, axis=1)
    for r in np.flatnonzero(per_row > width).tolist():  # very long texts: sort on their own
        lo, n = int(firsts[r]), int(per_row[r])
        picked[r] = -np.sort(-order_key[lo : lo + n])[:top]
    for r, row in enumerate(picked.tolist()):
        out[r] = [((1 << 32) - 1 - (k & 0xFFFFFFFF), (k >> 32) / 1e4) for k in row if k >= 0]
    return out


__all__ = [
    "CHAR_BITS",
    "KIND_SHIFT",
    "SEPARATOR",
    "Alphabet",
    "Batch",
    "KeyIndex",
    "binary_matrix",
    "count_matrix",
    "expand_ranges",
    "fit_columns",
    "key_of",
    "kind_of",
    "ngram_keys",
    "payload_of",
    "range_ngrams",
    "tfidf_matrix",
    "top_contributions",
]
