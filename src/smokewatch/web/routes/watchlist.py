"""The watch list: scored entities of the user's territory, filtered, searched, exported.

``/watchlist`` renders the page; an htmx request (the filter form) gets only the results
fragment. ``/watchlist/export.csv`` and ``/watchlist/export.xlsx`` hold every filtered row.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from smokewatch.cases.access import Actor
from smokewatch.errors import NotFound
from smokewatch.model.vocab import get_vocabulary
from smokewatch.services import rules, search
from smokewatch.services.alerts import DEFAULT_SCORECARD
from smokewatch.services.visibility import require_analyst
from smokewatch.settings import Settings
from smokewatch.web import pages
from smokewatch.webkit.i18n import current_locale

router = APIRouter(include_in_schema=False)

MEDIA: Final = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@cache
def _typologies() -> list[tuple[str, str, str]]:
    return [(t.id, t.label_zh, t.label_en) for t in get_vocabulary("typology").terms.values()]


def typology_of(settings: Settings) -> dict[str, tuple[str, ...]]:
    """Rule id → its typologies, from the rule catalogue (cached by the rules service)."""
    return {r.spec.id: tuple(r.spec.typology) for r in rules.catalogue(settings)}


Q = Annotated[str, Query(max_length=100)]
Short = Annotated[str, Query(max_length=64)]


def filter_params(
    *,
    q: Q = "",
    grade: Annotated[list[str] | None, Query()] = None,
    dimension: Short = "",
    region: Short = "",
    sector: Short = "",
    typology: Short = "",
    focus: bool = False,
    page: int = 1,
    per_page: int = 25,
) -> search.Filters:
    """The filters of the query string (checked by the search service)."""
    return search.Filters(
        q=q.strip(),
        grades=tuple(g for g in grade or [] if g),
        dimension=dimension.strip(),
        region=region.strip(),
        sector=sector.strip(),
        typology=typology.strip(),
        focus_only=focus,
        page=page,
        per_page=per_page,
    )


FiltersDep = Annotated[search.Filters, Depends(filter_params)]


def _search(
    request: Request, who: Actor, filters: search.Filters, limit: int | None = None
) -> search.SearchPage:
    settings = pages.settings(request)
    return search.search(
        pages.store(request), who, filters, typology_of=typology_of(settings), limit=limit
    )


@router.get("/watchlist", response_class=HTMLResponse)
def watchlist(request: Request, filters: FiltersDep) -> HTMLResponse:
    """The filtered list, one page; htmx requests get only the results."""
    who = pages.actor(request)
    require_analyst(who)
    found = _search(request, who, filters)
    typologies, dimensions = _typologies(), _dimension_ids(pages.settings(request))
    template = (
        "watchlist/results.html"
        if request.headers.get("hx-request") == "true"
        else "watchlist/index.html"
    )
    return pages.render(
        request,
        template,
        who=who,
        found=found,
        filters=filters,
        query=urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"]),
        typologies=typologies,
        dimensions=dimensions,
        labels=_labels(typologies + dimensions),
    )


def _labels(terms: list[tuple[str, str, str]]) -> dict[str, str]:
    """Id → label in the page's language."""
    zh = current_locale() == "zh_CN"
    return {key: label_zh if zh else label_en for key, label_zh, label_en in terms}


def _dimension_ids(settings: Settings) -> list[tuple[str, str, str]]:
    try:
        card = rules.get_scorecard(settings, DEFAULT_SCORECARD)
    except NotFound:
        return []
    return [(d.id, d.title.zh, d.title.en) for d in card.spec.dimensions]


@router.get("/watchlist/export.{fmt}")
def export(request: Request, fmt: str, filters: FiltersDep) -> Response:
    """Every filtered row as CSV or XLSX (PII masked as on screen)."""
    who = pages.actor(request)
    require_analyst(who)
    if fmt not in MEDIA:
        return Response("export as csv or xlsx", status_code=404, media_type="text/plain")
    found = _search(request, who, filters, limit=search.EXPORT_LIMIT)
    rows = search.export_rows(found)
    header = list(search.EXPORT_COLUMNS)
    day = found.as_of.isoformat() if found.as_of else "none"
    body = (
        search.to_csv(header, rows)
        if fmt == "csv"
        else search.to_xlsx(header, rows, title=f"watchlist {day}")
    )
    name = f"smokewatch-watchlist-{day}.{fmt}"
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
