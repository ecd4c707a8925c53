"""How firmly two characters stick together: word-boundary evidence for subject spans.

Glued stock headlines have no separator between one headline's last word and the next
company's name (``…持股降至5%以下飞马国际…``, ``…签署一致行动协议雷格特(836812)…``), so the
candidate generator proposes spans that start one or two characters too early (``议雷格特``).
Chinese has no spaces, but a span that starts inside a word cuts a pair of characters that
usually stand together (协|议, 股|权, 死|亡). :class:`Cohesion` measures that from the training
texts: for every character pair ``ab`` seen at least :data:`MIN_COUNT` times, the share
``count(ab) / min(count(a), count(b))``, bucketed into :data:`LEVELS`. The subject rankers
read the level of the pair across each edge of a candidate (left neighbour + first
character, last character + right neighbour) and of its first two characters.
"""

from __future__ import annotations

import numpy as np

from smokewatch.text.models.encoding import CHAR_BITS, Batch

LEVELS = (0.01, 0.03, 0.1, 0.3)
"""Bucket edges of the pair share; level 0 = pair rare or unseen, 1..5 = increasing."""
MIN_COUNT = 3
_MASK = (1 << CHAR_BITS) - 1


class Cohesion:
    """Cohesion levels of character pairs (keys: ``id_a << 14 | id_b`` of alphabet ids)."""

    def __init__(self, keys: np.ndarray, levels: np.ndarray) -> None:
        self.keys = np.asarray(keys, dtype=np.int64)
        self.levels = np.asarray(levels, dtype=np.int8)
        if len(self.keys) != len(self.levels):
            raise ValueError("cohesion keys and levels differ in length")
        if len(np.unique(self.keys)) != len(self.keys):
            raise ValueError("cohesion keys must be unique")
        # a dense (a, b) table: one gather per pair; the last row and column stay 0 for
        # every id the table does not know (unknown characters, edges)
        first, second = self.keys >> CHAR_BITS, self.keys & _MASK
        self._size = int(max(first.max(initial=0), second.max(initial=0))) + 2
        table = np.zeros((self._size, self._size), dtype=np.int8)
        table[first, second] = self.levels
        self._table = table.ravel()

    @classmethod
    def fit(cls, batch: Batch) -> Cohesion:
        """Levels of the character pairs of a batch of (training) texts."""
        ids = batch.ids
        a, b = ids[:-1], ids[1:]
        ok = (a > 0) & (b > 0)
        pairs = (a[ok] << CHAR_BITS) | b[ok]
        keys, counts = np.unique(pairs, return_counts=True)
        single = np.bincount(ids, minlength=int(ids.max(initial=0)) + 1).astype(np.float64)
        share = counts / np.minimum(single[keys >> CHAR_BITS], single[keys & _MASK])
        level = 1 + np.searchsorted(np.asarray(LEVELS), share, side="right")
        keep = counts >= MIN_COUNT
        return cls(keys[keep], level[keep].astype(np.int8))

    def level(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Level of every pair ``(a[i], b[i])`` of alphabet ids (0 for unknown ids or pairs)."""
        edge = self._size - 1
        a = np.clip(np.asarray(a, dtype=np.int64), 0, edge)
        b = np.clip(np.asarray(b, dtype=np.int64), 0, edge)
        out: np.ndarray = self._table[a * self._size + b].astype(np.int64)
        return out


__all__ = ["LEVELS", "MIN_COUNT", "Cohesion"]
