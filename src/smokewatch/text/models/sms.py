"""The SMS / short-text fraud model: normal SMS or one of four telecom-fraud types.

Trained on the telecom-fraud texts (see :mod:`smokewatch.text.models.training`). In that data
the normal class is real operator and marketing SMS, with the corpus's own placeholders
(``DIGIT``, ``URL``, ``PLACE``, ``NAME``, ``PHONE``), sender tags 【中国联通】 and opt-out
boilerplate (回复TD退订), while the fraud classes are call-transcript-like narratives with
real numbers and links. A model that learns those surface marks learns the corpus, not fraud,
and would fail on a real fraud SMS that carries a sender tag. :func:`neutralise` therefore
removes or unifies them *before* any feature is taken, on training and prediction alike:

* sender tags 【…】 and opt-out phrases (回复TD退订, 退订回T …) are dropped;
* digit runs, phone numbers and the ``DIGIT``/``PHONE``/``CELLPHONE``/``HOTLINE`` placeholders
  all become ``0``; URLs, bare domains and the ``URL`` placeholder become ``U``;
  ``PLACE``/``NAME``/``XXX``-style placeholders become ``X``;
* Latin letters are upper-cased and full-width folded, white space collapsed.

The classifier is a one-vs-rest linear SVM (C 2, balanced class weights) over char 2–4-grams
of the neutralised text, with TF-IDF weights; a softmax temperature chosen out-of-fold turns
its margins into probabilities (:mod:`~smokewatch.text.models.calibration`). Its reasons are
the n-grams that pushed the decision most. Round 7 of ``contrib/experiments/text_models.md``
chose the SVM over the logistic regression of earlier rounds on 12 out-of-fold seeds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from smokewatch.errors import ConfigError
from smokewatch.ml.artefact import load_artefact
from smokewatch.text.models.base import KIND, Reason, TextPrediction
from smokewatch.text.models.encoding import (
    Alphabet,
    KeyIndex,
    kind_of,
    ngram_keys,
    payload_of,
    tfidf_matrix,
    top_contributions,
)
from smokewatch.text.models.features import char_ngrams, normalise, spec_hash
from smokewatch.text.models.linear import LinearModel

SMS_TASK = "sms-fraud"
ORDERS = (2, 3, 4)

_SENDER = re.compile(r"【[^】]{0,20}】|\[[^\]]{0,12}\]")
_OPT_OUT = re.compile(
    r"(?:回复|回|发送)?\s*(?:TD|T|N|0000|退订)\s*(?:可)?退订|退订回\w{1,4}|拒收请回复\w{1,4}"
)
# host names as DNS bounds them (labels of ≤ 63 characters; here ≤ 9 labels and a known
# top-level domain): unbounded, a long run of digits or letters cost time quadratic in its length
_URL = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9./?=&%#:~+_-]*"
    r"|[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.(?:com|cn|net|cc|me|top|xyz|vip)"
    r"(?:/[A-Za-z0-9./?=&%#:~+_-]*)?"
    r"|URL",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?:CELLPHONE|HOTLINE|PHONE|DIGIT|\d)+(?:[.,]\d+)*")
_MASK = re.compile(r"(?:PLACENAME|PLACE|NAME)+|X{2,}|\*{2,}")

SPEC: dict[str, Any] = {
    "task": SMS_TASK,
    "version": 3,
    "neutralise": [_SENDER.pattern, _OPT_OUT.pattern, _URL.pattern, _NUMBER.pattern, _MASK.pattern],
    "orders": list(ORDERS),
    "weighting": "sublinear tf-idf, l2",
    "keys": "kind = order << 56 | 14-bit alphabet ids",
}
FEATURE_NAMES = ["c: char n-grams of the neutralised text", f"spec:{spec_hash(SPEC)}"]


def neutralise(text: str) -> str:
    """Remove the corpus-specific surface marks (see the module docstring).

    Examples:
        >>> neutralise("【中国联通】尊敬的用户，请访问https://u.10010.cn/qAE9U领取50元，回复TD退订。")
        '尊敬的用户,请访问U领取0元,。'
    """
    text = normalise(text)
    text = _SENDER.sub("", text)
    text = _OPT_OUT.sub("", text)
    text = _URL.sub("U", text)
    text = _NUMBER.sub("0", text)
    return _MASK.sub("X", text).strip()


def sms_features(text: str) -> list[str]:
    """Char n-grams of the neutralised text, as readable strings (for inspection and tests)."""
    return char_ngrams(neutralise(text), ORDERS, "c:")


def ngram_rows(alphabet: Alphabet, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(text number, key)`` of every char n-gram of the neutralised texts (kind = order)."""
    batch = alphabet.encode([neutralise(t) for t in texts])
    size = len(batch.ids)
    rows, keys = [], []
    for order in ORDERS:
        positions, k = ngram_keys(batch.ids, np.arange(max(size - order + 1, 0)), order, order)
        rows.append(batch.doc[positions])
        keys.append(k)
    return np.concatenate(rows), np.concatenate(keys)


class SmsFraudModel:
    """Fraud type of short texts (task ``sms-fraud``)."""

    task = SMS_TASK

    def __init__(
        self,
        labels: Sequence[str],
        model: LinearModel,
        alphabet: Alphabet,
        keys: np.ndarray,
        idf: np.ndarray,
        *,
        folder: Path | None = None,
        metrics: Mapping[str, Any] | None = None,
    ) -> None:
        self.labels = tuple(labels)
        self.model = model
        self.alphabet = alphabet
        self.index = KeyIndex(keys)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.folder = folder
        self.metrics = dict(metrics or {})
        w = np.asarray(model.weights, dtype=np.float64)
        self._relative = w - w.mean(axis=1, keepdims=True)
        self._names: dict[int, str] = {}

    @classmethod
    def load(cls, folder: Path) -> SmsFraudModel:
        """Load a verified ``sms-fraud`` artefact (see :func:`load_text_model`)."""
        art = load_artefact(folder, kind=KIND, task=SMS_TASK, feature_names=FEATURE_NAMES)
        try:
            alphabet = Alphabet(str(art.parts["alphabet"]))
            model = LinearModel(art.arrays["weights"], art.arrays["bias"])
            keys, idf = art.arrays["keys"], art.arrays["idf"]
            if not len(keys) == len(idf) == model.n_features:
                raise ValueError("keys, idf and weights differ in length")
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"{folder}: incomplete sms-fraud artefact ({exc})") from exc
        return cls(
            art.manifest.labels,
            model,
            alphabet,
            keys,
            idf,
            folder=Path(folder),
            metrics=art.manifest.metrics,
        )

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """TF-IDF rows of the texts over the model's columns."""
        rows, keys = ngram_rows(self.alphabet, texts)
        return tfidf_matrix(rows, self.index.lookup(keys), len(texts), self.idf)

    def _name(self, column: int) -> str:
        name = self._names.get(column)
        if name is None:
            key = int(self.index.keys[column])
            order = kind_of(key)
            name = "text: " + self.alphabet.decode_ngram(payload_of(key), order)
            self._names[column] = name
        return name

    def predict(self, texts: Sequence[str]) -> list[TextPrediction]:
        """Category, probabilities and reasons for every text (no subject)."""
        if not texts:
            return []
        matrix = self.matrix(texts)
        probabilities = self.model.probabilities(matrix)
        best = np.argmax(probabilities, axis=1)
        contributions = top_contributions(matrix, self._relative, best, top=5)
        rounded = np.round(probabilities, 6).tolist()
        labels = self.labels
        return [
            TextPrediction(
                category=labels[b],
                probabilities=dict(zip(labels, p, strict=True)),
                reasons=tuple(Reason(self._name(j), w) for j, w in top),
            )
            for b, p, top in zip(best.tolist(), rounded, contributions, strict=True)
        ]


__all__ = [
    "FEATURE_NAMES",
    "SMS_TASK",
    "SPEC",
    "SmsFraudModel",
    "neutralise",
    "ngram_rows",
    "sms_features",
]
