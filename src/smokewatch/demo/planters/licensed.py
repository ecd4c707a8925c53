"""Licensed financial institutions whose names carry no restricted word (nothing fires).

Microcredit, guarantee, pawn, leasing and factoring companies, an insurance branch and a
securities branch: the register lists them, the detectors must leave them alone.
"""

from __future__ import annotations

from smokewatch.demo.planting import PlantContext, RuleFacts
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


__all__ = ["plant_licensed_institutions"]
