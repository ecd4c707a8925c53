"""Character-pair cohesion: pairs inside words stick, pairs across a word boundary do not."""

from __future__ import annotations

import numpy as np

from smokewatch.text.models.cohesion import MIN_COUNT, Cohesion
from smokewatch.text.models.encoding import Alphabet

_TEXTS = [
    "签署协议",
    "签署一致行动协议",
    "协议转让",
    "股权协议",
    "雷格特公告",
    "议案通过",
    "协议雷格特",
]


def _levels(cohesion: Cohesion, alphabet: Alphabet, pairs: list[str]) -> list[int]:
    a = np.asarray([alphabet.encode([p]).ids[0] for p in pairs])
    b = np.asarray([alphabet.encode([p]).ids[1] for p in pairs])
    return [int(x) for x in cohesion.level(a, b)]


def test_a_pair_inside_a_word_is_more_cohesive_than_one_across_words() -> None:
    alphabet = Alphabet.fit(_TEXTS, min_df=1)
    cohesion = Cohesion.fit(alphabet.encode(_TEXTS))
    inside, across = _levels(cohesion, alphabet, ["协议", "议雷"])
    assert inside > across


def test_rare_and_unknown_pairs_have_level_zero() -> None:
    alphabet = Alphabet.fit([*_TEXTS, "甲乙"], min_df=1)
    cohesion = Cohesion.fit(alphabet.encode(_TEXTS))
    assert _levels(cohesion, alphabet, ["议雷", "甲乙"]) == [0, 0]  # seen once; never seen
    assert MIN_COUNT > 1
    unknown = np.asarray([0, 10**6])
    assert cohesion.level(unknown, unknown).tolist() == [0, 0]


def test_cohesion_survives_its_arrays() -> None:
    alphabet = Alphabet.fit(_TEXTS, min_df=1)
    cohesion = Cohesion.fit(alphabet.encode(_TEXTS))
    again = Cohesion(cohesion.keys, cohesion.levels)
    pairs = ["协议", "签署", "议雷"]
    assert _levels(again, alphabet, pairs) == _levels(cohesion, alphabet, pairs)
