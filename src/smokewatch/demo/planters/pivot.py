"""Planted cases for SW-R-0004: a recent turn of name or scope towards finance.

A name pivot changes a name without a restricted word into one with it; a scope pivot
changes the scope so that it now lists a restricted financial activity. Recent means within
180 days before the as-of date; the planted changes keep well clear of that boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

from smokewatch.demo.planters.common import activity_scope, plain_scope
from smokewatch.demo.planting import PlantContext, RuleFacts


@dataclass(frozen=True, slots=True)
class _NameChange:
    pattern: str
    former_word: str
    word: str
    days_ago: int
    facts: RuleFacts
    note: str
    activity: str | None = None


_NAME_CHANGES = (
    _NameChange(
        "pivot.name_recent",
        "建材",
        "资产管理",
        45,
        RuleFacts(name_word=True, recent_pivot=True),
        "renamed from a building-materials trader to 资产管理 45 days ago",
    ),
    _NameChange(
        "pivot.name_recent",
        "商贸",
        "金融信息服务",
        120,
        RuleFacts(name_word=True, scope_activity=True, recent_pivot=True),
        "renamed from a trading company 120 days ago; scope changed the same day",
        activity="金融信息服务",
    ),
    _NameChange(
        "pivot.name_old",
        "信息科技",
        "财富管理",
        400,
        RuleFacts(name_word=True),
        "renamed to 财富管理 400 days ago: restricted word, but not a recent pivot",
    ),
    _NameChange(
        "pivot.name_recent_ordinary",
        "建筑劳务",
        "建设工程",
        30,
        RuleFacts(),
        "renamed 30 days ago, but neither name is financial",
    ),
    _NameChange(
        "pivot.name_recent_already_financial",
        "投资管理",
        "资产管理",
        60,
        RuleFacts(name_word=True),
        "renamed 60 days ago, but the former name was already financial",
    ),
)


def plant_name_pivots(ctx: PlantContext) -> None:
    """Name changes towards finance, recent and not, with their near misses."""
    for change in _NAME_CHANGES:
        trade_name = ctx.trade_name()
        changed = ctx.days_ago(change.days_ago)
        scope = activity_scope(ctx, change.activity) if change.activity else plain_scope(ctx)
        record = ctx.enterprise(
            name=f"芜湖{trade_name}{change.word}有限公司",
            former_names=(f"芜湖{trade_name}{change.former_word}有限公司",),
            name_changed_on=changed,
            business_scope=scope,
            scope_changed_on=changed if change.activity else None,
            established_on=ctx.days_ago(change.days_ago + int(ctx.rng.integers(400, 2500))),
        )
        ctx.plant(change.pattern, record, change.facts, change.note)


_SCOPE_CHANGES = (
    (
        "pivot.scope_recent",
        "互联网金融信息服务",
        30,
        True,
        "scope changed 30 days ago to list 互联网金融信息服务",
    ),
    ("pivot.scope_recent", "代客理财", 150, True, "scope changed 150 days ago to list 代客理财"),
    (
        "pivot.scope_old",
        "资产管理",
        300,
        False,
        "scope lists 资产管理 since a change 300 days ago: not recent",
    ),
    (
        "pivot.scope_recent_ordinary",
        None,
        20,
        False,
        "scope changed 20 days ago, but lists no financial activity",
    ),
)


def plant_scope_pivots(ctx: PlantContext) -> None:
    """Scope changes towards finance, recent and not, with an ordinary recent change."""
    for pattern, activity, days_ago, recent, note in _SCOPE_CHANGES:
        scope = activity_scope(ctx, activity) if activity else plain_scope(ctx)
        record = ctx.enterprise(
            name=ctx.company_name("信息科技"),
            business_scope=scope,
            scope_changed_on=ctx.days_ago(days_ago),
            industry_code="I6513",
            established_on=ctx.days_ago(days_ago + int(ctx.rng.integers(400, 2500))),
        )
        facts = RuleFacts(scope_activity=activity is not None, recent_pivot=recent)
        ctx.plant(pattern, record, facts, note)


__all__ = ["plant_name_pivots", "plant_scope_pivots"]
