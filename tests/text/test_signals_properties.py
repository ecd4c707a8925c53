"""Properties of find_signals over generated texts made of lure words, cues and noise."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from smokewatch.text.lexicon import load_lexicon
from smokewatch.text.signal_patterns import load_signal_patterns
from smokewatch.text.signals import SignalAnalysis, find_signals

LEXICON = load_lexicon("lure_terms")
SURFACES = sorted({s for t in LEXICON.terms for s in t.surfaces})
CLAIM_TERMS = {c.term for c in load_signal_patterns().claims}
CUES = [
    "不", "不承诺", "从不", "没有", "并非", "不是", "非", "无", "严禁", "不得", "谨防", "警惕",
    "切勿轻信", "所谓", "都是诈骗", "陷阱", "要当心", "往往伴随高风险", "为诱饵", "我们",
    "本平台", "但是", "与中国银行合作", "由招商银行存管", "经央行批准", "我是公安局的民警",
    "非法集资", "骗局", "拨打96110", "、", "或者",
]  # fmt: skip
PUNCTUATION = list("，。！？；：、“”「」 ,.!?;:\"'")
NOISE = list("的一是在了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动")

fragments = st.one_of(
    st.sampled_from(SURFACES),
    st.sampled_from(CUES),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(NOISE),
    st.text(alphabet="ABCxyz0123", min_size=1, max_size=3),
)
texts = st.lists(fragments, max_size=16).map("".join)


def _all(analysis: SignalAnalysis) -> list[tuple[int, int]]:
    return sorted((s.start, s.end) for s in (*analysis.signals, *analysis.discounted))


def _summary(analysis: SignalAnalysis, shift: int = 0) -> list[tuple[object, ...]]:
    return [
        (s.term, s.start + shift, s.end + shift, s.rule)
        for s in (*analysis.signals, *analysis.discounted)
    ]


@given(texts)
def test_every_span_points_at_its_surface(text: str) -> None:
    analysis = find_signals(text)
    for signal in (*analysis.signals, *analysis.discounted):
        assert 0 <= signal.start < signal.end <= len(text)
        assert text[signal.start : signal.end] == signal.text


@given(texts)
def test_signals_never_overlap_and_come_left_to_right(text: str) -> None:
    analysis = find_signals(text)
    spans = _all(analysis)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))
    for part in (analysis.signals, analysis.discounted):
        assert [s.start for s in part] == sorted(s.start for s in part)


@given(texts)
def test_terms_are_lexicon_words_or_claims(text: str) -> None:
    analysis = find_signals(text)
    known = {t.term for t in LEXICON.terms} | CLAIM_TERMS
    assert {s.term for s in (*analysis.signals, *analysis.discounted)} <= known


@given(texts)
def test_discounted_signals_carry_cue_rule_and_reasons(text: str) -> None:
    analysis = find_signals(text)
    assert all(not s.negated and s.rule is None for s in analysis.signals)
    for signal in analysis.discounted:
        assert signal.negated and signal.cue and signal.rule and signal.discount
        assert signal.reason_zh and signal.reason_en


@given(texts, texts)
def test_sentences_are_read_independently(first: str, second: str) -> None:
    joined = find_signals(first + "。" + second)
    expected = _summary(find_signals(first)) + _summary(find_signals(second), shift=len(first) + 1)
    assert sorted(_summary(joined), key=str) == sorted(expected, key=str)


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(texts)
def test_full_width_text_reads_like_half_width_text(text: str) -> None:
    assert _summary(find_signals(_full_width(text))) == _summary(find_signals(text))


@given(texts)
def test_the_score_is_a_probability_that_only_affirmed_signals_raise(text: str) -> None:
    analysis = find_signals(text)
    assert 0.0 <= analysis.score < 1.0
    assert (analysis.score > 0) == bool(analysis.signals)
