"""Licensed financial institutions whose names carry no restricted word.

Microcredit, guarantee, pawn, leasing and factoring companies, an insurance branch and a
securities branch: the register lists them, the risk rules must leave them alone, and the
qualifier SW-R-0005 (a valid licence) fires on them. Institutions whose licence expired, is
suspended or does not start before the as-of date must keep SW-R-0005 quiet; one that renewed
an expired licence holds a valid one.
"""

from __future__ import annotations

from datetime import timedelta

from smokewatch.demo.planting import LICENCE_RULE_ID, Expectation, PlantContext, RuleFacts
from smokewatch.demo.records import EnterpriseRecord
from smokewatch.demo.scopes import new_style

# kind, name word, suffix, region, enterprise type, industry code, licensed scope item
_INSTITUTIONS = (
    (
        "microcredit",
        "小额贷款",
        "有限公司",
        "芜湖",
        "有限责任公司(自然人投资或控股)",
        "J6639",
        "发放小额贷款",
    ),
    (
        "financing_guarantee",
        "融资担保",
        "有限公司",
        "芜湖",
        "有限责任公司(国有控股)",
        "J6992",
        "融资担保业务",
    ),
    ("pawn", "典当", "有限责任公司", "芜湖", "有限责任公司(自然人投资或控股)", "J6634", "典当业务"),
    (
        "financial_leasing",
        "融资租赁",
        "有限公司",
        "芜湖",
        "有限责任公司(外商投资、非独资)",
        "L7114",
        "融资租赁业务",
    ),
    (
        "commercial_factoring",
        "商业保理",
        "有限公司",
        "芜湖",
        "有限责任公司(自然人投资或控股)",
        "J6639",
        "商业保理业务",
    ),
    (
        "insurance",
        "财产保险",
        "股份有限公司芜湖中心支公司",
        "",
        "股份有限公司分公司(非上市)",
        "J6820",
        "财产损失保险",
    ),
    (
        "securities",
        "证券",
        "股份有限公司芜湖营业部",
        "",
        "股份有限公司分公司(非上市)",
        "J6712",
        "证券经纪",
    ),
)


def plant_licensed_institutions(ctx: PlantContext) -> None:
    """Licensed institutions with ordinary names (background of the licence register)."""
    for kind, word, suffix, region, enterprise_type, code, item in _INSTITUTIONS:
        branch = "支公司" in suffix or "营业部" in suffix
        record = ctx.enterprise(
            name=ctx.company_name(word, suffix=suffix, region=region),
            business_scope=new_style([], [item], ctx.pools.clauses),
            enterprise_type=enterprise_type,
            industry_code=code,
            registered_capital_wan=None if branch else 10_000,
            paid_in_capital_wan=None if branch else 10_000,
            staff_count=int(ctx.rng.integers(8, 60)),
            established_on=ctx.days_ago(int(ctx.rng.integers(1500, 5000))),
        )
        ctx.licence(record, kind)
        note = f"licensed ({kind}); the name carries no restricted word"
        ctx.plant("licensed.institution", record, RuleFacts(), note)


def _institution(ctx: PlantContext, index: int) -> EnterpriseRecord:
    _, word, suffix, region, enterprise_type, code, item = _INSTITUTIONS[index]
    return ctx.enterprise(
        name=ctx.company_name(word, suffix=suffix, region=region),
        business_scope=new_style([], [item], ctx.pools.clauses),
        enterprise_type=enterprise_type,
        industry_code=code,
        registered_capital_wan=10_000,
        paid_in_capital_wan=10_000,
        staff_count=int(ctx.rng.integers(8, 60)),
        established_on=ctx.days_ago(int(ctx.rng.integers(2500, 5000))),
    )


def plant_licence_qualifiers(ctx: PlantContext) -> None:
    """Institutions whose licence lapsed, is suspended, starts later, or was renewed."""
    quiet, fires = (
        Expectation(LICENCE_RULE_ID, False),
        Expectation(LICENCE_RULE_ID, True, "licensed"),
    )
    expired = _institution(ctx, 0)
    ctx.licence(
        expired,
        "microcredit",
        status="expired",
        valid_from=ctx.days_ago(5 * 365 + 90),
        valid_to=ctx.days_ago(90),
    )
    note = "the microcredit licence expired 90 days before the as-of date (已过期)"
    ctx.plant("licensed.qualifier_expired", expired, RuleFacts(), note, expect=(quiet,))
    suspended = _institution(ctx, 2)
    ctx.licence(suspended, "pawn", status="suspended")
    note = "the pawn licence is suspended (暂停): no valid licence"
    ctx.plant("licensed.qualifier_suspended", suspended, RuleFacts(), note, expect=(quiet,))
    later = _institution(ctx, 4)
    ctx.licence(later, "commercial_factoring", valid_from=ctx.as_of + timedelta(days=30))
    note = "the factoring licence takes effect 30 days after the as-of date"
    ctx.plant("licensed.qualifier_not_yet", later, RuleFacts(), note, expect=(quiet,))
    renewed = _institution(ctx, 3)
    ended = ctx.days_ago(400)
    ctx.licence(
        renewed,
        "financial_leasing",
        status="expired",
        valid_from=ended - timedelta(days=5 * 365),
        valid_to=ended,
    )
    ctx.licence(renewed, "financial_leasing", valid_from=ended + timedelta(days=1))
    note = "an expired leasing licence and the renewed one, valid on the as-of date"
    ctx.plant("licensed.qualifier_renewed", renewed, RuleFacts(), note, expect=(fires,))


__all__ = ["plant_licence_qualifiers", "plant_licensed_institutions"]
