"""The headline chooser: a conditional logit over a glued text's best candidates."""

from __future__ import annotations

import numpy as np
import pytest

from smokewatch.text.models import headline
from smokewatch.text.models.encoding import Alphabet
from smokewatch.text.models.subjects import stock_codes

LABELS = ("其他", "信批违规", "实控人股东变更")
_GLUED = "华润三九(000999)天气晴好全市居民消费价格上涨文峰股份(600001)控股股东减持5%股份"


def _spans(text: str, names: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    start = np.asarray([[text.find(n) if n else -1 for n in names]], dtype=np.int64)
    end = np.asarray([[text.find(n) + len(n) if n else -1 for n in names]], dtype=np.int64)
    return start, end


def _shape(names: list[str | None], gap: list[float]) -> tuple[np.ndarray, np.ndarray]:
    batch = Alphabet.fit([_GLUED]).encode([_GLUED])
    start, end = _spans(_GLUED, names)
    hits = (np.asarray([40], dtype=np.int64), np.asarray([0], dtype=np.int64))
    return headline.shape_features(
        batch,
        start,
        end,
        np.asarray([gap]),
        hits=hits,
        codes=stock_codes(batch.joined),
    )


def test_each_candidate_is_described_by_its_headline() -> None:
    x, valid = _shape(["华润三九", "文峰股份", None, None], [0.0, -1.5, 0.0, 0.0])
    f = {name: i for i, name in enumerate(headline.FEATURES)}
    assert valid.tolist() == [[True, True, False, False]]
    first, second = x[0, 0], x[0, 1]
    assert (first[f["first_segment"]], second[f["first_segment"]]) == (1.0, 0.0)
    assert (first[f["last_segment"]], second[f["last_segment"]]) == (0.0, 1.0)
    assert first[f["own_code"]] == second[f["own_code"]] == 1.0
    assert second[f["rank_2"]] == 1.0
    assert first[f["rank_2"]] == 0.0
    assert second[f["ranker_gap"]] == pytest.approx(-0.15)
    # the trigger word at position 40 is in the second headline only
    assert (first[f["segment_triggers"]], second[f["segment_triggers"]]) == (0.0, 0.25)
    assert not x[0, 2:].any()


def test_a_reading_gives_strength_p_none_and_the_best_reportable_label() -> None:
    raw = np.log(np.asarray([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]))
    read = headline.reading_features(raw, none=0)
    assert read[:, 0] == pytest.approx(np.log([0.2, 0.6]))
    assert read[:, 1] == pytest.approx([0.7, 0.1])
    assert read[:, 2:].tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    hopeless = headline.reading_features(np.asarray([[0.0, -50.0, -60.0]]), none=0)
    assert hopeless[0, 0] == headline.STRENGTH_FLOOR


def test_the_conditional_logit_learns_which_candidate_carries_the_label() -> None:
    rng = np.random.default_rng(0)
    n, k, m = 400, 3, 4
    x = rng.normal(size=(n, k, m))
    valid = np.ones((n, k), dtype=bool)
    valid[::5, 2] = False
    truth = np.asarray([2.0, -1.0, 0.0, 0.5])
    u = np.where(valid, x @ truth, -np.inf)
    gold = u.argmax(axis=1)
    w = headline.fit_choice(x, valid, gold, l2=0.01)
    assert float((headline.choose(x, valid, w) == gold).mean()) > 0.95
    assert (headline.choose(x, valid, w)[::5] != 2).all()
    gold[:50] = -1  # texts whose gold is not a candidate are left out of the fit
    assert headline.fit_choice(x, valid, gold, l2=0.01) == pytest.approx(
        headline.fit_choice(x[50:], valid[50:], gold[50:], l2=0.01), abs=1e-3
    )


def test_a_candidate_is_never_chosen_above_its_upper_bound() -> None:
    rng = np.random.default_rng(1)
    n_labels = len(LABELS)
    w = rng.normal(size=len(headline.feature_names(LABELS)))
    x, valid = _shape(["华润三九", "文峰股份", None, None], [0.0, -1.0, 0.0, 0.0])
    bound = headline.upper_bound(x, w, n_labels)
    for _ in range(200):
        raw = rng.normal(scale=6.0, size=(1, x.shape[1], n_labels))
        full = headline.combine(x, raw, valid, none=0)
        assert (full @ w <= bound + 1e-9).all()


def test_round_7_rule_is_one_set_of_weights() -> None:
    x, valid = _shape(["华润三九", "文峰股份", None, None], [0.0, -1.0, 0.0, 0.0])
    vague = np.log([0.8, 0.1, 0.1])
    clear = np.log([0.1, 0.8, 0.1])
    w = headline.rule_weights(len(LABELS))
    # runner-up when 5 · (strength gain) > margin: 5 · log(8) ≈ 10.4 > 1
    raw = np.stack([vague, clear, vague, vague])[None]
    assert headline.choose(headline.combine(x, raw, valid, none=0), valid, w).tolist() == [1]
    raw = np.stack([clear, vague, vague, vague])[None]
    assert headline.choose(headline.combine(x, raw, valid, none=0), valid, w).tolist() == [0]


def test_the_packaged_weights_name_features_of_this_code() -> None:
    w = headline.packaged_weights(LABELS)
    assert w.shape == (len(headline.feature_names(LABELS)),)
    assert np.isfinite(w).all()
    assert headline.packaged_weights(("其他", "新的类别"))[-1] == 0.0
