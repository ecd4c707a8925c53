"""Scope texts and small helpers shared by the built-in planters."""

from __future__ import annotations

from smokewatch.demo.planting import PlantContext
from smokewatch.demo.scopes import new_style, old_style

CONSULTING = [
    "企业管理咨询",
    "信息咨询服务（不含许可类信息咨询服务）",
    "会议及展览服务",
    "市场营销策划",
]
"""Plain consulting items: no financial activity, no clause."""

SOFTWARE = ["软件开发", "信息技术咨询服务", "数据处理和存储支持服务", "计算机系统服务"]
"""Plain software items."""


def plain_scope(ctx: PlantContext, items: list[str] | None = None) -> str:
    """A standard-form scope without any financial wording."""
    return new_style(list(items or CONSULTING), [], ctx.pools.clauses)


def activity_scope(ctx: PlantContext, *activities: str, old: bool = False) -> str:
    """A scope that lists restricted financial activities first, then consulting items."""
    items = [*activities, "投资咨询", "企业管理咨询"]
    if old:
        return old_style(items, ctx.pools.clauses)
    return new_style(items, [], ctx.pools.clauses)


def established_before(ctx: PlantContext, days_ago: int) -> int:
    """Days before the as-of date of an establishment some years before ``days_ago``."""
    return days_ago + int(ctx.rng.integers(400, 2500))


__all__ = ["CONSULTING", "SOFTWARE", "activity_scope", "established_before", "plain_scope"]
