"""An entity's profile: smoke index (radar, history), reasons with evidence, licences, graph.

``/entities/<id>`` renders the page, with the ownership penetration table
(:func:`smokewatch.services.entities.ownership`); ``/entities/<id>/graph.json`` is the company
family the page draws (ECharts) and ``?around=<key>`` one node's neighbours (the page's
*expand*), from :func:`smokewatch.services.entities.neighbourhood`. Both read the graph's read
model in the store, never the analytic engine. An entity the user may not see is not found,
whatever its id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from smokewatch.services import entities, entity_page
from smokewatch.web import evidence, pages
from smokewatch.webkit.i18n import current_locale, gettext

router = APIRouter(include_in_schema=False)


@router.get("/entities/{subject_id}", response_class=HTMLResponse)
def profile(request: Request, subject_id: str) -> HTMLResponse:
    """The entity's page, as the signed-in user may see it."""
    who = pages.actor(request)
    store = pages.store(request)
    data = entity_page.entity_page(store, pages.settings(request), who, subject_id)
    return pages.render(
        request,
        "entities/profile.html",
        who=who,
        entity=data,
        charts=_charts(data),
        ownership=entities.ownership(store, who, subject_id),
        graph_labels=_graph_labels(),
        edge_kinds=_edge_kinds(),
        quotes=evidence.quotes,
        facts=evidence.facts,
    )


def _edge_kinds() -> list[tuple[str, str]]:
    """The legend of the family graph: edge kind → its name in the page's language."""
    return [
        ("owns", gettext("shareholding")),
        ("legal_representative", gettext("legal representative")),
        ("director", gettext("director")),
        ("supervisor", gettext("supervisor")),
        ("manager", gettext("manager")),
        ("partner", gettext("partner")),
        ("has_phone", gettext("shared phone")),
        ("has_address", gettext("shared address")),
        ("transfers", gettext("transfers")),
    ]


def _graph_labels() -> dict[str, Any]:
    """Words the graph script shows (the page's language)."""
    return {
        "kinds": dict(_edge_kinds()),
        "nodes": {
            "enterprise": gettext("enterprise"),
            "person": gettext("person"),
            "phone": gettext("phone"),
            "address": gettext("address"),
        },
        "grades": {
            "red": gettext("Red"),
            "orange": gettext("Orange"),
            "yellow": gettext("Yellow"),
            "blue": gettext("Blue"),
        },
        "hidden": gettext("an enterprise outside your territory"),
        "more": gettext("Showing %(shown)s of %(total)s nodes of this family; %(more)s more."),
        "all": gettext("All %(total)s nodes of this family are shown."),
        "cut": gettext("%(published)s of %(edges)s links published (ownership first)."),
        "expand": gettext("Expand"),
        "expanded": gettext("expanded"),
        "added": gettext("%(n)s nodes added."),
    }


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    """What the radar and the history line draw (labels in the page's language)."""
    zh = current_locale() == "zh_CN"
    index = data["smoke_index"] or {}
    points = index.get("dimensions") or {}
    axes = data["dimension_axes"]
    for event in data["timeline"]:
        at = event["at"]
        event["day"] = at.date().isoformat() if isinstance(at, datetime) else str(at or "")
        if zh and event.get("value_zh"):
            event["value"] = event["value_zh"]
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
    request: Request,
    subject_id: str,
    depth: Annotated[int, Query(ge=1, le=3)] = 2,
    around: Annotated[int | None, Query(ge=0)] = None,
) -> JSONResponse:
    """The entity's family around it (or one node's neighbours), masked as the API masks it."""
    who = pages.actor(request)
    data = entities.neighbourhood(pages.store(request), who, subject_id, depth=depth, around=around)
    return JSONResponse(jsonable_encoder(data))
