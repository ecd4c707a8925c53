"""The presence step: does a news sentence name a company subject, and how that moves 其他."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from smokewatch.text.models import presence as pr
from smokewatch.text.models.encoding import Alphabet
from smokewatch.text.models.tagger import BITS, Tagger

_FLOOR = -12.0


def _lp(starts: list[float], ends: list[float], insides: list[float]) -> np.ndarray:
    return np.column_stack([starts, ends, insides]).astype(np.float64)


def test_the_features_read_the_best_gaps_and_the_best_span_of_each_text() -> None:
    # text A: 3 characters (4 gaps), a confident span [1, 3); text B: 1 character (2 gaps)
    a = _lp([-5, -0.1, -6, -7], [-8, -6, -0.2, -3], [-9, -9, -0.3, -9])
    b = _lp([-2, -4], [-6, -1], [-5, -5])
    x = pr.tagger_features(np.vstack([a, b]), np.asarray([4, 2]))
    names = {n: i for i, n in enumerate(pr.TAGGER_FEATURES)}
    assert x[0, names["presence: best start log-prob"]] == pytest.approx(-0.1)
    assert x[0, names["presence: best end log-prob"]] == pytest.approx(-0.2)
    # span [1, 3): start gap 1, inside gap 2, end gap 3 would be -0.1 - 0.3 - 3; the best is
    # [1, 2): start gap 1 + end gap 2 = -0.3 (no inner gap)
    assert x[0, names["presence: best span, sum of log-probs"]] == pytest.approx(-0.3)
    assert x[0, names["presence: best span, mean log-prob"]] == pytest.approx(-0.15)
    assert x[0, names["presence: best span, length"]] == 1
    assert x[0, names["presence: gaps with P(start) > 0.5 (log1p)"]] == pytest.approx(np.log(2))
    assert x[0, names["presence: log text length"]] == pytest.approx(np.log(4))
    # text B has one span only: [0, 1) = start gap 0 + end gap 1
    assert x[1, names["presence: best span, sum of log-probs"]] == pytest.approx(-3.0)
    assert x[1, names["presence: gaps with P(start) > 0.2 (log1p)"]] == 0


def _best_spans_by_loops(lp: np.ndarray, sizes: list[int]) -> list[tuple[float, float, int]]:
    """Per text: the best span's sum and mean of log-probs and its length, span by span."""
    out, first = [], 0
    for size in sizes:
        best_sum, best_mean, best_len = -np.inf, -np.inf, 0
        for g in range(first, first + size):
            for length in range(1, min(pr.MAX_SPAN, first + size - 1 - g) + 1):
                total = lp[g, 0] + lp[g + length, 1] + lp[g + 1 : g + length, 2].sum()
                best_sum = max(best_sum, total)
                if total / (length + 1) > best_mean:
                    best_mean, best_len = total / (length + 1), length
        out.append((best_sum, best_mean, best_len))
        first += size
    return out


@pytest.mark.parametrize("seed", range(5))
def test_the_best_span_is_the_best_of_every_span_up_to_the_longest(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 45, size=12).tolist()  # texts longer and shorter than MAX_SPAN
    lp = np.maximum(np.log(rng.uniform(size=(sum(sizes), 3))) * 3, _FLOOR)
    x = pr.tagger_features(lp, np.asarray(sizes))
    names = {n: i for i, n in enumerate(pr.TAGGER_FEATURES)}
    for row, (best_sum, best_mean, best_len) in enumerate(_best_spans_by_loops(lp, sizes)):
        assert x[row, names["presence: best span, sum of log-probs"]] == pytest.approx(best_sum)
        assert x[row, names["presence: best span, mean log-prob"]] == pytest.approx(best_mean)
        assert x[row, names["presence: best span, length"]] == best_len


def test_spans_longer_than_the_longest_are_not_read() -> None:
    size = pr.MAX_SPAN + 5
    lp = np.full((size, 3), _FLOOR)
    lp[:, 2] = 0.0  # every gap surely inside
    lp[0, 0] = 0.0  # a sure start at gap 0; a likely end MAX_SPAN later, a sure one after it
    lp[pr.MAX_SPAN, 1] = -1.0
    lp[pr.MAX_SPAN + 1, 1] = 0.0
    x = pr.tagger_features(lp, np.asarray([size]))
    names = {n: i for i, n in enumerate(pr.TAGGER_FEATURES)}
    assert x[0, names["presence: best span, sum of log-probs"]] == -1.0
    assert x[0, names["presence: best span, length"]] == pr.MAX_SPAN


def test_a_text_without_characters_gets_floor_features_not_infinities() -> None:
    x = pr.tagger_features(_lp([_FLOOR], [_FLOOR], [_FLOOR]), np.asarray([1]))
    assert np.isfinite(x).all()


def test_the_shift_raises_the_other_score_with_the_probability_of_no_subject() -> None:
    tagger = Tagger(np.zeros((1 << BITS, 3), dtype=np.float32), np.zeros(3))
    coef = np.zeros(len(pr.COLUMNS))
    coef[0] = 1.0  # P(no subject) follows the event model's 其他 log-odds here
    step = pr.Presence(tagger, coef, 0.0, 2.0)
    x = np.zeros((3, len(pr.COLUMNS)))
    x[:, 0] = [-3.0, 0.0, 3.0]
    p, shift = step.shift(x)
    assert np.all(np.diff(p) > 0)
    assert shift.tolist() == pytest.approx([-6.0, 0.0, 6.0])
    assert not pr.Presence.off().shift(x)[1].any()


def test_the_stacker_s_raw_weights_give_the_standardised_model_s_probabilities() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 4)) * [1.0, 10.0, 0.1, 3.0] + [0.0, 5.0, -2.0, 1.0]
    y = (x[:, 0] + 0.2 * x[:, 1] - 5 * x[:, 2] + rng.normal(size=400) > 11).astype(int)
    assert 50 < y.sum() < 350
    coef, intercept = pr.fit_stacker(x, y)
    reference = make_pipeline(StandardScaler(), LogisticRegression(C=pr.STACKER_C, max_iter=3000))
    expected = reference.fit(x, y).predict_proba(x)[:, 1]
    assert 1 / (1 + np.exp(-(x @ coef + intercept))) == pytest.approx(expected, abs=1e-6)


def test_a_stacker_of_one_class_is_a_constant() -> None:
    coef, intercept = pr.fit_stacker(np.ones((5, 3)), np.ones(5, dtype=int))
    assert not coef.any()
    assert intercept > 0


_COMPANIES = ["聚财猫", "钱妈妈", "金银猫", "草根投资", "善林金融", "多点金服"]
_PERSONS = ["王某夫妇", "邹某某", "该平台", "多家平台", "李某等人", "部分机构"]


def _sentence(rng: random.Random, actor: str) -> str:
    place = rng.choice(["上海", "杭州", "深圳", "北京"])
    if rng.random() < 0.5:
        return f"据{place}警方通报，{actor}涉嫌非法吸收公众存款，已被立案侦查"
    return f"{place}市公安局近日立案，{actor}涉嫌集资诈骗，投资人众多"


def test_a_tagger_fitted_with_subjectless_sentences_tells_them_from_named_companies() -> None:
    rng = random.Random(5)
    texts, golds = [], []
    for i in range(240):
        named = i % 2 == 0
        actor = rng.choice(_COMPANIES if named else _PERSONS)
        texts.append(_sentence(rng, f"“{actor}”平台" if named else actor))
        golds.append({actor} if named else set())
    batch = Alphabet.fit(texts, min_df=1).encode(texts)
    fit, held = np.arange(0, 200), np.arange(200, 240)
    tagger = Tagger.fit(batch, fit, [golds[d] for d in fit.tolist()])
    gate = np.zeros(len(texts), dtype=bool)
    gate[held] = True
    x = pr.columns(tagger, batch, gate, np.zeros((len(texts), 2)), 0)
    best = x[held, pr.COLUMNS.index("presence: best span, mean log-prob")]
    named = np.asarray([bool(golds[d]) for d in held.tolist()])
    assert best[named].min() > best[~named].max()
    assert not x[~gate][:, 3:].any()  # the tagger reads the gated texts only
