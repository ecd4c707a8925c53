"""Planted cases for SW-R-0001: restricted financial words in names, with and without licences.

- Every binding word of 条例第九条 and every word of the 2016 list (except P2P, which a
  registered Chinese name cannot carry) in the name of an enterprise without any licence.
- Names whose word is authorised by an active licence of the right kind (must not fire).
- Names whose only licence expired, lapsed by date, was revoked, or is of a kind that does
  not authorise the word (fire).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from smokewatch.demo.planters.common import activity_scope, plain_scope
from smokewatch.demo.planting import PlantContext, RuleFacts
from smokewatch.demo.scopes import new_style


@dataclass(frozen=True, slots=True)
class _Word:
    word: str
    name_word: str
    suffix: str = "有限公司"
    enterprise_type: str = "有限责任公司(自然人投资或控股)"
    industry_code: str = "L7212"


BINDING = (
    _Word("金融", "金融信息服务", industry_code="J6940"),
    _Word("交易所", "文化艺术品交易所", industry_code="L7213"),
    _Word("交易中心", "农村产权交易中心", industry_code="L7213"),
    _Word("理财", "理财咨询", industry_code="L7243"),
    _Word("财富管理", "财富管理"),
    _Word("股权众筹", "股权众筹服务", industry_code="J6999"),
)
"""One unlicensed name per binding word (条例第九条)."""

LIST_2016 = (
    _Word("资产管理", "资产管理"),
    _Word("基金", "基金投资", industry_code="J6739"),
    _Word("基金管理", "基金管理", industry_code="J6739"),
    _Word("投资管理", "投资管理"),
    _Word("股权投资基金", "股权投资基金", "合伙企业（有限合伙）", "有限合伙企业", "J6739"),
    _Word("网贷", "网贷信息咨询", industry_code="I6432"),
    _Word("网络借贷", "网络借贷信息中介服务", industry_code="I6432"),
    _Word("互联网保险", "互联网保险代理", industry_code="J6851"),
    _Word("支付", "支付科技", industry_code="J6930"),
)
"""One unlicensed name per word of the 2016 list (P2P cannot appear in a registered name)."""

OTHER = (
    _Word("信托", "信托咨询", industry_code="J6999"),
    _Word("银行", "村镇银行", "股份有限公司", "股份有限公司(非上市、自然人投资或控股)", "J6622"),
)
"""Other restricted words (信托, 银行)."""

_ACTIVITY_FOR = {
    "资产管理": "资产管理",
    "投资管理": "投资管理",
    "网络借贷": "网络借贷信息中介服务",
    "基金管理": "受托管理股权投资基金",
    "股权投资基金": "受托管理股权投资基金",
}


def _unlicensed(ctx: PlantContext, pattern: str, word: _Word, *, with_activity: bool) -> None:
    activity = _ACTIVITY_FOR.get(word.word, "投资管理")
    scope = activity_scope(ctx, activity, old=True) if with_activity else plain_scope(ctx)
    record = ctx.enterprise(
        name=ctx.company_name(word.name_word, suffix=word.suffix),
        business_scope=scope,
        enterprise_type=word.enterprise_type,
        industry_code=word.industry_code,
    )
    facts = RuleFacts(name_word=True, scope_activity=with_activity)
    note = f"restricted word {word.word} in the name; no licence of any kind"
    if with_activity:
        note += f"; the scope also lists {activity}"
    ctx.plant(pattern, record, facts, note)


def plant_unlicensed_names(ctx: PlantContext) -> None:
    """Restricted words in names of enterprises that hold no licence (SW-R-0001 fires)."""
    for word in BINDING:
        _unlicensed(ctx, "name.binding_word_unlicensed", word, with_activity=False)
    for i, word in enumerate(LIST_2016):
        _unlicensed(ctx, "name.list2016_word_unlicensed", word, with_activity=i % 2 == 0)
    for word in OTHER:
        _unlicensed(ctx, "name.other_word_unlicensed", word, with_activity=False)


@dataclass(frozen=True, slots=True)
class _Licensed:
    kind: str
    word: str
    name_word: str
    suffix: str
    enterprise_type: str
    industry_code: str
    scope_general: tuple[str, ...]
    scope_licensed: tuple[str, ...]
    scope_activity: bool
    capital_wan: int
    region: str = "芜湖"


LICENSED = (
    _Licensed(
        "bank",
        "银行",
        "农村商业银行",
        "股份有限公司",
        "股份有限公司(非上市、自然人投资或控股)",
        "J6622",
        (),
        ("银行业务",),
        True,
        100_000,
    ),
    _Licensed(
        "private_fund_manager",
        "基金管理",
        "私募基金管理",
        "有限公司",
        "有限责任公司(自然人投资或控股)",
        "J6739",
        (
            "私募股权投资基金管理、创业投资基金管理服务（须在中国证券投资基金业协会完成登记备案后方可从事经营活动）",
        ),
        (),
        True,
        1_000,
    ),
    _Licensed(
        "payment",
        "支付",
        "支付服务",
        "有限公司",
        "有限责任公司(非自然人投资或控股的法人独资)",
        "J6930",
        ("软件开发", "信息技术咨询服务"),
        ("支付业务",),
        True,
        10_000,
    ),
    _Licensed(
        "trust",
        "信托",
        "信托",
        "有限责任公司",
        "其他有限责任公司",
        "J6913",
        (),
        ("信托业务",),
        True,
        300_000,
        region="安徽",
    ),
    _Licensed(
        "exchange_venue",
        "交易中心",
        "产权交易中心",
        "有限公司",
        "有限责任公司(国有控股)",
        "L7213",
        ("产权交易服务", "会议及展览服务"),
        (),
        False,
        5_000,
    ),
    _Licensed(
        "wealth_management_company",
        "理财",
        "理财",
        "有限责任公司",
        "有限责任公司(非自然人投资或控股的法人独资)",
        "J6760",
        (),
        ("理财业务",),
        True,
        100_000,
    ),
)
"""Licensed holders whose restricted word the licence authorises (SW-R-0001 must not fire)."""


def plant_licensed_names(ctx: PlantContext) -> None:
    """Restricted words covered by an active licence of the right kind (nothing fires)."""
    for item in LICENSED:
        record = ctx.enterprise(
            name=ctx.company_name(item.name_word, suffix=item.suffix, region=item.region),
            business_scope=new_style(
                list(item.scope_general), list(item.scope_licensed), ctx.pools.clauses
            ),
            enterprise_type=item.enterprise_type,
            industry_code=item.industry_code,
            registered_capital_wan=item.capital_wan,
            paid_in_capital_wan=item.capital_wan,
            staff_count=int(ctx.rng.integers(25, 400)),
            established_on=ctx.days_ago(int(ctx.rng.integers(1500, 6000))),
        )
        # Payment licences run for five years; the others in this list are open-ended.
        valid_from = ctx.days_ago(int(ctx.rng.integers(300, 1500)))
        valid_to = valid_from + timedelta(days=5 * 365) if item.kind == "payment" else None
        ctx.licence(record, item.kind, valid_from=valid_from, valid_to=valid_to)
        facts = RuleFacts(
            name_word=True,
            name_licensed=True,
            scope_activity=item.scope_activity,
            scope_licensed=item.scope_activity,
        )
        note = f"{item.word} in the name is authorised by an active {item.kind} licence"
        ctx.plant("name.licensed", record, facts, note)


def plant_invalid_licences(ctx: PlantContext) -> None:
    """Restricted words whose only licence no longer counts or is of the wrong kind (fires)."""
    cases = (
        (
            "name.licence_expired",
            "支付服务",
            "payment",
            "expired",
            120,
            "the payment licence expired 120 days before the as-of date (status 已过期)",
        ),
        (
            "name.licence_lapsed_by_date",
            "支付科技",
            "payment",
            "active",
            30,
            "the payment licence still reads 有效 but ended 30 days before the as-of date",
        ),
        (
            "name.licence_revoked",
            "私募基金管理",
            "private_fund_manager",
            "revoked",
            None,
            "the private fund manager registration was cancelled (注销)",
        ),
        (
            "name.licence_wrong_kind",
            "财富管理",
            "pawn",
            "active",
            None,
            "a pawn licence does not authorise 财富管理",
        ),
        (
            "name.licence_wrong_kind",
            "基金管理",
            "financing_guarantee",
            "active",
            None,
            "a financing guarantee licence does not authorise 基金管理",
        ),
    )
    for pattern, word, kind, status, ended_days_ago, note in cases:
        record = ctx.enterprise(
            name=ctx.company_name(word),
            business_scope=plain_scope(ctx),
            established_on=ctx.days_ago(int(ctx.rng.integers(2200, 4000))),
        )
        valid_to = ctx.days_ago(ended_days_ago) if ended_days_ago is not None else None
        valid_from = ctx.days_ago(ended_days_ago + 5 * 365) if ended_days_ago else None
        ctx.licence(record, kind, status=status, valid_from=valid_from, valid_to=valid_to)
        ctx.plant(pattern, record, RuleFacts(name_word=True), note)


__all__ = [
    "BINDING",
    "LICENSED",
    "LIST_2016",
    "OTHER",
    "plant_invalid_licences",
    "plant_licensed_names",
    "plant_unlicensed_names",
]
