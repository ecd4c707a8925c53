"""find_signals: hand-checked sentences — lures affirmed, negated, forbidden, warned against.

Each table row is a realistic text and what an analyst expects: the terms the text affirms,
and the terms it contains but does not affirm. Terms are the lexicon's canonical words (a
variant such as 稳赚不亏 is reported as 稳赚不赔) or claim names (与银行合作).
"""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from smokewatch.text.lexicon import load_lexicon, parse_lexicon
from smokewatch.text.signal_patterns import DiscountKind
from smokewatch.text.signals import (
    Signal,
    SignalAnalysis,
    SignalScanner,
    find_signals,
    find_signals_many,
    scanner_for,
)


def _check(text: str, affirmed: list[str], discounted: list[str]) -> SignalAnalysis:
    analysis = find_signals(text)
    assert [s.term for s in analysis.signals] == affirmed, (text, analysis.signals)
    assert [s.term for s in analysis.discounted] == discounted, (text, analysis.discounted)
    return analysis


# ---------------------------------------------------------------- affirmed lures

ADS = [
    ("【鑫源理财】保本保息，年化收益12%，稳赚不赔，名额有限！", ["保本保息", "稳赚不赔"]),
    ("投资养老公寓，售后包租，每月返息，十年后原价回购", ["养老公寓", "售后包租", "按月返息"]),
    ("零风险高回报，100%安全，亏损包赔，详询客服", ["零风险", "高回报", "100%安全", "亏损包赔"]),
    ("本息保障，刚性兑付，平台兜底，您只管躺赚", ["本息保障", "刚性兑付", "兜底承诺", "躺赚"]),
    (
        "日日分红，静态收益千分之五，动态收益拿直推和团队奖",
        ["日日分红", "静态收益", "动态收益", "直推", "团队奖"],
    ),
    (
        "只需交入门费，拉人头就有推荐奖，发展下线层级返利",
        ["入门费", "拉人头", "推荐奖励", "发展下线", "层级返利"],
    ),
    ("国家批准项目，政府背书，国资背景，安全放心", ["国家批准", "政府背书", "国资背景"]),
    ("云矿机挖矿，每天产币，空气币也能翻倍", ["矿机", "挖矿", "空气币"]),
    ("炒外汇就用MT4，外汇保证金交易，百倍杠杆", ["炒外汇", "MT4", "外汇保证金", "高杠杆"]),
    ("黑户可贷，无视征信，包下款，AB贷也能做", ["黑户可贷", "无视征信", "包下款", "AB贷"]),
    ("专业包装资料，刷流水，修复征信，洗白征信", ["包装资料", "刷流水", "修复征信", "洗白征信"]),
    ("您的贷款已审批，请先缴纳解冻费和保证金后放款", ["解冻费", "保证金"]),
    ("认购养老床位，预定即返利，保健品投资稳赚", ["养老床位", "保健品投资", "稳赚"]),
    ("加入合作社入股，资金互助，年底分红", ["合作社入股", "资金互助"]),
    ("商铺返本销售，约定回购，到期返本", ["返本销售", "约定回购", "返本付息"]),
    ("代种植沉香，代为管护，五年收益翻倍", ["代种植", "代为管护", "收益翻倍"]),
    ("老师带单，每天喊单，跟着操作月入过万", ["带单", "喊单", "月入过万"]),
    ("周末在酒店举办推介会，现场签约送礼品", ["推介会"]),
    ("ＡＢ贷、Ｐ２Ｐ网贷都能办，保本保息", ["AB贷", "保本保息"]),
    ("无抵押、免担保，当天放款", ["无抵押", "免担保", "当天放款"]),
    ("您的贷款额度被冻结，需验证您的还款能力", ["额度被冻结", "验证还款能力"]),
    ("投资10万可以保本保息", ["保本保息"]),
    ("请立即把钱转到安全账户，并开启屏幕共享", ["安全账户", "屏幕共享"]),
    ("您需要注销校园贷，否则影响征信；百万保障要扣费", ["注销校园贷", "百万保障"]),
    ("我是你们王总，明天来我办公室，先帮我垫付一下货款", ["帮我垫付"]),
]


@pytest.mark.parametrize(("text", "affirmed"), ADS)
def test_lures_in_ads_are_affirmed(text: str, affirmed: list[str]) -> None:
    _check(text, affirmed, [])


CLAIMS = [
    ("本平台已与中国工商银行达成资金存管合作", "与银行合作", "中国工商银行", "impersonation.bank"),
    ("投资款由招商银行全程存管，安全有保障", "银行存管", "招商银行", "impersonation.bank"),
    ("我们已在央行备案，正规持牌", "监管机构背书", "央行", "impersonation.licence"),
    ("受证监会监管的正规理财", "监管机构背书", "证监会", "impersonation.licence"),
    ("你好，我是银监会的工作人员", "冒充公职人员", "银监会", "impersonation.official"),
    ("您好，我是招商银行的贷款专员", "自称信贷人员", "招商银行的贷款专员", "impersonation.staff"),
    ("这里是淘宝官方客服，需要给您退款", "自称平台客服", "淘宝官方客服", "impersonation.staff"),
]


@pytest.mark.parametrize(("text", "term", "party", "kind"), CLAIMS)
def test_claims_are_found_with_the_party_they_name(
    text: str, term: str, party: str, kind: str
) -> None:
    claims = [s for s in find_signals(text).signals if s.term == term]
    assert [(s.value, s.kind) for s in claims] == [(party, kind)]


# ---------------------------------------------------------------- texts without lures

CLEAN = [
    "本行理财产品为非存款产品，投资有风险，购买需谨慎",
    "今天天气不错，晚上一起吃饭吧",
    "【中国联通】尊敬的用户，您本月话费余额为35.2元",
    "公司将于下周召开年度股东大会，审议利润分配方案",
    "确保本次活动顺利进行，请大家准时到场",
    "会议确定了打破刚性兑付的改革方向",
    "本店保本微利，欢迎选购",
    "无风险利率下行，债券收益率走低",
    "请携带单位介绍信前来办理",
    "投标保证金和履约保证金按合同约定退还",
    "降杠杆、去杠杆仍是今年的重点",
    "央行数字货币试点范围扩大",
    "跟单员负责对接客户订单",
    "高收益债的违约率有所上升",
    "我是您的客户经理小王，有问题随时联系",
    "本期发行无担保债券20亿元",
]


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_texts_give_no_signal(text: str) -> None:
    _check(text, [], [])


# ---------------------------------------------------------------- negated, forbidden, warned

NOT_AFFIRMED = [
    # compliance and self-description
    ("本平台不承诺保本保息", ["保本保息"], DiscountKind.NEGATION),
    ("我们从不承诺稳赚不赔", ["稳赚不赔"], DiscountKind.NEGATION),
    ("本产品不保本，过往业绩不代表未来表现", ["保本"], DiscountKind.NEGATION),
    ("该理财为非保本浮动收益型产品", ["保本"], DiscountKind.NEGATION),
    ("放款前不收取任何前期费用", ["前期费用"], DiscountKind.NEGATION),
    ("我司从来没有宣传过高额回报", ["高额回报"], DiscountKind.NEGATION),
    ("本平台未接入银行存管", ["银行存管"], DiscountKind.NEGATION),
    ("任何投资都不是零风险的", ["零风险"], DiscountKind.NEGATION),
    ("世上没有稳赚不赔的投资", ["稳赚不赔"], DiscountKind.NEGATION),
    ("天下哪有稳赚不赔的生意？", ["稳赚不赔"], DiscountKind.NEGATION),
    ("我们无法保证收益", ["保证收益"], DiscountKind.NEGATION),
    (
        "不承诺保本保息、高额回报或者日日分红",
        ["保本保息", "高额回报", "日日分红"],
        DiscountKind.NEGATION,
    ),
    # statutes and rules
    ("严禁承诺保本", ["保本"], DiscountKind.PROHIBITION),
    (
        "不得向投资者承诺投资本金不受损失或者承诺最低收益",
        ["本金不受损失", "最低收益"],
        DiscountKind.PROHIBITION,
    ),
    (
        "招商广告不得含有明示或者暗示保本、无风险或者保收益等内容",
        ["保本", "无风险", "保收益"],
        DiscountKind.PROHIBITION,
    ),
    ("禁止以售后包租、约定回购等方式销售商铺", ["售后包租", "约定回购"], DiscountKind.PROHIBITION),
    (
        "任何单位和个人不得发布包含集资内容的广告或者以其他方式向社会公众进行集资宣传",
        ["向社会公众", "集资宣传"],
        DiscountKind.PROHIBITION,
    ),
    # public education
    ("谨防“高回报”陷阱", ["高回报"], DiscountKind.WARNING),
    ("警惕以“养老项目”为名的非法集资", ["养老项目"], DiscountKind.DESCRIPTION),
    ("凡是承诺保本保息的都是诈骗", ["保本保息"], DiscountKind.WARNING),
    ("防范非法集资宣传：高收益往往伴随高风险", ["高收益"], DiscountKind.WARNING),
    ("切勿轻信“稳赚不赔”“日日分红”等宣传", ["稳赚不赔", "日日分红"], DiscountKind.WARNING),
    ("高额返利要当心，天上不会掉馅饼", ["高额返利"], DiscountKind.WARNING),
    ("如果有人向你承诺稳赚不赔，那一定是骗局", ["稳赚不赔"], DiscountKind.WARNING),
    ("遇到承诺保本保息的投资，请立即拨打96110", ["保本保息"], DiscountKind.WARNING),
    ("拒绝高息诱惑，远离非法集资", ["高息"], DiscountKind.WARNING),
    (
        "非法集资的常见特征：承诺高额回报、保本保息、拉人头返利",
        ["高额回报", "保本保息", "拉人头"],
        DiscountKind.WARNING,
    ),
    (
        "“保本保息”“高额回报”是非法集资惯用的宣传口号",
        ["保本保息", "高额回报"],
        DiscountKind.WARNING,
    ),
    ("揭秘AB贷套路：骗子诱导你做担保人", ["AB贷"], DiscountKind.WARNING),
    ("反诈提醒：要求先交解冻费的贷款都是诈骗", ["解冻费"], DiscountKind.WARNING),
    ("公安机关不会要求你把钱转到安全账户", ["安全账户"], DiscountKind.NEGATION),
    ("谨防自称客服的人要求屏幕共享", ["屏幕共享"], DiscountKind.WARNING),
    # news about someone else's scheme
    ("犯罪嫌疑人以高额回报为诱饵，非法吸收公众存款2亿元", ["高额回报"], DiscountKind.DESCRIPTION),
    ("该公司谎称项目保本保息，骗取老人钱财", ["保本保息"], DiscountKind.DESCRIPTION),
    ("打着“国家批准”的旗号招揽投资者", ["国家批准"], DiscountKind.DESCRIPTION),
    ("所谓的高回报，不过是拆东墙补西墙", ["高回报"], DiscountKind.DESCRIPTION),
]


@pytest.mark.parametrize(("text", "discounted", "kind"), NOT_AFFIRMED)
def test_negated_forbidden_and_warned_against_lures_do_not_fire(
    text: str, discounted: list[str], kind: DiscountKind
) -> None:
    analysis = _check(text, [], discounted)
    assert analysis.discounted[0].discount is kind
    assert all(s.negated and s.cue and s.rule for s in analysis.discounted)
    assert all(s.reason("zh") and s.reason("en") for s in analysis.discounted)


BRIEF = [
    "本平台不承诺保本保息",
    "我们从不承诺稳赚不赔",
    "谨防“高回报”陷阱",
    "警惕以“养老”为名的非法集资",
    "凡是承诺保本保息的都是诈骗",
    "严禁承诺保本",
    "不得向投资者承诺投资本金不受损失",
    "防范非法集资宣传：高收益往往伴随高风险",
]


@pytest.mark.parametrize("text", BRIEF)
def test_public_education_and_compliance_wording_never_fires(text: str) -> None:
    assert find_signals(text).signals == ()


def test_a_statutory_prohibition_is_reported_as_a_prohibition_not_a_negation() -> None:
    (signal,) = find_signals("依法合规，不得承诺保本").discounted
    assert (signal.discount, signal.cue) == (DiscountKind.PROHIBITION, "不得")


# ---------------------------------------------------------------- the hard cases

MIXED = [
    # a lure affirmed after a contrast
    ("别人不保本，我们保本保息", ["保本保息"], ["保本"]),
    ("虽然不是银行，但是我们保证收益", ["保证收益"], []),
    ("不仅保本保息，还送礼品", ["保本保息"], []),
    ("不用担心，保本保息", ["保本保息"], []),
    # the "no" of 无需抵押 belongs to the pitch (a term of its own), not to the words after it
    ("无需抵押，包下款", ["无抵押", "包下款"], []),
    ("不需要抵押担保就能保本", ["无抵押", "保本"], []),
    # a negated negation is an affirmation
    ("我们不是不保本，是保本保息", ["保本", "保本保息"], []),
    ("这里没有不赚钱的，稳赚不赔", ["稳赚不赔"], []),
    # a negated warning is no warning
    ("本平台绝非非法集资，保本保息", ["保本保息"], []),
    ("我们不是骗子，稳赚不赔", ["稳赚不赔"], []),
    ("保本保息，绝对不是骗局", ["保本保息"], []),
    # a warning stops at the text speaking for itself
    ("谨防诈骗，认准本平台，稳赚不赔", ["稳赚不赔"], []),
    ("谨防假冒，认准官方，保本保息", ["保本保息"], []),
    ("切勿错过！保本保息", ["保本保息"], []),
    ("谨防高回报陷阱！本平台保本保息，日日分红", ["保本保息", "日日分红"], ["高回报"]),
    # quotes in an ad are emphasis, not a warning
    ("【保本保息】“稳赚不赔”，名额有限", ["保本保息", "稳赚不赔"], []),
    # a cue never lies inside the word (无风险 starts with 无)
    ("无风险，零风险，稳赚不赔", ["无风险", "零风险", "稳赚不赔"], []),
    ("没有任何风险，收益有保障", ["无风险", "保证收益"], []),
    # compliance line followed by the lure in the next sentence
    ("依法合规，不得承诺保本。本平台资金由银行存管，日日分红", ["银行存管", "日日分红"], ["保本"]),
]


@pytest.mark.parametrize(("text", "affirmed", "discounted"), MIXED)
def test_hard_cases(text: str, affirmed: list[str], discounted: list[str]) -> None:
    _check(text, affirmed, discounted)


# ---------------------------------------------------------------- longer texts


def test_a_wechat_post_with_contacts_and_lures() -> None:
    text = (
        "💰鑫源财富新项目上线啦💰\n"
        "✅ 保本保息，月息3分，按月返息\n"
        "✅ 推荐一人奖励500元，团队奖另算\n"
        "✅ 资金由建设银行存管，安全无忧\n"
        "名额有限，速加微信 xinyuan_888 咨询！"
    )
    analysis = find_signals(text)
    assert analysis.terms == ("保本保息", "按月返息", "团队奖", "银行存管")
    assert analysis.kinds == (
        "fundraising.guarantee",
        "fundraising.return_promise",
        "pyramid.recruitment",
        "impersonation.bank",
    )
    assert not analysis.discounted


def test_a_public_education_notice_gives_no_signal() -> None:
    text = (
        "防范非法集资宣传月：警惕“保本保息”“高额回报”等宣传。非法集资往往以“养老项目”"
        "“消费返利”为名，承诺日日分红、稳赚不赔。凡是承诺高收益的投资都要当心，"
        "如遇可疑情况请拨打举报电话。天下没有稳赚不赔的投资，高收益往往伴随高风险。"
    )
    analysis = find_signals(text)
    assert analysis.signals == ()
    assert len(analysis.discounted) >= 9


def test_a_news_report_of_a_collapse_discounts_the_lures_it_describes() -> None:
    text = (
        "据警方通报，犯罪嫌疑人以高额回报为诱饵，通过推介会向社会公众宣传其养老项目，"
        "承诺保本保息，累计非法吸收公众存款3亿元。"
    )
    analysis = find_signals(text)
    assert analysis.signals == ()
    assert {s.discount for s in analysis.discounted} <= {
        DiscountKind.DESCRIPTION,
        DiscountKind.WARNING,
    }


# ---------------------------------------------------------------- what a signal carries


def test_a_signal_carries_span_category_weight_and_citation() -> None:
    text = "广告：本项目保本，无风险"
    first, second = find_signals(text).signals
    assert (first.term, first.text, text[first.start : first.end]) == ("保本", "保本", "保本")
    assert first.kind == "fundraising.guarantee"
    assert first.weight == load_lexicon("lure_terms").term("保本").weight
    assert first.source == "ad_law_art25"
    assert first.citation == "《中华人民共和国广告法》（2021）第二十五条第一款第（一）项"
    assert not first.negated and first.cue is None and first.reason() is None
    assert second.term == "无风险"


def test_a_variant_is_reported_as_its_term_with_the_surface_as_written() -> None:
    (signal,) = find_signals("这个项目稳赚不亏").signals
    assert (signal.term, signal.text) == ("稳赚不赔", "稳赚不亏")


def test_full_width_text_keeps_its_original_surface() -> None:
    text = "ＡＢ贷包过"
    (signal,) = find_signals(text).signals
    assert signal.text == "ＡＢ贷" and signal.term == "AB贷"


def test_a_discounted_signal_says_why() -> None:
    (signal,) = find_signals("本平台不承诺保本保息").discounted
    assert signal.negated and signal.cue == "不承诺" and signal.rule == "negated_commitment"
    assert signal.discount is DiscountKind.NEGATION
    assert signal.reason("zh") == signal.reason_zh and "否定" in (signal.reason_zh or "")
    assert signal.reason("en") == signal.reason_en


def test_the_score_counts_each_term_once() -> None:
    once = find_signals("保本保息").score
    twice = find_signals("保本保息！保本保息！").score
    both = find_signals("保本保息，拉人头").score
    assert once == twice == pytest.approx(0.9)
    assert both == pytest.approx(1 - (1 - 0.9) * (1 - 0.8))
    assert find_signals("今天天气不错").score == 0.0


def test_describe_in_both_languages() -> None:
    analysis = find_signals("谨防高回报陷阱！本平台保本保息，日日分红")
    assert (
        analysis.describe() == "含诱导性用语“保本保息”“日日分红”；另有 1 处出现于警示语境，未计入"
    )
    assert analysis.describe("en") == "Lure words: 保本保息, 日日分红; not counted: 1 in warnings"
    assert (
        find_signals("本平台不承诺保本").describe()
        == "未含计入的诱导性用语；另有 1 处出现于否定语境，未计入"
    )


@pytest.mark.parametrize("text", [None, ""])
def test_nothing_gives_nothing(text: str | None) -> None:
    assert find_signals(text) == SignalAnalysis((), ())


# ---------------------------------------------------------------- scanners


def test_a_scanner_pickles_and_finds_the_same() -> None:
    scanner = SignalScanner()
    clone = pickle.loads(pickle.dumps(scanner))  # noqa: S301 - our own object
    text = "别人不保本，我们保本保息，已与中国银行合作"
    assert clone.scan(text) == scanner.scan(text)


def test_find_signals_with_another_lexicon() -> None:
    lexicon = parse_lexicon(
        {
            "kind": "lexicon",
            "name": "local_words",
            "title": {"zh": "本地", "en": "Local"},
            "sources": [{"id": "mine", "title": "自编", "issuer": "我", "status": "curated"}],
            "terms": [
                {"term": "月息三分", "tier": "curated", "weight": 0.5, "sources": ["mine"],
                 "doc": "Three per cent a month."},
            ],
        },
        "local.yml",
    )  # fmt: skip
    analysis = find_signals("月息三分，不承诺月息三分", lexicon)
    assert [(s.term, s.kind) for s in analysis.signals] == [("月息三分", "local_words")]
    assert [s.term for s in analysis.discounted] == ["月息三分"]
    assert scanner_for(lexicon) is scanner_for(lexicon)


def test_find_signals_many_equals_one_by_one() -> None:
    texts = ["保本保息", None, "本平台不承诺保本", "今天天气不错"]
    assert find_signals_many(texts) == [find_signals(t) for t in texts]


def test_every_hit_of_a_long_sentence_is_judged_against_its_nearest_cue() -> None:
    # one sentence, 1,500 hits and as many cues: scanned once per scope, not once per hit
    analysis = find_signals("谨防“保本保息”" * 1_500 + "陷阱")
    assert analysis.signals == ()
    assert len(analysis.discounted) == 1_500
    assert {(s.rule, s.cue) for s in analysis.discounted} == {("warning_verb", "谨防")}
    affirmed = find_signals("本平台" + "保本保息" * 3_000)  # no cue anywhere: every hit fires
    assert (len(affirmed.signals), affirmed.discounted) == (3_000, ())


def test_signals_are_value_objects() -> None:
    signal = Signal("k", "t", "t", 0, 1, 0.5, "s", "c")
    with pytest.raises(AttributeError):
        signal.term = "x"  # type: ignore[misc]
    assert Decimal(str(signal.weight)) == Decimal("0.5")
