"""An entity's profile: smoke index (radar, history), reasons with evidence, licences, graph.

``/entities/<id>`` renders the page; ``/entities/<id>/graph.json`` is the company graph the
page draws (ECharts), from :func:`smokewatch.services.entities.neighbourhood`. An entity the
user may not see is not found, whatever its id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from smokewatch.services import entities, entity_page
from smokewatch.services.visibility import shown
from smokewatch.web import evidence, pages
from smokewatch.webkit.i18n import current_locale, gettext

router = APIRouter(include_in_schema=False)


@router.get("/entities/{subject_id}", response_class=HTMLResponse)
def profile(request: Request, subject_id: str) -> HTMLResponse:
    """The entity's page, as the signed-in user may see it."""
    who = pages.actor(request)
    data = entity_page.entity_page(pages.store(request), pages.settings(request), who, subject_id)
    return pages.render(
        request,
        "entities/profile.html",
        who=who,
        entity=data,
        charts=_charts(data),
        quotes=evidence.quotes,
        facts=evidence.facts,
    )


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    """What the radar and the history line draw (labels in the page's language)."""
    zh = current_locale() == "zh_CN"
    index = data["smoke_index"] or {}
    points = index.get("dimensions") or {}
    axes = data["dimension_axes"]
    for event in data["timeline"]:
        at = event["at"]
        event["day"] = at.date().isoformat() if isinstance(at, datetime) else str(at or "")
    return {
        "dimensions": {a["id"]: a["zh"] if zh else a["en"] for a in axes},
        "radar": {
            "name": gettext("Smoke index"),
            "axes": [a["zh"] if zh else a["en"] for a in axes],
            "max": [a["cap"] for a in axes],
            "values": [float(points.get(a["id"]) or 0) for a in axes],
        },
        "history": {
            "name": gettext("Smoke index"),
            "dates": [str(h["as_of"]) for h in data["history"]],
            "values": [h["smoke_index"] for h in data["history"]],
        },
    }


@router.get("/entities/{subject_id}/graph.json")
def graph(
    request: Request, subject_id: str, depth: Annotated[int, Query(ge=1, le=3)] = 1
) -> JSONResponse:
    """The entity's neighbours (nodes, edges) and whether the graph is built."""
    who = pages.actor(request)
    data = entities.neighbourhood(pages.store(request), who, subject_id, depth=depth)
    masked, _ = shown(who, data)
    return JSONResponse(masked)
