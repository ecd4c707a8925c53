"""The built-in planters: what the registry and text rules must find and must leave alone.

The registry rules SW-R-0001…0005 read planted enterprises and licences; the text rules
SW-R-0101…0104 read planted documents; SW-R-0105 and 0106 read the documents attributed to
planted enterprises; the smoke cases are enterprises designed to reach each grade of the
enterprise smoke index; the licensed local financial organisations (SW-R-0401…0409, rating
SW-S-0003) and the online-lending platforms (SW-R-0201…0215, SW-S-0002) follow; the company
families (shareholders and key personnel, SW-R-0501) and the local trading venues
(SW-R-0410…0414, rated on SW-S-0003) follow; the operator of the site the demo patrols
(:mod:`smokewatch.demo.patrol_site`) comes last.
"""

from __future__ import annotations

from smokewatch.demo.planters.attention import plant_complaints, plant_spread
from smokewatch.demo.planters.capital import plant_hollow_capital
from smokewatch.demo.planters.documents import (
    plant_events,
    plant_lending,
    plant_promotions,
    plant_quiet,
)
from smokewatch.demo.planters.families import plant_families
from smokewatch.demo.planters.licensed import (
    plant_licence_qualifiers,
    plant_licensed_institutions,
)
from smokewatch.demo.planters.local_finance import plant_local_finance
from smokewatch.demo.planters.names import (
    plant_invalid_licences,
    plant_licensed_names,
    plant_unlicensed_names,
)
from smokewatch.demo.planters.near_miss import plant_near_misses
from smokewatch.demo.planters.patrol import plant_patrol_operator
from smokewatch.demo.planters.pivot import plant_name_pivots, plant_scope_pivots
from smokewatch.demo.planters.platforms import plant_platforms
from smokewatch.demo.planters.scope import plant_scope_activities, plant_scope_decoys
from smokewatch.demo.planters.smoke import plant_smoke_cases
from smokewatch.demo.planters.venues import plant_venues
from smokewatch.demo.planting import FunctionPlanter, Planter


def builtin_planters() -> tuple[Planter, ...]:
    """The built-in planters, in planting order. Names are stable: they seed each planter.

    The document planters follow the enterprise planters: they write about enterprises the
    others planted. Planters added later come last, so that they change nothing the earlier
    ones planted (trade names and USCC indexes are drawn in planting order).
    """
    return (
        FunctionPlanter("restricted_name_unlicensed", plant_unlicensed_names),
        FunctionPlanter("restricted_name_licensed", plant_licensed_names),
        FunctionPlanter("restricted_name_invalid_licence", plant_invalid_licences),
        FunctionPlanter("scope_activity", plant_scope_activities),
        FunctionPlanter("scope_decoy", plant_scope_decoys),
        FunctionPlanter("hollow_capital", plant_hollow_capital),
        FunctionPlanter("name_pivot", plant_name_pivots),
        FunctionPlanter("scope_pivot", plant_scope_pivots),
        FunctionPlanter("near_miss", plant_near_misses),
        FunctionPlanter("licensed_institution", plant_licensed_institutions),
        FunctionPlanter("document_promotions", plant_promotions),
        FunctionPlanter("document_lending", plant_lending),
        FunctionPlanter("document_events", plant_events),
        FunctionPlanter("document_quiet", plant_quiet),
        FunctionPlanter("licence_qualifier", plant_licence_qualifiers),
        FunctionPlanter("complaints", plant_complaints),
        FunctionPlanter("spread", plant_spread),
        FunctionPlanter("smoke_index", plant_smoke_cases),
        FunctionPlanter("local_finance", plant_local_finance),
        FunctionPlanter("platforms", plant_platforms),
        FunctionPlanter("families", plant_families),
        FunctionPlanter("trading_venues", plant_venues),
        FunctionPlanter("patrol_operator", plant_patrol_operator),
    )


__all__ = ["builtin_planters"]
