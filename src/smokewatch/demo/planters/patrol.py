"""The operator of the demo's patrolled site: a registered wealth-consulting firm, unlicensed.

芜湖鑫汇财富咨询有限公司 (:mod:`smokewatch.demo.patrol_site`) is in the company registry with
财富管理咨询 in its 经营范围 and holds no financial licence. The registry alone shows only the
scope (SW-R-0002, band ``binding_activity``: 15 points on SW-S-0001); what makes it a case is
its website, which ``demo init`` patrols: once the patrol resolves the operator by the USCC the
pages show, the two product pages' promises (24 % a year, 保本保息) reach its index through the
scorecard's ``via: document`` link — SW-R-0101 above the legal ceiling (22 + 2 for the second
page) and SW-R-0102's guarantee (18 + 2): 59, orange, 4 points above the grade and 16 below red.
The page cases (``about`` this USCC) are appended by the demo's patrol; this planter adds the
enterprise and its grade. Planted last, it changes nothing the other planters planted.
"""

from __future__ import annotations

from smokewatch.demo.grades import GradeExpectation
from smokewatch.demo.patrol_site import OPERATOR_PATTERN, operator_record
from smokewatch.demo.planting import PlantContext, RuleFacts


def plant_patrol_operator(ctx: PlantContext) -> None:
    """Add the patrolled site's operator with its facts and the grade its pages give it."""
    ctx.plant(
        OPERATOR_PATTERN,
        operator_record(ctx.as_of),
        RuleFacts(scope_activity=True),
        "a registered wealth-consulting firm without a licence (财富管理咨询 in the scope) "
        "whose website promises 24 % a year with a guarantee; orange once its patrolled pages "
        "are attributed to it",
        grade=GradeExpectation("orange"),
    )


__all__ = ["plant_patrol_operator"]
