"""Planted cases for SW-R-0003: financial-sounding names with hollow capital.

A hollow company registers at least 1亿元 but has paid in nothing or less than 1 %, or
insures no more than three staff. Positives carry a restricted word in the name (and no
licence, so SW-R-0001 fires too); negatives miss exactly one condition.
"""

from __future__ import annotations

from smokewatch.demo.planters.common import plain_scope
from smokewatch.demo.planting import PlantContext, RuleFacts

# pattern, name word, registered 万元, paid-in 万元, staff, financial name?, hollow?, note
_CASES = (
    (
        "capital.hollow_nothing_paid",
        "金融控股",
        50_000,
        0,
        2,
        True,
        True,
        "registers 5亿元, has paid in 0",
    ),
    (
        "capital.hollow_tiny_paid_in",
        "资产管理",
        10_000,
        50,
        12,
        True,
        True,
        "registers exactly 1亿元, has paid in 50万元 (0.5 %)",
    ),
    (
        "capital.hollow_few_staff",
        "财富管理",
        20_000,
        20_000,
        1,
        True,
        True,
        "registers and paid in 2亿元 but insures one employee",
    ),
    (
        "capital.not_hollow",
        "投资管理",
        20_000,
        20_000,
        45,
        True,
        False,
        "2亿元 fully paid in, 45 insured staff",
    ),
    (
        "capital.paid_in_one_percent",
        "基金管理",
        10_000,
        100,
        10,
        True,
        False,
        "paid-in is exactly 1 % of 1亿元 (not below), 10 insured staff",
    ),
    (
        "capital.below_threshold",
        "财富管理",
        9_999,
        0,
        0,
        True,
        False,
        "registers 9999万元, just below 1亿元, nothing paid in, no staff",
    ),
    (
        "capital.hollow_ordinary_name",
        "建设集团",
        30_000,
        0,
        2,
        False,
        False,
        "hollow capital but an ordinary name",
    ),
)


def plant_hollow_capital(ctx: PlantContext) -> None:
    """Hollow-capital positives and near misses (see the module docstring)."""
    for pattern, word, capital, paid, staff, financial, hollow, note in _CASES:
        record = ctx.enterprise(
            name=ctx.company_name(word),
            business_scope=plain_scope(ctx),
            registered_capital_wan=capital,
            paid_in_capital_wan=paid,
            staff_count=staff,
            industry_code="L7212" if financial else "L7211",
        )
        facts = RuleFacts(name_word=financial, hollow_capital=hollow)
        ctx.plant(pattern, record, facts, note)


__all__ = ["plant_hollow_capital"]
