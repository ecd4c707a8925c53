"""Sparse text features shared by training and inference: char n-grams, TF-IDF, lexicon hits.

Everything here is plain Python plus numpy/scipy, so a trained model runs without
scikit-learn. A :class:`Vocabulary` maps feature strings (``"c:非法吸"``, ``"w:立案"``,
``"k:集资诈骗"``) to columns and carries their idf weights; :meth:`Vocabulary.transform` turns
lists of feature strings into an l2-normalised TF-IDF matrix (sublinear tf, smoothed idf: the
same formulas as scikit-learn's ``TfidfVectorizer``).

Feature strings are readable on purpose: the top contributions of a linear model over them
are the model's explanation (:mod:`smokewatch.text.models.linear`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
from scipy import sparse

from smokewatch.text.matcher import fold_for_matching

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Width-fold, upper-case Latin letters and collapse white space (length may shrink).

    Examples:
        >>> normalise("Ｐ２Ｐ 平台\u3000\u3000跑路")
        'P2P 平台 跑路'
    """
    return _SPACES.sub(" ", fold_for_matching(text)).strip()


def char_ngrams(text: str, orders: Sequence[int], prefix: str = "c:") -> list[str]:
    """Every character n-gram of the given orders, prefixed; n-grams with a space are skipped.

    Examples:
        >>> char_ngrams("跑路了", (1, 2))
        ['c:跑', 'c:路', 'c:了', 'c:跑路', 'c:路了']
    """
    grams: list[str] = []
    for n in orders:
        grams.extend(
            prefix + text[i : i + n] for i in range(len(text) - n + 1) if " " not in text[i : i + n]
        )
    return grams


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Feature strings → column numbers, with the idf weight of every column."""

    index: Mapping[str, int]
    idf: np.ndarray

    @property
    def names(self) -> list[str]:
        """Feature strings in column order."""
        names = [""] * len(self.index)
        for name, column in self.index.items():
            names[column] = name
        return names

    @classmethod
    def fit(cls, documents: Iterable[Sequence[str]], *, min_df: int = 2) -> Vocabulary:
        """Columns for every feature string found in at least ``min_df`` documents."""
        df: Counter[str] = Counter()
        n_docs = 0
        for features in documents:
            df.update(set(features))
            n_docs += 1
        kept = sorted(name for name, count in df.items() if count >= min_df)
        idf = np.array(
            [np.log((1 + n_docs) / (1 + df[name])) + 1.0 for name in kept], dtype=np.float64
        )
        return cls({name: i for i, name in enumerate(kept)}, idf)

    @classmethod
    def from_names(cls, names: Sequence[str], idf: np.ndarray) -> Vocabulary:
        """Rebuild a vocabulary from its stored column names and idf weights."""
        if len(names) != len(idf):
            raise ValueError("a vocabulary needs one idf weight per name")
        return cls({name: i for i, name in enumerate(names)}, np.asarray(idf, dtype=np.float64))

    def transform(self, documents: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """TF-IDF rows (``1 + log tf`` times idf, l2-normalised); unknown strings are ignored."""
        index = self.index
        indptr = [0]
        columns: list[int] = []
        values: list[float] = []
        for features in documents:
            counts: Counter[int] = Counter()
            for name in features:
                column = index.get(name)
                if column is not None:
                    counts[column] += 1
            columns.extend(counts.keys())
            values.extend(counts.values())
            indptr.append(len(columns))
        cols = np.asarray(columns, dtype=np.int64)
        data = np.asarray(values, dtype=np.float64)
        data = (1.0 + np.log(data)) * self.idf[cols] if len(cols) else data
        matrix = sparse.csr_matrix(
            (data, cols, np.asarray(indptr, dtype=np.int64)),
            shape=(len(documents), len(self.index)),
        )
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


class Triggers:
    """Trigger words of event types, found in text with Aho–Corasick (overlaps included).

    Built from a mapping ``label → words`` (see ``triggers.yml``); a word may belong to several
    labels.
    """

    def __init__(self, lexicon: Mapping[str, Sequence[str]]) -> None:
        self.lexicon = {label: sorted(set(words)) for label, words in sorted(lexicon.items())}
        self.words = sorted({normalise(w) for words in self.lexicon.values() for w in words})
        self._automaton = ahocorasick.Automaton()
        for number, word in enumerate(self.words):
            self._automaton.add_word(word, (number, word))
        if self.words:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, str]]:
        """``(start, word)`` of every trigger word in a folded text, sorted by start."""
        if not self.words:
            return []
        return sorted((end + 1 - len(word), word) for end, (_, word) in self._automaton.iter(text))

    def find_all(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``(starts, word numbers)`` of every trigger word in a (joined) text, by start.

        Word numbers index :attr:`words`.
        """
        if not self.words:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        found = [(end + 1 - len(word), n) for end, (n, word) in self._automaton.iter(text)]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        arr = np.asarray(found, dtype=np.int64)
        order = np.lexsort((arr[:, 1], arr[:, 0]))
        return arr[order, 0], arr[order, 1]


def load_triggers() -> dict[str, list[str]]:
    """The packaged trigger lexicon (``triggers.yml`` beside this module)."""
    import yaml  # noqa: PLC0415 - read once per training run, not at import

    path = Path(__file__).with_name("triggers.yml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(label): [str(w) for w in words] for label, words in data.items()}


def spec_hash(spec: Mapping[str, Any]) -> str:
    """A short stable hash of a feature specification (sorted JSON, sha256)."""
    payload = json.dumps(spec, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:16]


__all__ = [
    "Triggers",
    "Vocabulary",
    "char_ngrams",
    "load_triggers",
    "normalise",
    "spec_hash",
]
