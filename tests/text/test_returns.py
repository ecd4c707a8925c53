"""Stated returns: what is read, how it is annualised, flagged and located in the text."""

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
    Qualifier,
    ReturnKind,
    ReturnUnit,
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


# ---------------------------------------------------------------- the contract


def test_none_and_empty_text_have_no_returns() -> None:
    assert extract_returns(None) == []
    assert extract_returns("") == []


def test_a_return_carries_its_phrase_span_value_unit_and_basis() -> None:
    text = "新品上线：年化收益率高达18.5%，限时抢购"
    r = _one(text)
    assert (r.text, r.start, r.end) == ("年化收益率高达18.5%", 5, 17)
    assert text[r.start : r.end] == r.text
    assert (r.value, r.unit, r.annual_rate) == (Decimal("18.5"), ReturnUnit.YEAR, Decimal("18.5"))
    assert r.qualifier is Qualifier.MAX
    assert r.basis == "yearly rate as stated"


def test_annual_rates_are_rounded_to_four_decimals_at_the_end() -> None:
    r = _one("7天收益20%")
    assert r.annual_rate == Decimal("1042.8571")
    assert r.annual_rate.as_tuple().exponent == -4
    assert r.value == Decimal(20)
    assert r.term_days == Decimal(7)


def test_a_range_gives_low_and_high_and_the_high_end_as_annual_rate() -> None:
    r = _one("月息1.5分到2分")
    assert (r.low, r.high, r.annual_rate) == (Decimal(18), Decimal(24), Decimal(24))


def test_a_single_rate_has_no_low_or_high() -> None:
    r = _one("年化12%")
    assert (r.low, r.high) == (None, None)


def test_returns_are_listed_left_to_right() -> None:
    found = extract_returns("月息2分，年化高达24%，日息0.1%")
    assert [r.text for r in found] == ["月息2分", "年化高达24%", "日息0.1%"]


def test_spans_are_offsets_into_the_original_full_width_text() -> None:
    text = "ＶＩＰ专享：年化１２％－１５％"
    r = _one(text)
    assert text[r.start : r.end] == "年化１２％－１５％"
    assert (r.low, r.annual_rate) == (Decimal(12), Decimal(15))


# ---------------------------------------------------------------- how words are read


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("月收益3%", "monthly × 12 (simple)"),
        ("周收益2%", "weekly × 52 (simple)"),
        ("日收益0.5%", "daily × 365 (simple)"),
        ("每季度返息3%", "quarterly × 4 (simple)"),
        ("每万元每天收益5元", "per 10,000 yuan per day: 5/10000 × 365 (simple)"),
        ("投资10万元每年分红1.2万元", "per 100,000 yuan per year: 12000/100000"),
        ("3个月收益率15%", "total over 3 months × 12/3 (simple)"),
        (
            "本金10万元一年后连本带息共12万元",
            "total over 12 months: (120000 − 100000)/100000 × 12/12 (simple)",
        ),
        ("三个月翻倍", "doubling (翻倍 = 2 × the principal): +100 % over 3 months × 12/3 (simple)"),
        ("资金翻倍", "doubling (翻倍 = 2 × the principal), no term stated: not annualised"),
    ],
)
def test_the_basis_says_how_the_rate_was_annualised(text: str, basis: str) -> None:
    assert _one(text).basis == basis


@pytest.mark.parametrize(
    ("text", "annual"),
    [
        ("月息2分", "24"),  # 分 = 1 % a month
        ("月息1分5", "18"),
        ("月息5厘", "6"),  # 厘 = 0.1 % a month
        ("年息2分", "20"),  # a year's 分 is 10 %
        ("年息8厘", "8"),
        ("日息3厘", "109.5"),  # 1 厘 = 0.1 % a day (lending usage)
        ("3分利", "36"),  # 分 with no period: monthly
    ],
)
def test_fen_and_li_follow_lending_usage(text: str, annual: str) -> None:
    assert _one(text).annual_rate == Decimal(annual)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("日息千分之三", "0.3"),
        ("日息3‰", "0.3"),
        ("日利率万分之五", "0.05"),
        ("年化百分之十二", "12"),
        ("年化十二个点", "12"),
        ("年化１２％", "12"),
        ("月息两分", "2"),
    ],
)
def test_rates_are_read_in_every_notation(text: str, value: str) -> None:
    assert _one(text).value == Decimal(value)


@pytest.mark.parametrize(
    "text", ["每季度返息3%", "每个季度返息3%", "每个季返息3%", "投资10万元每个季度分红3000元"]
)
def test_quarterly_rates_are_a_three_month_term(text: str) -> None:
    r = _one(text)
    assert (r.unit, r.term_months, r.annual_rate) == (ReturnUnit.TERM, Decimal(3), Decimal(12))


def test_chinese_amounts_are_read() -> None:
    assert _one("投资十万元每年分红一点二万元").annual_rate == Decimal(12)
    assert _one("投资一万元，每月返息三百元").annual_rate == Decimal(36)


def test_doubling_without_a_term_is_a_multiple_without_annual_rate() -> None:
    r = _one("让你的资金翻倍")
    assert (r.unit, r.value, r.annual_rate) == (ReturnUnit.MULTIPLE, Decimal(2), None)


def test_doubling_over_a_term_is_annualised_simply() -> None:
    r = _one("三个月翻倍")
    assert (r.unit, r.value, r.term_months, r.annual_rate) == (
        ReturnUnit.TERM,
        Decimal(100),
        Decimal(3),
        Decimal(400),
    )


def test_interest_deducted_up_front_reduces_the_principal() -> None:
    r = _one("借款5000元，实际到手3500元，一周后还款5000元")
    assert r.kind is ReturnKind.INTEREST
    assert "砍头息" in r.basis
    assert r.annual_rate == round_annual(Decimal(1500) * 100 / 3500 * 365 / 7)


@pytest.mark.parametrize(
    "text",
    [
        "公司营收同比增长12%",
        "首付30%，月供3000元",
        "刷卡手续费0.6%",
        "增值税税率13%",
        "年化波动率20%",
        "2023年收益率达到15%",
        "今日收益率0.8%",
        "近一年收益率20%",
        "收益率12%",
        "销量三个月翻倍",
        "积分翻倍",
        "联系电话：13812345678",
        "本规定自2024年12月20日起施行",
        "一年期LPR为3.1%",
    ],
)
def test_near_misses_are_not_returns(text: str) -> None:
    assert extract_returns(text) == []


@pytest.mark.parametrize(
    ("text", "annual"),
    [
        ("基金万份收益0.9876元", "3.6047"),  # yuan per 10,000 units a day
        ("每万份收益为1.5元", "5.475"),
        ("收益1.2%/月", "14.4"),
        ("利息0.05%/天，随借随还", "18.25"),
        ("万分之五/天", "18.25"),
        ("理财产品，三个月期，到期收益率2.5%", "10"),  # 到期 bridges the clause: a term
        ("产品期限90天，到期总收益3%", "12.1667"),
        ("投资周期60天，累计收益4%", "24.3333"),
        ("一年就是二十个点", "20"),  # a percentage right after a term, no cue word
        ("一个月就有五个点", "60"),
        ("承诺两年内升值50%", "25"),
        ("售后返租，年租金回报率7%", "7"),
        ("每年返还认购款的8%", "8"),
        ("按月支付本金2%的利息", "24"),
        ("每季度给付本金3%的分红", "12"),
        ("防范非法集资，月息一毛的都是骗局", "120"),  # 一毛 a yuan = 10 %
        ("利息三分，按月付", "36"),  # 分 with no period: monthly
        ("年化利率上调至8%", "8"),
        ("年化APR 20%", "20"),
        ("每天释放千分之三", "109.5"),
        ("每天签到领0.5%收益", "182.5"),
    ],
)
def test_more_ways_of_stating_a_rate_are_read(text: str, annual: str) -> None:
    assert _one(text).annual_rate == Decimal(annual)


@pytest.mark.parametrize(
    ("text", "annual"),
    [
        ("每5000元每天可获得收益10元", "73"),  # two verbs in a row
        ("借款两万，每月还息一千", "60"),
        ("借500元，日利息低至0.5元", "36.5"),
        ("借款本金5万元，借款人每月支付利息1000元", "24"),  # the payer between
        ("向他借款10万元，月息3000元", "36"),
        ("借款人民币壹拾万元整，月息贰仟元", "24"),  # financial capitals
        ("每月可领取分红600元，本金5万", "14.4"),  # the principal after the income
        ("每天收益80元，投资额2万元", "146"),
        ("充值1万元每月返还购物券300元", "36"),
        ("矿机3000元，日产15元", "182.5"),
        ("借1万实拿8000，十天后还1万", "912.5"),  # 砍头息: 2000 on the 8000 received
        ("投两万一年拿两万四", "20"),  # 两万, 一年: the numeral stops before the term
        ("存一万一个月拿一万一", "120"),  # an amount above the principal is a total
        ("投资30万，两年后连本带息拿回42万", "20"),
        ("投5万，一年拿回6万", "20"),
        ("十万块放一年，到期给十一万五", "15"),
    ],
)
def test_more_ways_of_stating_amounts_on_a_principal_are_read(text: str, annual: str) -> None:
    assert _one(text).annual_rate == Decimal(annual)


@pytest.mark.parametrize(
    "text",
    [
        "手续费0.3%/月",
        "违约金0.1%/天",
        "房价一年升值30%",  # a rise the market gives, not a promise
        "今年以来该基金收益率12%",  # a bare yield outside a warning
        "2023年3月15日起施行",
    ],
)
def test_more_near_misses_are_not_returns(text: str) -> None:
    assert extract_returns(text) == []


# ---------------------------------------------------------------- the second blind round


@pytest.mark.parametrize(
    ("text", "annual"),
    [
        ("一万块一天十五", "54.75"),  # no verb: the principal, its period, the amount
        ("五万块，一天五十", "36.5"),
        ("一万元一天只要5元", "18.25"),
        ("投10w，月返3k", "36"),  # chat shorthand: w = 万, k = 千
        ("本金20w 日赚200", "36.5"),
        ("投100U每天返1.5U", "547.5"),  # coins: both amounts in the same unit
        ("本金10万，年息1万2", "12"),  # 1万2 = 12,000
        ("存五万，每月吃利息一千", "24"),
        ("放两万进去，每个月给你六百利息", "36"),
        ("5000块钱，每周还利息500", "520"),
        ("入单3000元，每天固定分红45元", "547.5"),
        ("认购果树一棵5000元，每年返果款600元", "12"),
        ("利息：每月每万元300元", "36"),  # the period before the principal
    ],
)
def test_colloquial_and_shorthand_amounts_are_read(text: str, annual: str) -> None:
    assert _one(text).annual_rate == Decimal(annual)


@pytest.mark.parametrize(
    ("text", "annual"),
    [
        ("两年后本息共计12万，本金10万", "10"),
        ("6个月期，到期本息合计10.6万元，本金10万元", "12"),
        ("本息合计10万8，本金10万，一年期", "8"),  # the term last
        ("三年期，本金10万元，到期一次性返还13.6万元", "12"),  # the term first
        ("本金3千，10天后拿回3千6", "730"),
        ("投入3000，90天返9000", "811.1111"),  # 返 more than the principal: a total
        ("入金1000USDT，30天后返还1300USDT", "365"),
        ("嫌疑人谎称“存入2万元，三个月后取回2.3万元”", "60"),
        ("500块钱借一周，还700", "2085.7143"),  # a term of 一周 is 7 days
        ("下款5000，到手4000，14天还5000", "651.7857"),  # 砍头息: on the 4000 received
        ("借款金额：5000元\n借款期限：30天\n到期应还：5500元", "121.6667"),  # an app's form
    ],
)
def test_totals_are_read_in_any_order_of_term_principal_and_total(text: str, annual: str) -> None:
    assert _one(text).annual_rate == Decimal(annual)


@pytest.mark.parametrize(
    ("text", "annual"),
    [
        ("年华收益12%", "12"),  # a common typo of 年化
        ("年化收益率=12%", "12"),
        ("收益：月2%", "24"),  # the period after the noun and its colon
        ("借款APR 23.99%", "23.99"),
        ("业绩比较基准：3.20%", "3.2"),
        ("季度收益5%", "20"),
        ("种植合作社入股，年分红比例15%", "15"),
        ("日息万五，随借随还", "18.25"),  # 万五 = 万分之五
        ("一个月一成利", "120"),  # 一成 = 10 %
        ("一个月给你三个点", "36"),
        ("放我这一年给你20个点", "20"),  # 我这 + 一年: a term, not "this year"
        ("一个月能赚本金的百分之十", "120"),
        ("這個平台月報酬率4%", "48"),
        ("15天短期标，到期收益1.5%", "36.5"),
        ("理财币每天自动增值1%", "365"),
        ("月息贰分，按月付息", "24"),  # financial capitals in a rate
        ("借款年利率百分之壹拾捌", "18"),
        ("收益率高达20%！名额有限", "20"),  # a bare yield with a promise word
        ("【加息券】年化10%+2%，限时领取", "12"),  # a bonus stacked on the rate
    ],
)
def test_more_rate_words_of_the_second_round_are_read(text: str, annual: str) -> None:
    assert _one(text).annual_rate == Decimal(annual)


@pytest.mark.parametrize(
    ("text", "annual"),
    [
        ("年化報酬率12%，保本保息", "12"),
        ("借款年利率為百分之二十四", "24"),
        ("保證月息3%，本金隨時可領", "36"),
        ("一年後連本帶利拿回12萬，本金10萬", "20"),
        ("日息萬五", "18.25"),
        ("業績比較基準：4.2%", "4.2"),
    ],
)
def test_traditional_characters_are_read_as_their_simplified_forms(text: str, annual: str) -> None:
    assert _one(text).annual_rate == Decimal(annual)


def test_tiers_of_holding_periods_give_yearly_rates() -> None:
    found = extract_returns("阶梯利率：1-3个月6%，4-6个月8%，7-12个月9.5%")
    assert [r.annual_rate for r in found] == [Decimal(6), Decimal(8), Decimal("9.5")]
    assert all(r.unit is ReturnUnit.YEAR for r in found)


def test_a_later_amount_shares_the_principal_before_it_in_the_sentence() -> None:
    rates = [r.annual_rate for r in extract_returns("投资1万元，每天收益50元，一年收益18250元")]
    assert rates == [Decimal("182.5"), Decimal("182.5")]
    assert len(extract_returns("投资1万元，每天收益50元。一年收益18250元")) == 1


def test_a_bound_in_its_own_clause_continues_the_rate_before_it() -> None:
    found = extract_returns("年利率3.5%的大额存单已经没有了，现在最高3.1%")
    assert [(r.unit, r.annual_rate) for r in found] == [
        (ReturnUnit.YEAR, Decimal("3.5")),
        (ReturnUnit.YEAR, Decimal("3.1")),
    ]
    assert [r.text for r in extract_returns("年化12%，首付最低20%起")] == ["年化12%"]


@pytest.mark.parametrize(
    "text",
    [
        "公司一年三成利润来自海外",  # 三成利润 is a share of profits
        "首付三成，月供5000元",
        "今年以来该基金收益率高达20%",  # a promise word, but a record of the past
        "房子每年增值5%",
        "每周回报900元，一个月就有3600元的收入",  # 900元 is an income, not a principal
        "房租3000元一个月，押一付三",
        "人民日报记者报道，季度报告显示营收增长5%",
        "5K高清屏，售价3999元",
        "1-3个月内完成30%的进度",
        "红利万五千元已发放",
    ],
)
def test_near_misses_of_the_second_round_are_not_returns(text: str) -> None:
    assert extract_returns(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "谨防高息陷阱！月息5分以上的借贷多为套路贷",
        "年利率超过24%的部分不受法律保护",
        "如果有人承诺年化15%以上，请立即报警",
    ],
)
def test_returns_in_legal_caps_and_calls_to_report_are_flagged(text: str) -> None:
    assert _one(text).negated


# ---------------------------------------------------------------- kind and negation


def test_loan_wording_is_interest_and_investment_wording_a_return() -> None:
    assert _one("月息2分，当天放款").kind is ReturnKind.INTEREST
    assert _one("高息揽储，月息2分").kind is ReturnKind.RETURN
    assert _one("借1万元每天利息30元").kind is ReturnKind.INTEREST
    assert _one("投资1万元每天利息30元").kind is ReturnKind.RETURN


@pytest.mark.parametrize(
    "text",
    [
        "本平台不承诺年化10%以上的收益",
        "谨防“年化30%”的高息陷阱",
        "凡是承诺年化收益超过6%的都是骗局",
        "切勿相信日收益1%的投资项目",
    ],
)
def test_returns_in_negations_and_warnings_are_kept_and_flagged(text: str) -> None:
    assert _one(text).negated


@pytest.mark.parametrize(
    "text",
    ["所谓日收益2%，纯属骗局", "没有哪家正规机构能做到年化20%", "该项目实为庞氏骗局，年化48%"],
)
def test_so_called_returns_and_impossible_ones_are_flagged(text: str) -> None:
    assert _one(text).negated


def test_a_list_of_thresholds_in_a_warning_gives_one_flagged_yearly_rate_each() -> None:
    text = "收益率超过6%就要打问号，超过8%就很危险，10%以上就要准备损失全部本金"
    found = extract_returns(text)
    assert [(r.text, r.annual_rate) for r in found] == [
        ("收益率超过6%", Decimal(6)),
        ("超过8%", Decimal(8)),
        ("10%以上", Decimal(10)),
    ]
    assert all(r.negated and r.unit is ReturnUnit.YEAR for r in found)


def test_a_threshold_takes_the_period_of_the_return_before_it() -> None:
    found = extract_returns("月息超过3%就要警惕，超过5%就是高利贷")
    assert [(r.unit, r.annual_rate) for r in found] == [
        (ReturnUnit.MONTH, Decimal(36)),
        (ReturnUnit.MONTH, Decimal(60)),
    ]


def test_a_threshold_does_not_reach_into_the_next_sentence() -> None:
    assert [r.text for r in extract_returns("年化12%。超过10%就卖出")] == ["年化12%"]


def test_a_negation_in_another_clause_does_not_flag_the_return() -> None:
    assert not _one("不保证本金安全，预期年化收益率4%").negated


def test_a_lure_reported_in_the_news_is_not_a_negation() -> None:
    assert not _one("该平台以年化20%的高额回报为诱饵吸收资金").negated


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
    text = "".join(words)
    folded = fold_for_returns(text)
    gates = grammar().gates
    for name in FAMILIES:
        if read_family(name, folded):
            assert gates[name].search(folded), name
    if read_candidates(folded):
        assert might_hold_returns(text)
    for r in extract_returns(text):
        assert text[r.start : r.end] == r.text


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
    text = "".join(words)
    folded = fold_for_returns(text)
    gates = grammar().gates
    for name in FAMILIES:
        if read_family(name, folded):
            assert gates[name].search(folded), name
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
    text = "".join(words)
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


@given(FUZZ)
def test_a_gate_finds_something_only_where_a_string_it_needs_is_in_the_text(text: str) -> None:
    folded = fold_for_returns(text)
    for name, needs in NEEDS.items():
        if grammar().gates[name].search(folded):
            assert any(word in folded for word in needs), name
