"""Platform-risk features: only what a platform looked like *before* it failed.

Profile fields that wdzj empties or resets once a platform fails (stated yields, bank
custody, association membership, scores, fees, office address) are deliberately absent:
their emptiness would "predict" failure only because the profile was crawled afterwards.
What remains is fixed at launch (name, company, launch date, registered capital, location,
backer, ICP filing) or computed from dated problem events as known on the evaluation date.

Context is limited to *failures* known on the date. Counts of platforms *operating* on a
date (per province, per launch cohort) are not used: the files only know a platform that
later failed or survived into wdzj's mid-2017 list, so such a count grows with the failures
still to come, and shrinks to the survivors at the scoring date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smokewatch.score.ml.features import FeatureKind, FeatureSet

if TYPE_CHECKING:
    import ibis.expr.types as ir

PROFILE = ("platDataDetail.csv", "problemPlatDetail.csv")
EVENTS = ("problemPlat.csv",)
FLAG, COUNT = FeatureKind.FLAG, FeatureKind.COUNT
WAN = ("万元", "× 10k CNY")

ICP_PROVINCE = {
    "北京": "京", "天津": "津", "河北": "冀", "山西": "晋", "内蒙古": "蒙", "辽宁": "辽",
    "吉林": "吉", "黑龙江": "黑", "上海": "沪", "江苏": "苏", "浙江": "浙", "安徽": "皖",
    "福建": "闽", "江西": "赣", "山东": "鲁", "河南": "豫", "湖北": "鄂", "湖南": "湘",
    "广东": "粤", "广西": "桂", "海南": "琼", "重庆": "渝", "四川": "蜀", "贵州": "黔",
    "云南": "滇", "西藏": "藏", "陕西": "陕", "甘肃": "甘", "青海": "青", "宁夏": "宁",
    "新疆": "新",
}  # fmt: skip
"""The one-character province abbreviation that opens an ICP filing number (京ICP备…)."""

PLATFORM_RISK = FeatureSet("platform-risk", keys=("platName", "as_of"), base="platform")
"""Every feature of the platform-risk model, in model column order."""


def _has(text: Any, pattern: str) -> Any:
    return text.fill_null("").re_search(pattern).cast("int64")


def _months(start: Any, end: Any) -> Any:
    return (end.year() - start.year()) * 12 + (end.month() - start.month())


@PLATFORM_RISK.row(zh="上线月数", en="months online", inputs=PROFILE)
def months_online(p: ir.Table) -> ir.Value:
    """Months between the platform's launch and the evaluation date.

    Young platforms fail more often: many were set up to raise money quickly and disappear.
    """
    return _months(p.onlineDate, p.as_of)


@PLATFORM_RISK.row(zh="注册资本", en="registered capital", inputs=PROFILE, unit=WAN)
def registered_capital(p: ir.Table) -> ir.Value:
    """Registered (subscribed) capital in 万元.

    Shell vehicles for fundraising often declare large round amounts they never pay in.
    """
    return p.registeredCapital.nullif(0)


@PLATFORM_RISK.row(
    zh="国资、上市或银行背景", en="state, listed or bank backer", inputs=PROFILE, kind=FLAG
)
def institutional_backer(p: ir.Table) -> ir.Value:
    """1 when wdzj lists a state-owned, listed-company or bank background.

    That is 国资系, 上市系 or 银行系 as the platform's background.
    """
    return p.platBackground.isin([1, 3, 4]).cast("int64")


@PLATFORM_RISK.row(zh="平台名含“贷”", en="name contains 贷 (loan)", inputs=PROFILE, kind=FLAG)
def name_loan(p: ir.Table) -> ir.Value:
    """1 when the platform's name contains 贷 (loan), the generic naming of small P2P shops."""
    return _has(p.platName, "贷")


@PLATFORM_RISK.row(
    zh="平台名含“财/富”", en="name contains 财/富 (wealth)", inputs=PROFILE, kind=FLAG
)
def name_wealth(p: ir.Table) -> ir.Value:
    """1 when the name contains 财 or 富 (wealth, 理财/财富) — a promise of returns."""
    return _has(p.platName, "财|富")


@PLATFORM_RISK.row(zh="平台名含“金”", en="name contains 金 (finance)", inputs=PROFILE, kind=FLAG)
def name_finance(p: ir.Table) -> ir.Value:
    """1 when the name contains 金 (金服, 金融, 金所 …)."""
    return _has(p.platName, "金")


@PLATFORM_RISK.row(zh="平台名含“宝”", en="name contains 宝 (treasure)", inputs=PROFILE, kind=FLAG)
def name_treasure(p: ir.Table) -> ir.Value:
    """1 when the name contains 宝 (treasure), common in retail investment products."""
    return _has(p.platName, "宝")


@PLATFORM_RISK.row(
    zh="平台名含“投/资本”", en="name contains 投/资本 (invest)", inputs=PROFILE, kind=FLAG
)
def name_invest(p: ir.Table) -> ir.Value:
    """1 when the name contains 投 or 资本 (invest, capital)."""
    return _has(p.platName, "投|资本")


@PLATFORM_RISK.row(zh="平台名含“网”", en="name contains 网 (net)", inputs=PROFILE, kind=FLAG)
def name_net(p: ir.Table) -> ir.Value:
    """1 when the name contains 网 (net), typical of early platforms."""
    return _has(p.platName, "网")


@PLATFORM_RISK.row(
    zh="平台名含字母数字", en="name has Latin letters or digits", inputs=PROFILE, kind=FLAG
)
def name_latin(p: ir.Table) -> ir.Value:
    """1 when the name contains Latin letters or digits (e.g. 51人品, e路同心)."""
    return _has(p.platName, "[A-Za-z0-9]")


@PLATFORM_RISK.row(zh="平台名长度", en="name length", inputs=PROFILE)
def name_length(p: ir.Table) -> ir.Value:
    """Number of characters of the platform's name."""
    return p.platName.length()


@PLATFORM_RISK.row(zh="公司名含“投资”", en="company name has 投资", inputs=PROFILE, kind=FLAG)
def company_investment(p: ir.Table) -> ir.Value:
    """1 when the operating company is registered as an investment company.

    …投资…公司, not an information intermediary as the 2016 rules require.
    """
    return _has(p.companyName, "投资")


@PLATFORM_RISK.row(
    zh="公司名含“资产管理”", en="company name has 资产管理", inputs=PROFILE, kind=FLAG
)
def company_asset_management(p: ir.Table) -> ir.Value:
    """1 when the operating company is an asset-management company (资产管理)."""
    return _has(p.companyName, "资产管理")


@PLATFORM_RISK.row(zh="公司名含“金融”", en="company name has 金融", inputs=PROFILE, kind=FLAG)
def company_finance(p: ir.Table) -> ir.Value:
    """1 when the company name contains 金融 (finance), e.g. 金融信息服务."""
    return _has(p.companyName, "金融")


@PLATFORM_RISK.row(
    zh="公司名含“科技/技术”", en="company name has 科技/技术", inputs=PROFILE, kind=FLAG
)
def company_technology(p: ir.Table) -> ir.Value:
    """1 when the operating company is a technology company (科技, 技术)."""
    return _has(p.companyName, "科技|技术")


@PLATFORM_RISK.row(
    zh="公司名含“电子商务”", en="company name has 电子商务", inputs=PROFILE, kind=FLAG
)
def company_ecommerce(p: ir.Table) -> ir.Value:
    """1 when the operating company is an e-commerce company (电子商务)."""
    return _has(p.companyName, "电子商务")


@PLATFORM_RISK.row(
    zh="公司名含“信息服务/咨询”", en="company name has 信息服务/咨询", inputs=PROFILE, kind=FLAG
)
def company_information_service(p: ir.Table) -> ir.Value:
    """1 when the company describes itself as an information service or consultancy."""
    return _has(p.companyName, "信息服务|信息咨询")


@PLATFORM_RISK.row(
    zh="ICP备案地与所在省不符", en="ICP filed in another province", inputs=PROFILE, kind=FLAG
)
def icp_other_province(p: ir.Table) -> ir.Value:
    """1 when the website's ICP filing comes from another province.

    The filing number (京ICP备…) was issued in another province than the one the platform gives
    as its location: a filing borrowed or kept from elsewhere.
    """
    expected = p.province.substitute(ICP_PROVINCE, else_="")
    filed = p.recordId.fill_null("").strip()
    has_icp = filed.re_search("ICP")
    return (has_icp & (filed.substr(0, 1) != expected)).cast("int64")


@PLATFORM_RISK.row(
    zh="本省近一年出问题平台数", en="failures in the province, past year", inputs=EVENTS, kind=COUNT
)
def province_failures(p: ir.Table) -> ir.Value:
    """Platforms of the same province that failed in the past twelve months.

    Problem events (ceased, blocked withdrawals, absconded, police) in the twelve months
    before the evaluation date.
    """
    return p.province_failures.fill_null(0)


@PLATFORM_RISK.row(
    zh="本市近一年出问题平台数", en="failures in the city, past year", inputs=PROFILE, kind=COUNT
)
def city_failures(p: ir.Table) -> ir.Value:
    """Platforms of the same city that failed in the past twelve months.

    Counted from the problem profiles, up to the evaluation date.
    """
    return p.city_failures.fill_null(0)


__all__ = ["ICP_PROVINCE", "PLATFORM_RISK"]
