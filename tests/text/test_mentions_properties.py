"""Properties of find_mentions over generated texts with contacts, amounts, names and noise."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from smokewatch.model.types.phone import clean_phone
from smokewatch.text.mentions import MentionKind, find_mentions

NOISE = list(
    "的一是在了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动，。！？：、“”"
)
FRAGMENTS = [
    "有限公司", "集团", "银行", "平台", "APP", "理财", "宝", "贷", "旗下", "名为", "下载",
    "“", "”", "【", "】", "微信", "VX", "QQ", "元", "万元", "人民币", "￥", "芜湖", "安徽省",
    "芜湖市", "镜湖区", "北京", "在", "鑫源", "华信", "www.", ".com", "@", "http://", "-",
    "(", ")", "（", "）", " ", "0553", "400", "+86",
]  # fmt: skip

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
fragments = st.one_of(
    st.sampled_from(NOISE),
    st.sampled_from(FRAGMENTS),
    st.text(alphabet="0123456789", min_size=1, max_size=8),
    st.text(alphabet="abcxyz_", min_size=1, max_size=6),
    mobiles,
)
texts = st.lists(fragments, max_size=20).map("".join)


@given(texts)
def test_every_mention_points_at_its_surface(text: str) -> None:
    for mention in find_mentions(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text


@given(texts)
def test_mentions_come_left_to_right_and_never_overlap(text: str) -> None:
    mentions = find_mentions(text)
    assert all(a.end <= b.start for a, b in pairwise(mentions))


@given(texts)
def test_values_have_the_type_of_their_kind(text: str) -> None:
    for mention in find_mentions(text):
        if mention.kind is MentionKind.AMOUNT:
            assert isinstance(mention.value, Decimal) and mention.value >= 0
        else:
            assert isinstance(mention.value, str) and mention.value
        if mention.kind is MentionKind.PHONE:
            assert clean_phone(str(mention.value)) == mention.value
        if mention.kind is MentionKind.PLACE:
            assert str(mention.value).isdigit()


@given(st.sampled_from(NOISE), mobiles, st.sampled_from(NOISE))
def test_a_mobile_between_chinese_words_is_found(before: str, number: str, after: str) -> None:
    text = f"请联系{before}{number}{after}"
    phones = [m for m in find_mentions(text) if m.kind is MentionKind.PHONE]
    assert [(m.text, m.value) for m in phones] == [(number, number)]


@given(texts)
def test_full_width_digits_and_letters_give_the_same_mentions(text: str) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)
    assert [(m.kind, m.start, m.end) for m in find_mentions(wide)] == [
        (m.kind, m.start, m.end) for m in find_mentions(text)
    ]
