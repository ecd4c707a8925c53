"""The overview: what the leadership reads first, for the user's territory.

Grades and their trend, new alerts, overdue cases, top risk entities, the seed figures (each
with what it counts), and the risk map with drill-down (province → city → county): the page
loads ``/overview/map/<code>.json`` — approximate cells and the grade counts per region.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from smokewatch.cases.access import ANALYST_ROLES
from smokewatch.services import dashboard, region_map, reports
from smokewatch.web import pages

router = APIRouter(include_in_schema=False)


@router.get("/overview", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """The figures, the trend, the lists and the map of the user's territory."""
    who = pages.actor(request)
    if not who.roles & ANALYST_ROLES:
        return pages.render(request, "overview/index.html", who=who, figures=None)
    store = pages.store(request)
    jurisdiction = pages.settings(request).jurisdiction.adcode
    return pages.render(
        request,
        "overview/index.html",
        who=who,
        figures=reports.summary(store, who),
        trend=dashboard.grade_trend(store, who),
        seeds=dashboard.seed_figures(store, who),
        new_alerts=dashboard.new_alerts(store, who),
        overdue=dashboard.overdue_cases(store, who),
        top=dashboard.top_entities(store, who),
        map_start=region_map.start_code(who, jurisdiction),
    )


@router.get("/overview/map/{code}.json")
def region_map_json(request: Request, code: str) -> JSONResponse:
    """Approximate cells of ``code``'s children (GeoJSON) and their grade counts."""
    who = pages.actor(request)
    risk: dict[str, Any] = region_map.region_risk(pages.store(request), who, code)
    risk["as_of"] = risk["as_of"].isoformat() if risk["as_of"] else None
    return JSONResponse(
        {**risk, "geojson": region_map.geometry(code)},
        headers={"cache-control": "private, max-age=60"},
    )
