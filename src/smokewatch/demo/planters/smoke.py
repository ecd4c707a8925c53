"""Smoke-index cases: enterprises designed to reach each grade of SW-S-0001 on several dimensions.

Each case is an enterprise with its registry row, licences and the documents about it, and the
grade the enterprise smoke index (``rulepacks/core/scorecards/SW-S-0001.yml``) should give it.
The points below are the scorecard's; every case keeps a margin from the next grade, so one
document more or less in a band does not change the grade.

======================  =====================================================  ==========
case                    what reaches the enterprise                             index
======================  =====================================================  ==========
``smoke.red``           财富管理 in the name (15) · three ads above the ceiling  100
                        with guarantees, an SMS, two tip-offs with a rate
                        (return 25, lure 20) · wide and growing (12) · five
                        complaints (15) · a reported investigation (25)
``smoke.orange_case``   an ordinary name · one ad at 2–4 × LPR (15) · a          55 (floor)
                        reported investigation (25, at least orange)
``smoke.orange``        理财 in the name and 代客理财 in the scope (21–30) ·     61–70
                        one ad above the ceiling with a guarantee (22 + 18)
``smoke.yellow``        财富管理 in the name (15) · three ads at 1.5–2 × LPR    41
                        on three outlets (6 + 2 + 2, wide 8) · two complaints
                        (8)
``smoke.blue``          an ordinary name · one ad at 2–4 × LPR (15) · two        23
                        complaints (8)
``smoke.licensed``      a licensed private fund manager · three ads at 2–4 ×    23.5
                        LPR (19) growing on three outlets (12), both halved by
                        the licence · two complaints (8); 39 (yellow) without
                        the licence
======================  =====================================================  ==========
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from smokewatch.demo.attribution import COMPLAINT_RULE_ID, SPREAD_RULE_ID
from smokewatch.demo.grades import GradeExpectation
from smokewatch.demo.planters.attention import Doc, company
from smokewatch.demo.planters.common import activity_scope, plain_scope
from smokewatch.demo.planters.documents import DocumentWriter
from smokewatch.demo.planters.names import LICENSED
from smokewatch.demo.planting import LICENCE_RULE_ID, Expectation, PlantContext, RuleFacts
from smokewatch.demo.records import EnterpriseRecord
from smokewatch.demo.scopes import new_style

_GUARANTEE = "document.ad.smoke_guarantee"
_HIGH = "document.ad.smoke_high"
_ELEVATED = "document.ad.smoke_elevated"
_FUND_AD = "document.ad.fund_high"
_SMS = "document.sms.spread"
_TIP_RATE = "document.complaint.tip_rate"
_TIP_PLAIN = "document.complaint.tip_plain"
_OVERDUE = "document.complaint.overdue"
_NEWS = "document.news.investigation"
_FUND = next(item for item in LICENSED if item.kind == "private_fund_manager")


@dataclass(frozen=True, slots=True)
class SmokeCase:
    """An enterprise designed to reach a grade, and the documents about it."""

    pattern: str
    grade: GradeExpectation
    docs: tuple[Doc, ...]
    note: str
    expect: tuple[Expectation, ...] = field(default=())
    """What SW-R-0005, 0105 and 0106 must do (checked against the documents)."""


def _quiet(*rules: str) -> tuple[Expectation, ...]:
    return tuple(Expectation(r, False) for r in rules)


SMOKE_CASES: Sequence[SmokeCase] = (
    SmokeCase(
        "smoke.red",
        GradeExpectation("red"),
        (
            Doc(_GUARANTEE, 12, "微信公众号"),
            Doc(_SMS, 20, "短信"),
            Doc(_GUARANTEE, 35, "抖音"),
            Doc(_GUARANTEE, 58, "朋友圈广告"),
            Doc(_OVERDUE, 15),
            Doc(_OVERDUE, 40),
            Doc(_TIP_RATE, 70),
            Doc(_OVERDUE, 120),
            Doc(_TIP_RATE, 200),
            Doc(_NEWS, 8),
        ),
        "财富管理 in the name without a licence; ads above the legal ceiling with guarantees on "
        "four outlets in the last 90 days; five complaints; police opened an investigation",
        (
            Expectation(COMPLAINT_RULE_ID, True, "many"),
            Expectation(SPREAD_RULE_ID, True, "wide_and_growing"),
            *_quiet(LICENCE_RULE_ID),
        ),
    ),
    SmokeCase(
        "smoke.orange_case",
        GradeExpectation("orange", at_least=True),
        (Doc(_HIGH, 150, "户外广告牌"), Doc(_NEWS, 20)),
        "an ordinary consulting company with one ad at 2–4 × LPR, then an investigation: "
        "a reported case puts it at least at orange",
        _quiet(LICENCE_RULE_ID, COMPLAINT_RULE_ID, SPREAD_RULE_ID),
    ),
    SmokeCase(
        "smoke.orange",
        GradeExpectation("orange"),
        (Doc(_GUARANTEE, 45, "微信公众号"),),
        "理财 in the name and 代客理财 in the scope without a licence, one ad above the "
        "legal ceiling with a guarantee",
        _quiet(LICENCE_RULE_ID, COMPLAINT_RULE_ID, SPREAD_RULE_ID),
    ),
    SmokeCase(
        "smoke.yellow",
        GradeExpectation("yellow"),
        (
            Doc(_ELEVATED, 30, "抖音"),
            Doc(_ELEVATED, 60, "网站"),
            Doc(_ELEVATED, 120, "宣传单页"),
            Doc(_TIP_PLAIN, 50),
            Doc(_TIP_PLAIN, 180),
        ),
        "财富管理 in the name without a licence, ads at 1.5–2 × LPR on three outlets, two "
        "residents asking whether it may sell investments",
        (
            Expectation(COMPLAINT_RULE_ID, True, "several"),
            Expectation(SPREAD_RULE_ID, True, "wide"),
            *_quiet(LICENCE_RULE_ID),
        ),
    ),
    SmokeCase(
        "smoke.blue",
        GradeExpectation("blue"),
        (Doc(_HIGH, 40, "朋友圈广告"), Doc(_TIP_PLAIN, 25), Doc(_TIP_PLAIN, 210)),
        "an ordinary consulting company with one ad at 2–4 × LPR and two residents asking "
        "whether it may sell investments",
        (
            Expectation(COMPLAINT_RULE_ID, True, "several"),
            *_quiet(LICENCE_RULE_ID, SPREAD_RULE_ID),
        ),
    ),
    SmokeCase(
        "smoke.licensed",
        GradeExpectation("blue"),
        (
            Doc(_FUND_AD, 15, "微信公众号"),
            Doc(_FUND_AD, 45, "网站"),
            Doc(_FUND_AD, 75, "朋友圈广告"),
            Doc(_TIP_PLAIN, 30),
            Doc(_TIP_PLAIN, 100),
        ),
        "a registered private fund manager advertising 2–4 × LPR on three outlets, two "
        "complaints: the licence halves returns and spread (yellow without it)",
        (
            Expectation(LICENCE_RULE_ID, True, "licensed"),
            Expectation(COMPLAINT_RULE_ID, True, "several"),
            Expectation(SPREAD_RULE_ID, True, "wide_and_growing"),
        ),
    ),
)
"""The smoke cases, highest grade first."""


def _enterprise(ctx: PlantContext, pattern: str) -> tuple[EnterpriseRecord, RuleFacts, str]:
    """The registry row (and licence) of a smoke case, its registry facts and its brand."""
    if pattern in ("smoke.red", "smoke.yellow"):
        trade = ctx.trade_name()
        record = ctx.enterprise(
            name=f"芜湖{trade}财富管理有限公司", business_scope=plain_scope(ctx)
        )
        return record, RuleFacts(name_word=True), trade + "财富"
    if pattern == "smoke.orange":
        trade = ctx.trade_name()
        record = ctx.enterprise(
            name=f"芜湖{trade}理财咨询有限公司", business_scope=activity_scope(ctx, "代客理财")
        )
        return record, RuleFacts(name_word=True, scope_activity=True), trade + "理财"
    if pattern == "smoke.licensed":
        trade = ctx.trade_name()
        record = ctx.enterprise(
            name=f"芜湖{trade}私募基金管理有限公司",
            business_scope=new_style(list(_FUND.scope_general), [], ctx.pools.clauses),
            industry_code="J6739",
            registered_capital_wan=1_000,
            paid_in_capital_wan=1_000,
            staff_count=int(ctx.rng.integers(12, 40)),
            established_on=ctx.days_ago(int(ctx.rng.integers(1500, 3000))),
        )
        ctx.licence(record, "private_fund_manager", valid_from=ctx.days_ago(1200))
        facts = RuleFacts(
            name_word=True, name_licensed=True, scope_activity=True, scope_licensed=True
        )
        return record, facts, trade + "私募"
    record, trade = company(ctx, "商务信息咨询", "business_services")
    return record, RuleFacts(), trade + "财富"


def plant_smoke_cases(ctx: PlantContext) -> None:
    """One enterprise per smoke case, with its documents and its expected grade."""
    writer = DocumentWriter(ctx)
    for case in SMOKE_CASES:
        record, facts, brand = _enterprise(ctx, case.pattern)
        subject = writer.subject(record, brand)
        for doc in case.docs:
            writer.write(
                doc.pattern, subject, days_ago=doc.days_ago, outlet=doc.outlet, adcode=doc.adcode
            )
        ctx.plant(case.pattern, record, facts, case.note, expect=case.expect, grade=case.grade)


__all__ = ["SMOKE_CASES", "SmokeCase", "plant_smoke_cases"]
