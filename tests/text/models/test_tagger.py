"""The char-window subject tagger: its keys, its fit and the reranker columns it gives spans."""

from __future__ import annotations

import random

import numpy as np

from smokewatch.text.models import tagger as tg
from smokewatch.text.models.encoding import Alphabet, Batch

_NAMES = ["聚财猫", "钱妈妈", "金银猫", "草根投资", "善林金融", "多点金服", "东朗理财", "唐小僧"]
_PLACES = ["上海", "杭州", "深圳", "北京"]


def _sentence(rng: random.Random, name: str) -> str:
    place = rng.choice(_PLACES)
    shape = rng.randrange(3)
    if shape == 0:
        return f"据{place}警方通报，“{name}”平台涉嫌非法吸收公众存款，已被立案侦查"
    if shape == 1:
        return f"{place}市公安局近日对{name}平台立案，该平台涉嫌非法集资，投资人众多"
    return f"记者了解到，{name}平台出现提现困难，{place}法院已受理案件"


def _batch(texts: list[str]) -> Batch:
    return Alphabet.fit(texts, min_df=1).encode(texts)


def _corpus(n: int, seed: int) -> tuple[list[str], list[set[str]]]:
    rng = random.Random(seed)
    names = [rng.choice(_NAMES) for _ in range(n)]
    return [_sentence(rng, name) for name in names], [{name} for name in names]


def test_gap_keys_are_deterministic_and_depend_on_the_window_only() -> None:
    texts = ["“聚财猫”平台涉嫌非法集资，", "另一个“聚财猫”平台涉嫌非法集资，"]
    batch = _batch(texts)
    gaps = tg.text_gaps(batch, np.arange(2))
    first, again = tg.gap_keys(batch, gaps), tg.gap_keys(_batch(texts), gaps)
    assert np.array_equal(first, again)
    # the gap before 聚: the same characters at offsets 0 and +1 (keys 3, 4), but nothing
    # at offset −3 in the first text and 另 in the second (key 0)
    a, b = int(batch.starts[0]) + 1, int(batch.starts[1]) + 4
    ka, kb = tg.gap_keys(batch, np.asarray([a, b])).T
    assert ka[3] == kb[3] and ka[4] == kb[4]
    assert ka[0] != kb[0]


def test_gap_columns_count_every_key_and_lie_in_the_hashed_table() -> None:
    batch = _batch(["聚财猫平台，"])
    gaps = tg.text_gaps(batch, np.arange(1))
    rows, columns = tg.gap_columns(batch, gaps)
    per_gap = tg.gap_keys(batch, gaps).shape[0]
    assert len(rows) == len(columns) == per_gap * len(gaps)
    assert np.array_equal(np.bincount(rows), np.full(len(gaps), per_gap))
    assert columns.min() >= 0 and columns.max() < 1 << tg.BITS


def test_a_batch_remembers_the_columns_of_the_gaps_read_so_far_in_any_order() -> None:
    texts, _ = _corpus(6, seed=1)
    batch = _batch(texts)
    every = tg.text_gaps(batch, np.arange(len(texts)))
    rows, columns = tg.gap_columns(_batch(texts), every)
    expected = np.zeros((int(np.bincount(rows)[0]), len(every)), dtype=np.int64)
    expected[np.arange(len(rows)) // len(every), rows] = columns
    some = np.asarray([int(every[7]), int(every[3]), int(every[3])])
    assert np.array_equal(tg.hashed_columns(batch, some), expected[:, [7, 3, 3]])
    assert np.array_equal(tg.hashed_columns(batch, every[::-1]), expected[:, ::-1])
    assert np.array_equal(tg.hashed_columns(batch, every), expected)
    assert np.array_equal(tg.hashed_columns(batch, every[:0]), expected[:, :0])


def test_gold_gaps_mark_starts_ends_and_inner_gaps_of_every_occurrence() -> None:
    batch = _batch(["甲聚财猫乙聚财猫"])
    gaps = tg.text_gaps(batch, np.arange(1))
    y = tg.gold_gaps(batch, gaps, np.arange(1), [{"聚财猫"}])
    assert np.flatnonzero(y[:, 0]).tolist() == [1, 5]
    assert np.flatnonzero(y[:, 1]).tolist() == [4, 8]
    assert np.flatnonzero(y[:, 2]).tolist() == [2, 3, 6, 7]


def test_a_fitted_tagger_ranks_the_gold_span_of_a_held_out_sentence_first() -> None:
    texts, golds = _corpus(160, seed=3)
    held = "据广州警方通报，“聚财猫”平台涉嫌非法吸收公众存款，已被立案侦查"
    batch = _batch([*texts, held])
    tagger = tg.Tagger.fit(batch, np.arange(len(texts)), golds)
    base = int(batch.starts[len(texts)])
    spans = [("聚财猫", held.index("聚财猫")), ("广州警方", 1), ("平台", held.index("平台"))]
    spans += [("财猫”平", held.index("财猫")), ("涉嫌非法", held.index("涉嫌"))]
    start = np.asarray([base + at for _, at in spans])
    end = np.asarray([base + at + len(s) for s, at in spans])
    x = tagger.columns(batch, np.zeros(len(spans), dtype=np.int64), start, end)
    mean = x[:, tg.COLUMNS.index("tagger: span log-prob (mean)")]
    assert int(np.argmax(mean)) == 0
    assert x[0, tg.COLUMNS.index("tagger: rank 1")] == 1
    assert x[0, tg.COLUMNS.index("tagger: gap to the list's best")] == 0


def test_scoring_only_the_needed_gaps_equals_scoring_all_then_selecting() -> None:
    texts, golds = _corpus(60, seed=5)
    batch = _batch(texts)
    tagger = tg.Tagger.fit(batch, np.arange(40), golds[:40])
    rng = np.random.default_rng(0)
    docs = np.repeat(np.arange(40, 60), 4)
    lo, hi = batch.starts[docs], batch.ends[docs]
    start = lo + rng.integers(0, 6, len(docs))
    end = np.minimum(start + rng.integers(1, 6, len(docs)), hi)
    # the first span of every list is the gold name (confident ends, a weaker inside)
    at = np.asarray([texts[d].find(next(iter(golds[d]))) for d in range(40, 60)])
    start[::4] = batch.starts[40:60] + at
    end[::4] = start[::4] + [len(next(iter(golds[d]))) for d in range(40, 60)]
    fast = tagger.columns(batch, docs, start, end)
    every = tg.text_gaps(batch, np.arange(len(texts)))
    lp = tagger.log_probs(batch, every)
    row = np.full(len(batch.points) + 1, -1)
    row[every] = np.arange(len(every))
    slow = np.zeros_like(fast)
    for i, (s, e) in enumerate(zip(start.tolist(), end.tolist(), strict=True)):
        inner = lp[row[s + 1 : e], 2]
        slow[i, 0], slow[i, 1] = lp[row[s], 0], lp[row[e], 1]
        slow[i, 2] = inner.mean() if len(inner) else 0.0
        slow[i, 3] = (slow[i, 0] + slow[i, 1] + inner.sum()) / (len(inner) + 2)
        slow[i, 4] = min([slow[i, 0], slow[i, 1], *inner.tolist()])
    assert (slow[:, 4] < np.minimum(slow[:, 0], slow[:, 1])).any()  # inner minima count
    for a in range(0, len(docs), 4):
        means = slow[a : a + 4, 3]
        order = np.argsort(-means, kind="stable")
        for r, i in enumerate(order.tolist()):
            slow[a + i, 5 + min(r, 2)] = 1
        slow[a : a + 4, 8] = means.max() - means
    np.testing.assert_allclose(fast, slow, atol=1e-9)


def test_log_probs_are_the_bits_of_one_sum_over_the_key_kinds() -> None:
    texts, _ = _corpus(20, seed=8)
    batch = _batch(texts)
    gaps = tg.text_gaps(batch, np.arange(len(texts)))
    rng = np.random.default_rng(1)
    weights = rng.normal(0.0, 3.0, (1 << tg.BITS, 3)).astype(np.float32)
    bias = rng.normal(0.0, 1.0, 3)
    columns = tg.hashed_columns(batch, gaps)
    z = weights[columns].sum(axis=0, dtype=np.float64) + bias
    expected = np.maximum(-np.logaddexp(0.0, -z), tg.FLOOR)
    assert np.array_equal(tg.Tagger(weights, bias).log_probs(batch, gaps), expected)


def test_a_column_hit_twice_by_one_gap_counts_twice() -> None:
    # a hash collision found by search: two window keys of gap 6 share a column
    batch = _batch(["存收查查警查吸聚猫款法查"])
    gaps = np.asarray([int(batch.starts[0]) + 6])
    _, columns = tg.gap_columns(batch, gaps)
    values, hits = np.unique(columns, return_counts=True)
    assert hits.max() == 2
    weights = np.zeros((1 << tg.BITS, 3), dtype=np.float32)
    weights[values[np.argmax(hits)], 0] = 1.0
    log_p = tg.Tagger(weights, np.zeros(3)).log_probs(batch, gaps)[0, 0]
    assert np.isclose(log_p, -np.logaddexp(0.0, -2.0))
