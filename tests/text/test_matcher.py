"""The lexicon matcher: literal, width- and case-folded, leftmost-longest, spans in the original."""

from __future__ import annotations

import itertools
import pickle

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.errors import InvalidInput
from smokewatch.model.types.text import fold_width
from smokewatch.text.lexicon import Lexicon
from smokewatch.text.matcher import LexiconMatcher, Match, fold_for_matching, match_list_type


def _found(matcher: LexiconMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.term, m.surface) for m in matcher.find(text)]


# ---------------------------------------------------------------- hand-checked cases

CASES = [
    # (text, expected (term, surface) pairs)
    ("芜湖市鑫源理财咨询有限公司", [("理财", "理财")]),
    ("安徽鑫源财富管理有限公司", [("财富管理", "财富管理")]),
    ("XX基金管理有限公司", [("基金管理", "基金管理")]),
    ("XX股权投资基金合伙企业", [("股权投资基金", "股权投资基金")]),
    ("XX股权投资基金管理有限公司", [("股权投资基金", "股权投资基金")]),
    ("XX产业基金", [("基金", "基金")]),
    ("北京金融街物业管理有限公司", [("金融", "金融")]),
    ("芜湖文化产权交易所有限公司", [("交易所", "交易所")]),
    ("芜湖大宗商品交易中心有限公司", [("交易中心", "交易中心")]),
    ("P2P网络借贷信息中介", [("P2P", "P2P"), ("网络借贷", "网络借贷")]),
    ("ｐ２ｐ网贷平台", [("P2P", "ｐ２ｐ"), ("网贷", "网贷")]),
    ("p2p", [("P2P", "p2p")]),
    ("互联网借贷信息服务", [("网络借贷", "互联网借贷")]),
    ("香港鑫源理財有限公司", [("理财", "理財")]),
    ("資產管理", [("资产管理", "資產管理")]),
    ("XX股权众筹平台", [("股权众筹", "股权众筹")]),
    ("XX互联网保险经纪", [("互联网保险", "互联网保险")]),
    ("XX支付科技有限公司", [("支付", "支付")]),
    ("XX融资担保有限公司", [("融资担保", "融资担保")]),
    ("XX信托", [("信托", "信托")]),
    ("XX村镇银行", [("银行", "银行")]),
    ("资产管理财富管理", [("资产管理", "资产管理"), ("财富管理", "财富管理")]),
    ("投资管理咨询", [("投资管理", "投资管理")]),
]

NEAR_MISSES = [
    "芜湖市镜湖区丽人理发店",  # 理发 is not 理财
    "芜湖财富广场置业有限公司",  # 财富 alone
    "芜湖二手车交易市场有限公司",  # 交易 alone
    "芜湖中正资产评估有限公司",  # 资产 alone
    "芜湖鑫源投资咨询有限公司",  # 投资 alone
    "XX保险代理有限公司",  # 保险 alone
    "代理财产保险",  # 代理|财产, not 理财
    "企业管理财务咨询",  # 管理|财务
    "非融资担保服务",  # the opposite of 融资担保
    "资金融通",  # 资金|融通
    "非金融类咨询",  # 非金融 says the opposite
    "",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_finds_restricted_words(matcher: LexiconMatcher, text: str, expected: object) -> None:
    assert _found(matcher, text) == expected


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_not_restricted_words(matcher: LexiconMatcher, text: str) -> None:
    assert matcher.find(text) == []


def test_non_financial_institution_payment_counts_only_payment(matcher: LexiconMatcher) -> None:
    assert [m.term for m in matcher.find("非金融机构支付服务")] == ["支付"]


@pytest.mark.parametrize("text", ["AP2PX 协议", "P2PLUS", "XP2P"])
def test_latin_words_match_only_as_whole_tokens(matcher: LexiconMatcher, text: str) -> None:
    assert matcher.find(text) == []


@pytest.mark.parametrize("text", ["P2P-平台", "(P2P)", "P2P 平台", "平台P2P"])
def test_latin_words_match_next_to_punctuation_and_chinese(
    matcher: LexiconMatcher, text: str
) -> None:
    assert [m.term for m in matcher.find(text)] == ["P2P"]


def test_none_gives_no_matches(matcher: LexiconMatcher) -> None:
    assert matcher.find(None) == []


def test_spans_point_into_the_original_text(matcher: LexiconMatcher) -> None:
    text = "（芜湖）Ｐ２Ｐ网贷"
    assert matcher.find(text) == [Match("P2P", 4, 7, "Ｐ２Ｐ"), Match("网贷", 7, 9, "网贷")]


def test_false_friend_does_not_hide_a_later_occurrence(matcher: LexiconMatcher) -> None:
    assert [(m.term, m.start) for m in matcher.find("代理财产保险；理财")] == [("理财", 7)]


def test_an_empty_matcher_finds_nothing() -> None:
    assert LexiconMatcher({}).find("理财") == []


def test_a_matcher_reports_its_terms(lexicon: Lexicon, matcher: LexiconMatcher) -> None:
    assert matcher.terms == {t.term for t in lexicon.terms}


def test_a_name_matcher_leaves_out_scope_only_words(lexicon: Lexicon) -> None:
    assert "银行" not in lexicon.matcher("scope").terms
    assert "银行" in lexicon.matcher("name").terms


# ---------------------------------------------------------------- construction errors


def test_an_empty_spelling_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        LexiconMatcher({" ": "x"})


def test_a_spelling_claimed_by_two_terms_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="claimed twice"):
        LexiconMatcher({"P2P": "P2P", "p2p": "网贷"})


def test_a_false_friend_equal_to_a_spelling_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="claimed twice"):
        LexiconMatcher({"理财": "理财"}, false_friends=["理财"])


# ---------------------------------------------------------------- pickling and Arrow


def test_pickling_round_trip_gives_an_equal_matcher(matcher: LexiconMatcher) -> None:
    assert pickle.loads(pickle.dumps(matcher)) == matcher  # noqa: S301 - our own object


def test_an_unpickled_matcher_finds_the_same_words(matcher: LexiconMatcher) -> None:
    clone = pickle.loads(pickle.dumps(matcher))  # noqa: S301 - our own object
    for text, _ in CASES:
        assert clone.find(text) == matcher.find(text)


def test_find_arrow_returns_one_list_per_row(matcher: LexiconMatcher) -> None:
    result = matcher.find_arrow(pa.array(["理财", None, "软件开发", "基金管理基金"]))
    assert result.to_pylist() == [
        [{"term": "理财", "start": 0, "end": 2, "surface": "理财"}],
        None,
        [],
        [
            {"term": "基金管理", "start": 0, "end": 4, "surface": "基金管理"},
            {"term": "基金", "start": 4, "end": 6, "surface": "基金"},
        ],
    ]


def test_find_arrow_has_the_documented_type(matcher: LexiconMatcher) -> None:
    assert matcher.find_arrow(pa.array(["理财"])).type == match_list_type()


def test_find_arrow_accepts_chunked_arrays(matcher: LexiconMatcher) -> None:
    chunked = pa.chunked_array([["理财"], ["P2P", None]])
    assert [len(v) if v is not None else None for v in matcher.find_arrow(chunked).to_pylist()] == [
        1,
        1,
        None,
    ]


# ---------------------------------------------------------------- properties

_WORDS = ["理财", "基金", "基金管理", "股权投资基金", "P2P", "代理财产", "金融", "资金融通"]
_ALPHABET = "".join(sorted(set("".join(_WORDS) + "ｐ２ＰpA1 代管理财产务；（）、非")))
_SMALL = LexiconMatcher(
    {"理财": "理财", "基金": "基金", "基金管理": "基金管理", "股权投资基金": "股权投资基金",
     "P2P": "P2P", "金融": "金融"},
    false_friends=["代理财产", "资金融通"],
)  # fmt: skip


def _reference(text: str) -> list[tuple[int, int, str]]:
    """Brute force leftmost-longest over every spelling and false friend."""
    folded = fold_for_matching(text)
    keys = {"理财": "理财", "基金": "基金", "基金管理": "基金管理", "股权投资基金": "股权投资基金",
            "P2P": "P2P", "金融": "金融", "代理财产": "", "资金融通": ""}  # fmt: skip
    candidates = []
    for key, term in keys.items():
        at = folded.find(key)
        while at >= 0:
            end = at + len(key)
            latin_ok = key != "P2P" or (
                (at == 0 or not (folded[at - 1].isascii() and folded[at - 1].isalnum()))
                and (end == len(folded) or not (folded[end].isascii() and folded[end].isalnum()))
            )
            if latin_ok:
                candidates.append((at, end, term))
            at = folded.find(key, at + 1)
    candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
    chosen, taken = [], 0
    for start, end, term in candidates:
        if start >= taken:
            taken = end
            if term:
                chosen.append((start, end, term))
    return chosen


@given(st.text())
def test_folding_never_changes_length(text: str) -> None:
    assert len(fold_for_matching(text)) == len(text)


@given(st.text())
def test_folding_is_width_folding_plus_latin_upper_case(text: str) -> None:
    expected = "".join(c.upper() if "a" <= c <= "z" else c for c in fold_width(text))
    assert fold_for_matching(text) == expected


@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_spans_always_point_at_the_surface(text: str) -> None:
    for match in _SMALL.find(text):
        assert text[match.start : match.end] == match.surface
        assert fold_for_matching(match.surface) == match.term


@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_matches_are_ordered_and_never_overlap(text: str) -> None:
    matches = _SMALL.find(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(matches))


@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_matches_are_leftmost_longest(text: str) -> None:
    assert [(m.start, m.end, m.term) for m in _SMALL.find(text)] == _reference(text)


@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_pickled_matcher_agrees_with_the_original(text: str) -> None:
    clone = pickle.loads(pickle.dumps(_SMALL))  # noqa: S301 - our own object
    assert clone.find(text) == _SMALL.find(text)
