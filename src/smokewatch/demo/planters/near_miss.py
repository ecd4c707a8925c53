"""Near misses: names and scopes that look financial to a careless matcher; nothing fires."""

from __future__ import annotations

from smokewatch.demo.planting import PlantContext, RuleFacts
from smokewatch.demo.scopes import new_style


def plant_near_misses(ctx: PlantContext) -> None:
    """理发店, 财富广场物业, 二手车交易市场, 资产评估, 投资咨询, 自有资金投资, a clause."""
    clauses = ctx.pools.clauses
    cases = (
        (
            "near_miss.barber",
            f"芜湖市{ctx.trade_name()}理发店",
            "个体工商户",
            "2",
            "O8040",
            new_style(["理发服务", "生活美容服务", "化妆品零售"], [], clauses),
            "理发 shares a character with 理财 but is a barber shop",
        ),
        (
            "near_miss.wealth_plaza_property",
            ctx.company_name("财富广场物业管理"),
            "有限责任公司(自然人投资或控股)",
            "1",
            "K7020",
            new_style(["物业管理", "停车场服务", "非居住房地产租赁"], [], clauses),
            "财富广场 is a building; 财富 alone is not 财富管理",
        ),
        (
            "near_miss.used_car_market",
            ctx.company_name("二手车交易市场"),
            "有限责任公司(自然人投资或控股)",
            "1",
            "L7223",
            new_style(
                ["二手车经纪", "市场管理服务", "停车场服务"], ["二手车交易市场经营"], clauses
            ),
            "交易市场 is neither 交易所 nor 交易中心",
        ),
        (
            "near_miss.asset_appraisal",
            ctx.company_name("资产评估事务所", suffix="（普通合伙）", region="安徽"),
            "普通合伙企业",
            "1",
            "L7249",
            new_style(["资产评估", "财务咨询", "税务服务"], [], clauses),
            "资产评估 is appraisal, not 资产管理",
        ),
        (
            "near_miss.investment_consulting",
            ctx.company_name("投资咨询"),
            "有限责任公司(自然人投资或控股)",
            "1",
            "L7243",
            new_style(["投资咨询", "企业管理咨询", "市场调查（不含涉外调查）"], [], clauses),
            "投资咨询 carries only 投资, no restricted word or activity",
        ),
        (
            "near_miss.own_funds_investment",
            ctx.company_name("实业"),
            "有限责任公司(自然人投资或控股)",
            "1",
            "L7211",
            new_style(["以自有资金从事投资活动", "企业总部管理", "建筑材料销售"], [], clauses),
            "以自有资金从事投资活动 is investing own money, not financial business",
        ),
        (
            "near_miss.finance_only_in_clause",
            ctx.company_name("企业管理咨询"),
            "有限责任公司(自然人投资或控股)",
            "1",
            "L7243",
            new_style(
                ["以自有资金从事投资活动" + clauses.prohibition, "企业管理咨询"], [], clauses
            ),
            "金融 appears only in the prohibition clause of an ordinary scope",
        ),
    )
    for pattern, name, enterprise_type, org_type, code, scope, note in cases:
        record = ctx.enterprise(
            name=name,
            business_scope=scope,
            enterprise_type=enterprise_type,
            org_type=org_type,
            industry_code=code,
            registered_capital_wan=None if org_type == "2" else 200,
        )
        ctx.plant(pattern, record, RuleFacts(), note)


__all__ = ["plant_near_misses"]
