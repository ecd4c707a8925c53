"""find_mentions: names, contacts, amounts and places in hand-checked sentences."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smokewatch.text.mentions import Mention, MentionKind, find_mentions, parse_chinese_number

K = MentionKind


def _pairs(text: str, kind: MentionKind | None = None, **kwargs: str) -> list[tuple[str, object]]:
    return [
        (m.text, m.value) for m in find_mentions(text, **kwargs) if kind is None or m.kind is kind
    ]


# ---------------------------------------------------------------- organisations

ORGANISATIONS = [
    ("据芜湖鑫源理财咨询有限公司称，兑付将延期", ["芜湖鑫源理财咨询有限公司"]),
    ("被告人张三成立的鑫源投资管理有限公司涉嫌非法集资", ["鑫源投资管理有限公司"]),
    (
        "上海阜兴实业集团和善林金融信息服务有限公司均已被立案",
        ["上海阜兴实业集团", "善林金融信息服务有限公司"],
    ),
    ("有没有追查北京正聚源通鼎信用管理有限公司，控制孙正", ["北京正聚源通鼎信用管理有限公司"]),
    ("中国工商银行股份有限公司芜湖分行发布公告", ["中国工商银行股份有限公司芜湖分行"]),
    ("本平台已与招商银行合作", ["招商银行"]),
    ("恭喜您获得中国银行特惠服务", ["中国银行"]),
    (
        "鑫源（芜湖）科技有限公司与芜湖市镜湖区鑫农农民专业合作社签约",
        ["鑫源（芜湖）科技有限公司", "芜湖市镜湖区鑫农农民专业合作社"],
    ),
    (
        "宁波梅山保税港区裕融投资管理合伙企业（有限合伙）出资",
        ["宁波梅山保税港区裕融投资管理合伙企业（有限合伙）"],
    ),
    ("北京市中伦律师事务所出具法律意见书", ["北京市中伦律师事务所"]),
    ("一家名为北银创投的公司涉嫌网络贷款诈骗", ["北银创投"]),
    ("近日鑫源科技有限公司宣布破产", ["鑫源科技有限公司"]),
    ("华泰金融（上海安民互联网金融信息服务有限公司）", ["上海安民互联网金融信息服务有限公司"]),
    ("“凯瑞汇”运营方芜湖凯瑞信息科技有限公司发布公告", ["芜湖凯瑞信息科技有限公司"]),
    ("其运营公司为芜湖旭帆信息科技有限公司", ["芜湖旭帆信息科技有限公司"]),
    ("芜湖城市运营管理有限公司中标", ["芜湖城市运营管理有限公司"]),
]


@pytest.mark.parametrize(("text", "names"), ORGANISATIONS)
def test_organisation_names_span_the_name_only(text: str, names: list[str]) -> None:
    assert [t for t, _ in _pairs(text, K.ORGANISATION)] == names


NOT_ORGANISATIONS = [
    "去银行取钱，各大银行都一样",
    "某科技有限公司负责人被带走",
    "芜湖某某理财有限公司",
    "该集团已被立案，犯罪集团被摧毁",
    "一家科技有限公司，一家投资管理有限公司",
    "该律师事务所未回应",
    "中国银行业协会发布报告",
    "他在有限公司上班",
]


@pytest.mark.parametrize("text", NOT_ORGANISATIONS)
def test_generic_and_anonymised_names_are_no_mentions(text: str) -> None:
    assert _pairs(text, K.ORGANISATION) == []


# ---------------------------------------------------------------- platforms

PLATFORMS = [
    ("其旗下鑫源金服已下线", ["鑫源金服"]),
    ("警方查处了e租宝平台", ["e租宝"]),
    ("请下载“还呗”APP进行申请", ["还呗"]),
    ("一个叫“鑫源宝”的APP", ["鑫源宝"]),
    ("投资了小资钱包后血本无归", ["小资钱包"]),
    ("今年在鑫源理财投了钱", ["鑫源理财"]),
    ("我们的官方APP“招商e贷”", ["招商e贷"]),
    ("《鑫源财富》官方发布", ["鑫源财富"]),
]


@pytest.mark.parametrize(("text", "names"), PLATFORMS)
def test_introduced_or_quoted_platform_names(text: str, names: list[str]) -> None:
    assert [t for t, _ in _pairs(text, K.PLATFORM)] == names


NOT_PLATFORMS = [
    "很多理财平台都倒闭了",
    "网贷平台全部清零",
    "现在小资钱包",
    "通过中国宝武钢铁采购",
    "学习《防范和处置非法集资条例》",
    "选择正规的理财很重要",
    "信用贷、房贷、车贷都能办",
]


@pytest.mark.parametrize("text", NOT_PLATFORMS)
def test_generic_words_and_titles_are_no_platforms(text: str) -> None:
    assert _pairs(text, K.PLATFORM) == []


# ---------------------------------------------------------------- contacts

CONTACTS = [
    ("咨询13912345678", K.PHONE, [("13912345678", "13912345678")]),
    ("电话：139-1234-5678", K.PHONE, [("139-1234-5678", "13912345678")]),
    ("手机+86 139 1234 5678", K.PHONE, [("+86 139 1234 5678", "13912345678")]),
    (
        "座机(0553)1234567或0551-62345678",
        K.PHONE,
        [("(0553)1234567", "0553-1234567"), ("0551-62345678", "0551-62345678")],
    ),
    ("全国热线400-800-1234", K.PHONE, [("400-800-1234", "4008001234")]),
    ("手机１３９１２３４５６７８", K.PHONE, [("１３９１２３４５６７８", "13912345678")]),
    ("访问https://u.10010.cn/qAE9U立即参与", K.URL, [("https://u.10010.cn/qAE9U", "u.10010.cn")]),
    (
        "官网www.Xinyuan-Finance.com.cn，欢迎",
        K.URL,
        [("www.Xinyuan-Finance.com.cn", "www.xinyuan-finance.com.cn")],
    ),
    ("下载地址xinyuan88.top/app。", K.URL, [("xinyuan88.top/app", "xinyuan88.top")]),
    ("邮箱kefu@xinyuan.com", K.EMAIL, [("kefu@xinyuan.com", "kefu@xinyuan.com")]),
    ("加微信：xinyuan_888咨询", K.WECHAT, [("xinyuan_888", "xinyuan_888")]),
    ("VX 13812345678", K.WECHAT, [("13812345678", "13812345678")]),
    (
        "加V：abc12345，威信号abcd_1234",
        K.WECHAT,
        [("abc12345", "abc12345"), ("abcd_1234", "abcd_1234")],
    ),
    ("QQ：12345678，扣扣 87654321", K.QQ, [("12345678", "12345678"), ("87654321", "87654321")]),
]


@pytest.mark.parametrize(("text", "kind", "expected"), CONTACTS)
def test_contacts_with_normalised_values(
    text: str, kind: MentionKind, expected: list[tuple[str, str]]
) -> None:
    assert _pairs(text, kind) == expected


NOT_CONTACTS = [
    ("银行卡号6222021234567890123", K.PHONE),
    ("订单号ID13912345678", K.PHONE),
    ("2021-06-22 开庭", K.PHONE),
    ("版本v1.2发布", K.URL),
    ("微信支付、微信群都可以", K.WECHAT),
    ("加入QQ群12345678", K.QQ),
    ("年化收益3.5%", K.AMOUNT),
]


@pytest.mark.parametrize(("text", "kind"), NOT_CONTACTS)
def test_lookalikes_are_not_contacts(text: str, kind: MentionKind) -> None:
    assert _pairs(text, kind) == []


# ---------------------------------------------------------------- amounts

AMOUNTS = [
    ("起投5万元", [("5万元", Decimal("50000.00"))]),
    ("人民币1,000元", [("人民币1,000元", Decimal("1000.00"))]),
    ("涉案金额￥3.5亿", [("￥3.5亿", Decimal("350000000.00"))]),
    ("伍万元整", [("伍万元整", Decimal("50000.00"))]),
    ("借了两万五千块", [("两万五千块", Decimal("25000.00"))]),
    ("非法吸收公众存款3.2亿余元", [("3.2亿余元", Decimal("320000000.00"))]),
    ("注册资本1000万元人民币", [("1000万元人民币", Decimal("10000000.00"))]),
    (
        "RMB 3万，ＲＭＢ５０００",
        [("RMB 3万", Decimal("30000.00")), ("ＲＭＢ５０００", Decimal("5000.00"))],
    ),
    ("每月返息500块钱", [("500块钱", Decimal("500.00"))]),
    ("投资额10-50万元", [("50万元", Decimal("500000.00"))]),
    ("一亿五千万元", [("一亿五千万元", Decimal("150000000.00"))]),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_amounts_in_yuan(text: str, expected: list[tuple[str, Decimal]]) -> None:
    assert _pairs(text, K.AMOUNT) == expected


@pytest.mark.parametrize(
    "text", ["投资5万起", "500万美元", "100日元", "一元复始", "二元期权", "统一元素", "万元户"]
)
def test_numbers_without_yuan_are_no_amounts(text: str) -> None:
    assert _pairs(text, K.AMOUNT) == []


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十二", 12), ("二十", 20), ("一百零五", 105), ("三千五", 3500), ("两万五", 25000),
        ("伍万", 50000), ("壹仟贰佰", 1200), ("一亿五千万", 150_000_000), ("十万", 100_000),
        ("一万零五百", 10_500), ("三亿两千万", 320_000_000), ("一二", None), ("万", 0),
    ],
)  # fmt: skip
def test_chinese_numerals(numeral: str, value: int | None) -> None:
    assert parse_chinese_number(numeral) == value


# ---------------------------------------------------------------- places

PLACES = [
    (
        "在北京开会后，回到安徽省芜湖市镜湖区",
        [("北京", "110100"), ("安徽省芜湖市镜湖区", "340202")],
    ),
    ("公司在芜湖注册，芜湖警方已立案", [("芜湖", "340200"), ("芜湖", "340200")]),
    ("安徽芜湖人", [("安徽芜湖", "340200")]),
    ("芜湖市的张三和安徽省的李四", [("芜湖市", "340200"), ("安徽省", "340000")]),
    ("上海南京路步行街", [("上海", "310100")]),
]


@pytest.mark.parametrize(("text", "expected"), PLACES)
def test_places_resolve_to_division_codes(text: str, expected: list[tuple[str, str]]) -> None:
    assert _pairs(text, K.PLACE) == expected


@pytest.mark.parametrize(
    "text", ["白银投资很火", "中国平安保险", "长治久安", "东方财富网", "出海口", "鼓楼区中山路1号"]
)
def test_words_that_look_like_places_are_not_places(text: str) -> None:
    assert _pairs(text, K.PLACE) == []


def test_within_breaks_ties_between_places_of_the_same_name() -> None:
    assert _pairs("家住鼓楼区中山路1号", K.PLACE, within="320100") == [("鼓楼区", "320106")]
    assert _pairs("家住鼓楼区中山路1号", K.PLACE, within="350100") == [("鼓楼区", "350102")]


def test_a_long_text_has_the_places_of_its_parts() -> None:
    # read part by part (cut at separators): a page's places cost its length, not its cube
    part = "芜湖市镜湖区的张三和安徽省的李四，家住鼓楼区中山路1号。"
    page = part * 400
    assert len(page) > 4 * 2_000
    assert _pairs(page, K.PLACE) == _pairs(part, K.PLACE) * 400


# ---------------------------------------------------------------- overlaps


def test_an_email_hides_its_domain_and_qq_number() -> None:
    assert [(m.kind, m.text) for m in find_mentions("联系12345678@qq.com")] == [
        (K.EMAIL, "12345678@qq.com")
    ]


def test_a_wechat_id_that_is_a_phone_is_reported_once_as_wechat() -> None:
    assert [(m.kind, m.text) for m in find_mentions("VX 13812345678")] == [
        (K.WECHAT, "13812345678")
    ]


def test_a_place_inside_an_organisation_name_is_not_reported_separately() -> None:
    mentions = find_mentions("安徽省芜湖市鑫源理财咨询有限公司")
    assert [(m.kind, m.text) for m in mentions] == [
        (K.ORGANISATION, "安徽省芜湖市鑫源理财咨询有限公司")
    ]


def test_an_sms_with_everything() -> None:
    text = (
        "【鑫源理财】芜湖鑫源理财咨询有限公司推出“鑫源宝”，保本保息，起投5万元，"
        "年化12%。详询13912345678，微信xinyuan_888，官网www.xinyuan88.top，地址：芜湖市镜湖区北京路8号"
    )
    kinds = [(m.kind, m.text, m.value) for m in find_mentions(text)]
    assert kinds == [
        (K.PLATFORM, "鑫源理财", "鑫源理财"),
        (K.ORGANISATION, "芜湖鑫源理财咨询有限公司", "芜湖鑫源理财咨询有限公司"),
        (K.PLATFORM, "鑫源宝", "鑫源宝"),
        (K.AMOUNT, "5万元", Decimal("50000.00")),
        (K.PHONE, "13912345678", "13912345678"),
        (K.WECHAT, "xinyuan_888", "xinyuan_888"),
        (K.URL, "www.xinyuan88.top", "www.xinyuan88.top"),
        (K.PLACE, "芜湖市镜湖区", "340202"),
    ]


@pytest.mark.parametrize("text", [None, "", "。，！"])
def test_nothing_gives_nothing(text: str | None) -> None:
    assert find_mentions(text) == []


def test_mentions_are_value_objects() -> None:
    mention = Mention(K.PHONE, "13912345678", 0, 11, "13912345678")
    with pytest.raises(AttributeError):
        mention.text = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("“钱多多”平台近日爆雷", "钱多多"),
        ("登录“钱多多”APP领取奖励", "钱多多"),
        ("“好运来”网站宣称日日分红", "好运来"),
    ],
)
def test_a_quoted_name_followed_by_a_platform_word_is_a_platform(text: str, name: str) -> None:
    platforms = [m.text for m in find_mentions(text) if m.kind == "platform"]
    assert platforms == [name]
