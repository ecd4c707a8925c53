"""Planted cases for SW-R-0002: restricted financial activities in business scopes.

Positives list one restricted activity each, under an ordinary name and without a licence.
Decoys carry finance words only where they do not describe the business: inside a
prohibition clause, inside an exclusion, or in a benign context; they must not fire.
"""

from __future__ import annotations

from smokewatch.demo.planters.common import SOFTWARE, activity_scope
from smokewatch.demo.planting import PlantContext, RuleFacts
from smokewatch.demo.scopes import new_style, old_style

_ORDINARY_WORDS = ("信息科技", "网络科技", "商务咨询", "企业管理咨询", "科技", "电子商务")


def plant_scope_activities(ctx: PlantContext) -> None:
    """One ordinary-named, unlicensed enterprise per restricted activity (SW-R-0002 fires)."""
    for i, activity in enumerate(ctx.pools.restricted_activities):
        word = _ORDINARY_WORDS[i % len(_ORDINARY_WORDS)]
        record = ctx.enterprise(
            name=ctx.company_name(word),
            business_scope=activity_scope(ctx, activity, old=i % 2 == 1),
            industry_code="L7243",
        )
        note = f"the scope lists {activity}; the name is ordinary and there is no licence"
        ctx.plant("scope.activity_unlicensed", record, RuleFacts(scope_activity=True), note)


def _decoys(ctx: PlantContext) -> tuple[tuple[str, str, str, str], ...]:
    clauses = ctx.pools.clauses
    return (
        (
            "scope.decoy_prohibition_clause",
            "商务咨询",
            new_style(
                ["商务信息咨询" + clauses.prohibition, "会议及展览服务", "市场营销策划"],
                [],
                clauses,
            ),
            "代客理财 and 金融 appear only inside the prohibition clause",
        ),
        (
            "scope.decoy_prohibition_clause",
            "企业管理",
            new_style(
                [
                    "企业管理咨询",
                    "财务咨询（不得从事非法集资、吸收公众资金等金融活动）",
                    "税务服务",
                ],
                [],
                clauses,
            ),
            "金融 appears only inside a prohibition (不得从事…金融活动)",
        ),
        (
            "scope.decoy_exclusion",
            "供应链管理",
            new_style(
                ["供应链管理服务" + clauses.exclusion, "国内贸易代理", "货物进出口"], [], clauses
            ),
            "金融 appears only in the exclusion （不含金融业务）",
        ),
        (
            "scope.decoy_exclusion",
            "企业管理咨询",
            old_style(
                [
                    "企业管理咨询（不含投资管理、资产管理等金融业务）",
                    "商务信息咨询",
                    "企业形象策划",
                ],
                clauses,
            ),
            "投资管理 and 资产管理 appear only inside an exclusion",
        ),
        (
            "scope.decoy_benign_context",
            "信息技术",
            new_style(
                [*SOFTWARE[:2], "接受金融机构委托从事信息技术和流程外包服务（不含金融信息服务）"],
                [],
                clauses,
            ),
            "金融机构 as a client of IT outsourcing is not financial business",
        ),
        (
            "scope.decoy_benign_context",
            "数据科技",
            new_style(
                [
                    "数据处理服务",
                    "接受金融机构委托从事信息技术和流程外包服务（不含金融信息服务）",
                    "呼叫中心",
                ],
                ["第二类增值电信业务"],
                clauses,
            ),
            "outsourcing for financial institutions, with the excluded 金融信息服务",
        ),
    )


def plant_scope_decoys(ctx: PlantContext) -> None:
    """Finance words in scopes that are not financial business (nothing fires)."""
    for pattern, word, scope, note in _decoys(ctx):
        record = ctx.enterprise(
            name=ctx.company_name(word), business_scope=scope, industry_code="L7243"
        )
        ctx.plant(pattern, record, RuleFacts(), note)


__all__ = ["plant_scope_activities", "plant_scope_decoys"]
