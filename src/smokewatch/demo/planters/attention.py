"""Planted cases for SW-R-0105 (complaints concentrated) and SW-R-0106 (promotion spread).

Both rules count documents attributed to an enterprise. Each case here is an enterprise with
an ordinary registry row (no registry rule fires on it) and the documents written about it:

- complaints (投诉举报, SW-R-0105): many and several in the year before the as-of date; near
  misses with a single complaint, with complaints older than the year, and with complaints
  that name the company only by its brand (no USCC, not the registered name);
- promotions (ads, posts, SMS, SW-R-0106): wide and growing, wide on outlets, wide on cities,
  growing on one channel; near misses on two outlets, growing too slowly, promoted too long
  ago, an ordinary shop that advertises steadily, and notices (which are no promotions).

Each case states the band it is designed for; :func:`smokewatch.demo.attribution.complete_cases`
checks it against the documents. The documents are cases of their own (the text rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smokewatch.demo.attribution import COMPLAINT_RULE_ID, SPREAD_RULE_ID
from smokewatch.demo.planters.common import plain_scope
from smokewatch.demo.planters.documents import DocumentWriter
from smokewatch.demo.planting import Expectation, PlantContext, RuleFacts
from smokewatch.demo.records import EnterpriseRecord

OTHER_CITY_ADCODE = "340100"
"""合肥市: where a promotion of a Wuhu company is also seen (a second city for SW-R-0106)."""

_TIP_RATE = "document.complaint.tip_rate"
_TIP_PLAIN = "document.complaint.tip_plain"
_OVERDUE = "document.complaint.overdue"
_AD = "document.ad.spread"
_POST = "document.post.spread"
_SMS = "document.sms.spread"
_NOTICE = "document.notice.company"
_SHOP_AD = "document.quiet.shop_ad"


@dataclass(frozen=True, slots=True)
class Doc:
    """One document of a case: pattern, age in days, outlet (default: drawn), division."""

    pattern: str
    days_ago: int
    outlet: str | None = None
    adcode: str | None = None


@dataclass(frozen=True, slots=True)
class _Case:
    pattern: str
    word: str
    """The industry word of the name (芜湖{字号}{word}有限公司)."""
    industry: str
    band: str | None
    docs: tuple[Doc, ...]
    note: str
    unknown_name: str | None = None
    """Complaints name the company this way (字号 + this word), without a USCC."""


_SCOPES = {
    "business_services": ("商务信息咨询（不含投资类咨询）", "市场营销策划", "会议及展览服务"),
    "personal_services": (
        "健康咨询服务（不含诊疗服务）",
        "养生保健服务（非医疗）",
        "会议及展览服务",
    ),
    "software": ("网络技术服务", "软件开发", "信息技术咨询服务"),
    "advertising": ("文艺创作", "组织文化艺术交流活动", "广告设计、代理"),
}
"""Plain scopes by demo industry (``industries.yml``) of the companies planted here."""


def company(ctx: PlantContext, word: str, industry: str) -> tuple[EnterpriseRecord, str]:
    """An ordinary-looking company ``芜湖{字号}{word}有限公司`` (not yet added), and its 字号."""
    trade = ctx.trade_name()
    record = ctx.enterprise(
        name=f"芜湖{trade}{word}有限公司",
        business_scope=plain_scope(ctx, list(_SCOPES[industry])),
        industry_code=ctx.pools.industry(industry).code,
    )
    return record, trade


def _plant(ctx: PlantContext, writer: DocumentWriter, rule: str, case: _Case) -> None:
    record, trade = company(ctx, case.word, case.industry)
    subject = writer.subject(record, trade + "财富")
    if case.unknown_name is not None:
        subject = writer.unknown(trade + case.unknown_name, subject)
    for doc in case.docs:
        writer.write(
            doc.pattern, subject, days_ago=doc.days_ago, outlet=doc.outlet, adcode=doc.adcode
        )
    expect = Expectation(rule, case.band is not None, case.band)
    ctx.plant(case.pattern, record, RuleFacts(), case.note, expect=(expect,))


COMPLAINT_CASES: Sequence[_Case] = (
    _Case(
        "complaints.many",
        "健康管理",
        "personal_services",
        "many",
        (
            Doc(_OVERDUE, 10),
            Doc(_OVERDUE, 60),
            Doc(_TIP_RATE, 85),
            Doc(_OVERDUE, 150),
            Doc(_TIP_RATE, 240),
            Doc(_TIP_PLAIN, 300),
        ),
        "six complaints in the year before the as-of date, three in the last 90 days",
    ),
    _Case(
        "complaints.several",
        "商务信息咨询",
        "business_services",
        "several",
        (Doc(_TIP_PLAIN, 45), Doc(_OVERDUE, 200), Doc(_TIP_RATE, 330)),
        "three complaints in the year before the as-of date",
    ),
    _Case(
        "complaints.single",
        "文化传媒",
        "advertising",
        None,
        (Doc(_TIP_RATE, 60),),
        "one complaint only (SW-R-0105 needs two)",
    ),
    _Case(
        "complaints.outside_window",
        "电子商务",
        "business_services",
        None,
        (Doc(_OVERDUE, 400), Doc(_TIP_PLAIN, 520), Doc(_TIP_RATE, 690)),
        "three complaints, all more than 365 days before the as-of date",
    ),
    _Case(
        "complaints.unknown_name",
        "网络科技",
        "software",
        None,
        (Doc(_TIP_RATE, 30), Doc(_OVERDUE, 90), Doc(_TIP_PLAIN, 150)),
        "three complaints name the company by its brand (字号 + 理财), with no USCC: "
        "not the registered name, so they reach no enterprise",
        unknown_name="理财",
    ),
)
"""Cases of SW-R-0105 (complaints attributed by USCC; the last by an unknown name)."""

SPREAD_CASES: Sequence[_Case] = (
    _Case(
        "spread.wide_and_growing",
        "商务信息咨询",
        "business_services",
        "wide_and_growing",
        (
            Doc(_AD, 10, "微信公众号"),
            Doc(_AD, 25, "抖音"),
            Doc(_AD, 40, "朋友圈广告"),
            Doc(_SMS, 55, "短信"),
            Doc(_POST, 70, "微博"),
            Doc(_AD, 120, "网站"),
        ),
        "six promotions on five outlets, five of them in the last 90 days",
    ),
    _Case(
        "spread.wide_outlets",
        "文化传媒",
        "advertising",
        "wide",
        (
            Doc(_AD, 30, "微信公众号"),
            Doc(_AD, 100, "户外广告牌"),
            Doc(_AD, 130, "宣传单页"),
            Doc(_POST, 160, "今日头条"),
        ),
        "four promotions on four outlets, most of them 90–180 days ago (not growing)",
    ),
    _Case(
        "spread.wide_cities",
        "电子商务",
        "business_services",
        "wide",
        (
            Doc(_AD, 20, "微信公众号"),
            Doc(_AD, 110, "微信公众号", OTHER_CITY_ADCODE),
        ),
        "two ads on one outlet, one of them seen in 合肥市: two cities",
    ),
    _Case(
        "spread.growing",
        "网络科技",
        "software",
        "growing",
        (Doc(_SMS, 5, "短信"), Doc(_SMS, 20, "短信"), Doc(_SMS, 45, "短信"), Doc(_SMS, 80, "短信")),
        "four SMS campaigns in the last 90 days, none before, on one channel",
    ),
    _Case(
        "spread.narrow",
        "商务信息咨询",
        "business_services",
        None,
        (Doc(_AD, 30, "微信公众号"), Doc(_AD, 120, "抖音")),
        "two ads on two outlets in one city: neither wide nor growing",
    ),
    _Case(
        "spread.growing_slowly",
        "健康管理",
        "personal_services",
        None,
        (
            Doc(_SMS, 10, "短信"),
            Doc(_SMS, 30, "短信"),
            Doc(_SMS, 60, "短信"),
            Doc(_SMS, 100, "短信"),
            Doc(_SMS, 150, "短信"),
        ),
        "three SMS in the last 90 days against two before: less than double",
    ),
    _Case(
        "spread.long_ago",
        "文化传媒",
        "advertising",
        None,
        (
            Doc(_AD, 200, "微信公众号"),
            Doc(_AD, 240, "抖音"),
            Doc(_AD, 290, "户外广告牌"),
            Doc(_POST, 340, "微博"),
        ),
        "four promotions on four outlets, all more than 180 days before the as-of date",
    ),
    _Case(
        "spread.notices",
        "电子商务",
        "business_services",
        None,
        (
            Doc(_NOTICE, 20, "微信公众号"),
            Doc(_NOTICE, 50, "网站"),
            Doc(_NOTICE, 80, "社区公告栏"),
        ),
        "three notices on three outlets: notices are not promotions",
    ),
)
"""Cases of SW-R-0106."""


def _steady_shop(ctx: PlantContext, writer: DocumentWriter) -> None:
    """A shop that advertises steadily on two outlets: ordinary advertising stays quiet."""
    industry = ctx.pools.industry("retail")
    word = industry.shops[int(ctx.rng.integers(0, len(industry.shops)))]
    trade = ctx.trade_name()
    record = ctx.enterprise(
        name=f"芜湖市{trade}{word}",
        business_scope=plain_scope(ctx, list(industry.general[:3])),
        enterprise_type="个体工商户",
        org_type="2",
        industry_code=industry.code,
        registered_capital_wan=None,
    )
    subject = writer.subject(record, trade + word)
    for days, outlet in ((10, "宣传单页"), (40, "户外广告牌"), (80, "宣传单页")):
        writer.write(_SHOP_AD, subject, days_ago=days, outlet=outlet)
    for days, outlet in ((100, "户外广告牌"), (130, "宣传单页"), (170, "户外广告牌")):
        writer.write(_SHOP_AD, subject, days_ago=days, outlet=outlet)
    note = "a shop's six promotions on two outlets, three in each 90 days: ordinary advertising"
    ctx.plant("spread.steady_shop", record, RuleFacts(), note, expect=(_quiet(SPREAD_RULE_ID),))


def _quiet(rule: str) -> Expectation:
    return Expectation(rule, False)


def plant_complaints(ctx: PlantContext) -> None:
    """Enterprises complained about, and near misses (SW-R-0105)."""
    writer = DocumentWriter(ctx)
    for case in COMPLAINT_CASES:
        _plant(ctx, writer, COMPLAINT_RULE_ID, case)


def plant_spread(ctx: PlantContext) -> None:
    """Enterprises promoted widely or more and more, and near misses (SW-R-0106)."""
    writer = DocumentWriter(ctx)
    for case in SPREAD_CASES:
        _plant(ctx, writer, SPREAD_RULE_ID, case)
    _steady_shop(ctx, writer)


__all__ = [
    "COMPLAINT_CASES",
    "OTHER_CITY_ADCODE",
    "SPREAD_CASES",
    "Doc",
    "company",
    "plant_complaints",
    "plant_spread",
]
