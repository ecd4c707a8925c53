"""Stated returns: what is read, how it is annualised, flagged and located in the text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smokewatch.text.returns import (
    PromisedReturn,
    Qualifier,
    ReturnKind,
    ReturnUnit,
    extract_returns,
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


# ---------------------------------------------------------------- fourth round


@pytest.mark.parametrize(
    ("text", "annual"),
    [
        ("先息后本，月息2.5，到期还本", "30"),  # lenders leave out the 分 of a monthly rate
        ("月利率1.5，按月付息", "18"),
        ("理财经理说这个产品年化大概在5个点左右", "5"),
        ("入股1万元，半年分红一次，每次600元", "12"),  # paid per occasion, twice a year
        ("入股1万元，每季度分红一次，每次300元", "12"),
        ("充值1万元，每月返现800元", "96"),
        ("办卡10000元，一年后返还11500元", "15"),
        ("额度3万，借款一年，总利息仅需2160元", "7.2"),
        ("一次性缴纳15万元入住费，每月返利1500元", "12"),  # what the principal is paid as
        ("被告未按约定支付每月3000元的利息（借款本金15万元）", "24"),
        ("S19 日收益 8.2 USDT，成本 2400 USDT", "124.7083"),  # a rig's cost is the principal
        ("两年期理财，到期连本带息共112万，本金100万", "6"),
        ("短期周转标：15天，收益1.2%", "29.2"),  # a gain after a product's term is over it
        ("7天体验标，收益0.2%，到期自动回款", "10.4286"),
    ],
)
def test_fourth_round_forms_are_read(text: str, annual: str) -> None:
    assert _one(text).annual_rate == Decimal(annual)


def test_a_list_of_rates_by_term_gives_yearly_rates() -> None:
    table = extract_returns("定期存款利率表：三个月1.05%，半年1.25%，一年1.35%")
    assert [r.annual_rate for r in table] == [Decimal("1.05"), Decimal("1.25"), Decimal("1.35")]
    bonds = extract_returns("国债：三年期票面利率2.38%，五年期2.5%")
    assert [r.annual_rate for r in bonds] == [Decimal("2.38"), Decimal("2.5")]
    assert all(r.unit is ReturnUnit.YEAR for r in table + bonds)


def test_a_lenders_term_and_points_without_a_list_stay_a_total_over_the_term() -> None:
    r = _one("借款一个月5个点")
    assert (r.unit, r.annual_rate) == (ReturnUnit.TERM, Decimal(60))


@pytest.mark.parametrize(
    "text",
    [
        "年息8，到期还本",  # only a monthly rate leaves out its 分
        "入股1万元，半年分红一次",  # 一次 is no amount
        "今日收益8.2元，成本2400元",  # today's figure, not a rate per day
        "借1万元，手续费每月300元",  # a fee charged is no principal
    ],
)
def test_near_misses_of_the_fourth_round_are_not_returns(text: str) -> None:
    assert extract_returns(text) == []
