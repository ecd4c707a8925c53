"""Stated returns, as properties: the arithmetic, spans, robustness and the grammar's invariants.

The examples that specify what is read are in ``test_returns.py``; here hypothesis checks what
must hold for every input: annualisation is exact and monotone, spans point into the text and
never overlap, and the shortcuts of the reader (the precheck, the gates, the strings each gate
needs, the first-character guards) never hide a return.
"""

from __future__ import annotations

import doctest
import importlib
import re
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from smokewatch.errors import InvalidInput
from smokewatch.model.types.text import fold_width
from smokewatch.text.return_fragments import CONNECTOR_FIRST
from smokewatch.text.return_patterns import (
    FAMILIES,
    FIRST_CHARS,
    NEEDS,
    first_char_guard,
    fold_for_returns,
    grammar,
)
from smokewatch.text.return_readers import read_candidates, read_family
from smokewatch.text.returns import (
    PromisedReturn,
    amount_rate,
    annualise,
    extract_returns,
    might_hold_returns,
    round_annual,
)


def _one(text: str) -> PromisedReturn:
    found = extract_returns(text)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- arithmetic

RATES = st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False)
TERMS = st.decimals(min_value=Decimal("0.5"), max_value=600, places=2, allow_nan=False)
PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 365}


@given(st.sampled_from(list(PER_YEAR)), RATES, RATES)
def test_annualise_is_monotone_in_the_value(unit: str, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert annualise(low, unit) <= annualise(high, unit)


@given(RATES)
def test_a_periodic_rate_times_its_periods_is_the_yearly_figure(rate: Decimal) -> None:
    assert annualise(rate, "month") == annualise(rate * 12, "year")
    assert annualise(rate, "week") == annualise(rate * 52, "year")
    assert annualise(rate, "day") == annualise(rate * 365, "year")


@given(RATES)
def test_a_total_over_a_year_or_a_month_is_the_yearly_or_monthly_rate(rate: Decimal) -> None:
    assert annualise(rate, "term", term_months=Decimal(12)) == rate
    assert annualise(rate, "term", term_days=Decimal(365)) == rate
    assert annualise(rate, "term", term_months=Decimal(1)) == annualise(rate, "month")


@given(RATES, TERMS, TERMS)
def test_a_longer_term_gives_a_lower_yearly_rate(rate: Decimal, a: Decimal, b: Decimal) -> None:
    short, long = sorted((a, b))
    assert annualise(rate, "term", term_months=long) <= annualise(rate, "term", term_months=short)


@pytest.mark.parametrize(
    ("value", "unit", "terms"),
    [
        (Decimal(-1), "year", {}),
        (Decimal("NaN"), "year", {}),
        (Decimal(1), "fortnight", {}),
        (Decimal(1), "multiple", {}),
        (Decimal(1), "term", {}),
        (Decimal(1), "term", {"term_months": Decimal(1), "term_days": Decimal(30)}),
        (Decimal(1), "term", {"term_months": Decimal(0)}),
        (Decimal(1), "month", {"term_months": Decimal(3)}),
    ],
)
def test_annualise_rejects_what_it_cannot_annualise(
    value: Decimal, unit: str, terms: dict[str, Decimal]
) -> None:
    with pytest.raises(InvalidInput):
        annualise(value, unit, **terms)


def test_amount_rate_needs_a_positive_principal() -> None:
    with pytest.raises(InvalidInput):
        amount_rate(Decimal(5), Decimal(0))


PERIODS = {"每天": ("日收益", "day"), "每月": ("月收益", "month"), "每年": ("年收益", "year")}


@given(
    st.sampled_from(list(PERIODS)),
    st.sampled_from([100, 1_000, 10_000, 100_000]),
    st.integers(min_value=1, max_value=99_999),
)
def test_an_amount_on_a_principal_equals_the_percentage_statement(
    period: str, principal: int, income: int
) -> None:
    assume(income <= principal)
    cue, unit = PERIODS[period]
    by_amount = _one(f"投资{principal}元{period}收益{income}元")
    percent = amount_rate(Decimal(income), Decimal(principal))
    by_percent = _one(f"{cue}{percent}%")
    assert by_amount.annual_rate == by_percent.annual_rate
    assert by_amount.annual_rate == round_annual(annualise(percent, unit))


@given(
    st.sampled_from([("年化", 1), ("月息", 12), ("周收益", 52), ("日收益", 365)]),
    st.decimals(min_value=Decimal("0.01"), max_value=999, places=2, allow_nan=False),
)
def test_a_stated_rate_is_annualised_exactly(cue: tuple[str, int], rate: Decimal) -> None:
    words, factor = cue
    assert _one(f"{words}{rate}%").annual_rate == round_annual(rate * factor)


# ---------------------------------------------------------------- spans and robustness

PHRASES = [
    "年化12%",
    "月息2分",
    "日息千分之三",
    "每万元每天收益5元",
    "三个月翻倍",
    "预期年化收益率8%-12%",
    "投资1万元每月返息300元",
    "本金10万元一年后连本带息共12万元",
    "谨防年化30%",
]
FILLER = ["", "，", "。", "公司营收增长12%", "联系电话13812345678", "欢迎咨询", "首付30%", " "]


@given(st.lists(st.sampled_from(PHRASES + FILLER), max_size=12))
def test_spans_point_at_their_phrase_and_never_overlap(parts: list[str]) -> None:
    text = "".join(parts)
    found = extract_returns(text)
    for r in found:
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start : r.end] == r.text
    assert all(a.end <= b.start for a, b in pairwise(found))


@given(st.lists(st.sampled_from(PHRASES + FILLER), max_size=8))
def test_full_width_text_gives_the_same_returns_at_the_same_places(parts: list[str]) -> None:
    text = "".join(parts)
    wide = text.translate({cp: cp + 0xFEE0 for cp in range(0x21, 0x7F)})
    assert fold_width(wide) == fold_width(text)
    narrow = [(r.start, r.end, r.annual_rate) for r in extract_returns(text)]
    assert [(r.start, r.end, r.annual_rate) for r in extract_returns(wide)] == narrow


FUZZ = st.text(
    alphabet="0123456789.%％‰年月周日天化收益率息利分厘千万元每投资借还翻倍一二两三十百之个点"
    "后本金连带共-~至到，。：（）不承诺谨防最高约以上起",
    max_size=40,
)


@given(FUZZ)
def test_any_text_gives_well_formed_returns(text: str) -> None:
    for r in extract_returns(text):
        assert text[r.start : r.end] == r.text
        assert r.annual_rate is None or r.annual_rate >= 0


WORDS = st.sampled_from(
    ["每", "个", "季", "度", "星期", "月", "年", "天", "日", "周", "天天", "一", "半", "返息",
     "收益", "分红", "利息", "3%", "300元", "1万元", "投资", "借", "存", "本金", "后", "连本带息",
     "翻倍", "期", "的", "利息是", "预期收益率", "承诺", "年化", "2分", "千分之三", "（%）：",
     "7.8", "，", "给", "就能", "领取", "实际到手", "进去", "公司", "不低于", "起", "12个点"]
)  # fmt: skip


@given(st.lists(WORDS, max_size=10))
def test_any_sequence_of_return_words_is_read_without_error(words: list[str]) -> None:
    text = "".join(words)
    for r in extract_returns(text):
        assert text[r.start : r.end] == r.text


@given(FUZZ)
def test_the_precheck_never_hides_a_candidate(text: str) -> None:
    if read_candidates(fold_for_returns(text)):
        assert might_hold_returns(text)


def test_the_precheck_rejects_texts_without_a_rate_sign_or_amount() -> None:
    assert not might_hold_returns("芜湖市召开防范非法集资宣传月启动会")
    assert not might_hold_returns(None)
    assert might_hold_returns("月息两分")


@given(st.text(max_size=30))
def test_folding_keeps_the_length(text: str) -> None:
    assert len(fold_for_returns(text)) == len(text)


# ---------------------------------------------------------------- documentation

MODULES = [
    "smokewatch.text.numerals",
    "smokewatch.text.return_fragments",
    "smokewatch.text.return_patterns",
    "smokewatch.text.return_units",
    "smokewatch.text.returns",
    "smokewatch.text.rates",
]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0


def _assert_the_grammar_holds(text: str) -> None:
    """The invariants the reader relies on, for one text.

    A family finds candidates only where its gate finds something; a gate finds something only
    where a string of :data:`NEEDS` is in the text; the precheck admits every text with a
    candidate; a first-character guard changes no match; spans point into the text.
    """
    folded = fold_for_returns(text)
    gates = grammar().gates
    for name in FAMILIES:
        if read_family(name, folded):
            assert gates[name].search(folded), name
        if gates[name].search(folded) and name in NEEDS:
            assert any(word in folded for word in NEEDS[name]), name
    if read_candidates(folded):
        assert might_hold_returns(text)
    for name in FIRST_CHARS:
        guarded = grammar().families[name]
        unguarded = re.compile(guarded.pattern.removeprefix(first_char_guard(name)))
        assert [m.span() for m in guarded.finditer(folded)] == [
            m.span() for m in unguarded.finditer(folded)
        ], name
    for r in extract_returns(text):
        assert text[r.start : r.end] == r.text


NEW_WORDS = st.sampled_from(
    ["每", "天", "月", "年", "周", "一", "半", "个", "收益", "利息", "息", "3%", "0.5%", "元",
     "300元", "1万元", "五万", "六", "贰拾万", "肆仟", "整", "人民币", "投", "借", "放", "本金",
     "投资额", "到期", "总", "标", "期", "产品", "，", "/天", "/月", "万份", "0.58", "按月",
     "支付", "还息", "产", "给", "拿", "实到", "到手", "一角", "毛", "升值", "承诺", "就是",
     "就", "超过", "10%", "以上", "所谓", "没有任何", "能做到", "释放", "签到", "租金", "回报",
     "被告", "消费券", "一万二", "三十", "个点", "利钱", "两分", "按季度", "购房款", "下调至",
     "APY", "收益率", "打问号", "后", "连本带息", "拿回", "的", "低至"]
)  # fmt: skip


@given(st.lists(NEW_WORDS, max_size=10))
@example(["肆仟", "按月", "支付", "六"])  # 仟 is money: the precheck must admit it
def test_gates_and_precheck_hold_for_the_newer_forms(words: list[str]) -> None:
    _assert_the_grammar_holds("".join(words))


SECOND_ROUND_WORDS = st.sampled_from(
    ["万五", "一成", "利", "息", "2w", "5k", "1万2", "3千6", "USDT", "U", "入金", "入单", "下款",
     "吃", "利息", "还利息", "给你", "配息", "增值", "自动", "固定", "果款", "只要", "一天",
     "一个月", "每月", "每万元", "本息合计", "本金", "一年期", "期限：", "借款金额：",
     "到期应还：", "到期", "一次性", "返还", "返", "1-3个月", "以上", "季度", "收益：", "月", "=",
     "APR", "业绩比较基准", "年华收益", "報酬率", "萬", "為", "連本帶利", "+2%", "收益率", "高达",
     "最高", "，现在", "一年收益", "18250元", "下来", "就是", "我这", "本金的", "能赚",
     "短期标", "取回", "借", "放", "进去", "3%", "10万", "元", "，", "5000", "天", "周"]
)  # fmt: skip


@given(st.lists(SECOND_ROUND_WORDS, max_size=10))
@example(["萬", "元", "一天", "5000"])
@example(["息", "萬", "五"])
@example(["万五", "万五", "一天", "2w"])  # a principal must end in its unit to go verbless
@example(["利", "万五", "年化"])  # 万五 before a cue: the post family's gate
@example(["萬", "一年收益", "一成"])  # 万一 is no principal, 一成 no amount
@example(["就是", "每月", "3%"])  # the rate family starts at 每, as its guard says
@example(["收益：", "一成", "收益："])
@example(["1", "周", "以上", "1%"])  # a tier's 以上 in the term_rate gate
def test_gates_precheck_and_guards_hold_for_the_second_round_forms(words: list[str]) -> None:
    _assert_the_grammar_holds("".join(words))


@given(st.one_of(FUZZ, st.lists(NEW_WORDS, max_size=10).map("".join)))
def test_a_first_character_guard_never_hides_a_match(text: str) -> None:
    folded = fold_for_returns(text)
    for name in FIRST_CHARS:
        guarded = grammar().families[name]
        unguarded = re.compile(guarded.pattern.removeprefix(first_char_guard(name)))
        assert unguarded.pattern != guarded.pattern
        spans = [m.span() for m in unguarded.finditer(folded)]
        assert [m.span() for m in guarded.finditer(folded)] == spans, name


@given(FUZZ)
def test_a_family_finds_candidates_only_where_its_gate_finds_something(text: str) -> None:
    gates = grammar().gates
    folded = fold_for_returns(text)
    for name in FAMILIES:
        if read_family(name, folded):
            assert gates[name].search(folded), name


THIRD_ROUND_WORDS = st.sampled_from(
    ["借", "借款", "借钱：", "还", "到期应还", "到手", "实际到账：", "周期", "期限", "7天",
     "一周后", "1000", "1300", "5000元", "3500", "，", "认养", "一头猪", "回购价", "返还", "拿回",
     "取出", "提现", "每天", "每月", "年底", "下蛋收益", "租金回报", "向原告", "支付", "利息",
     "6000元", "本金", "借款本金为", "9万元", "双方约定的利息为", "季度分红率", "4%", "月返",
     "日释放", "年返租金", "月月", "分红", "1.2%", "收益率", "（年化）：", "收益：", "高达",
     "每年", "20%", "定期", "1年期", "大额存单", "利率", "连本带利", "12万", "投资10万",
     "一年分红2万", "说好", "给", "2千", "获得", "一年后", "是骗局", "超过", "10%", "可能", "就",
     "万份", "/年", "元/年", "买一只鸡", "100元", "投", "存", "本息", "回", "价格", "总产出",
     "1120USDT"]
)  # fmt: skip


@given(st.lists(THIRD_ROUND_WORDS, max_size=12))
@example(["借", "1000", "还", "1300", "，", "周期", "7天"])
@example(["认养", "一头猪", "5000元", "，", "返还", "12万", "，", "周期", "7天"])
@example(["实际到账：", "3500", "，", "到期应还", "5000元", "期限", "7天"])
@example(["100元", "买一只鸡", "，", "每天", "下蛋收益", "1000"])
def test_gates_needs_and_guards_hold_for_the_third_round_forms(words: list[str]) -> None:
    _assert_the_grammar_holds("".join(words))


@given(FUZZ)
def test_a_gate_finds_something_only_where_a_string_it_needs_is_in_the_text(text: str) -> None:
    folded = fold_for_returns(text)
    for name, needs in NEEDS.items():
        if grammar().gates[name].search(folded):
            assert any(word in folded for word in needs), name


FOURTH_ROUND_WORDS = st.sampled_from(
    ["月息", "2.5", "，", "月利率", "1.5", "年息", "8", "入股", "1万元", "半年", "每季度", "分红",
     "一次", "每次", "600元", "返现", "充值", "办卡", "额度", "3万", "借款", "一年", "总利息",
     "仅需", "2160元", "缴纳", "15万元", "入住费", "每月", "返利", "1500元", "（", "借款本金",
     "15万元", "）", "3000元的利息", "日收益", "8.2", "USDT", "成本", "2400", "利率表：", "三个月",
     "1.05%", "三年期", "五年期", "票面利率", "2.38%", "15天", "体验标", "收益", "0.2%", "到期",
     "两年期", "理财", "连本带息", "112万", "本金", "100万", "大概在", "5个点", "左右", "年化",
     "签到", "领", "10元", "额外", "租金回报率", "6%", "先扣", "两千", "借一万", "一个月", "还一万",
     "一股", "补贴", "每周", "每次按", "本金的", "2%", "系诈骗", "赚了", "6000", "稳赚", "交"]
)  # fmt: skip


@given(st.lists(FOURTH_ROUND_WORDS, max_size=12))
@example(["月息", "2.5", "，"])
@example(["入股", "1万元", "，", "每季度", "分红", "一次", "，", "每次", "600元"])
@example(["日收益", "8.2", "USDT", "，", "成本", "2400", "USDT"])
@example(["利率表：", "三个月", "1.05%", "，", "三年期", "2.38%"])
@example(["借一万", "，", "先扣", "两千", "，", "一个月", "还一万"])
@example(["每周", "分红", "一次", "，", "每次按", "本金的", "2%"])
@example(["交", "1万元", "，", "每月", "领", "补贴", "300元"])
def test_the_grammar_holds_for_the_fourth_round_forms(words: list[str]) -> None:
    _assert_the_grammar_holds("".join(words))


@given(st.one_of(FUZZ, st.lists(FOURTH_ROUND_WORDS, max_size=12).map("".join)))
@example("年化大概在5个点左右")
@example("年化（年）：下调至3%")
def test_the_connector_guard_never_hides_a_match(text: str) -> None:
    folded = fold_for_returns(text)
    guard = f"(?=[{CONNECTOR_FIRST}])"
    for name in ("rate", "term_rate", "warned"):
        guarded = grammar().families[name]
        assert guard in guarded.pattern, name
        unguarded = re.compile(guarded.pattern.replace(guard, ""))
        spans = [m.span() for m in unguarded.finditer(folded)]
        assert [m.span() for m in guarded.finditer(folded)] == spans, name
