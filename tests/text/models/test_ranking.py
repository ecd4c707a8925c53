"""Subject ranking helpers: a candidate's segment ends at the next company's stock code."""

from __future__ import annotations

import numpy as np

from smokewatch.text.models.ranking import segments, top_per_text
from smokewatch.text.models.subjects import stock_codes

_GLUED = "吉峰农机(300022)亏损额大幅偏离预测值内幕交易疑云再现新大新材(300080)重组"


def _segment(name: str, text: str = _GLUED) -> str:
    codes = stock_codes(text)
    start = text.index(name)
    lo, hi = segments(
        codes,
        np.asarray([start]),
        np.asarray([start + len(name)]),
        np.asarray([0]),
        np.asarray([len(text)]),
    )
    return text[int(lo[0]) : int(hi[0])]


def test_stock_codes_are_found_in_order() -> None:
    assert [_GLUED[s:e] for s, e in stock_codes(_GLUED).tolist()] == ["(300022)", "(300080)"]


def test_a_segment_stops_before_the_next_stock_code() -> None:
    segment = _segment("吉峰农机")
    assert segment.startswith("吉峰农机(300022)亏损")
    assert "内幕交易" in segment
    assert "(300080)" not in segment


def test_a_segment_starts_after_the_previous_stock_code() -> None:
    assert (
        _segment("新大新材", "吉峰农机(300022)亏损新大新材(300080)重组")
        == "亏损新大新材(300080)重组"
    )


def test_top_per_text_ranks_within_each_text() -> None:
    doc = np.asarray([0, 0, 0, 1, 1])
    scores = np.asarray([0.1, 0.9, 0.5, -1.0, 2.0])
    chosen, ranks = top_per_text(doc, scores, 2)
    assert chosen.tolist() == [1, 2, 4, 3]
    assert ranks.tolist() == [0, 1, 0, 1]
