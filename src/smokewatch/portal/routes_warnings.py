"""Public risk warnings (风险提示): the list with search, one warning, JSON and RSS feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from typing import Annotated, Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from smokewatch.portal import pages
from smokewatch.services import public_warnings
from smokewatch.webkit.i18n import gettext as _

router = APIRouter()
PAGE = 20
Search = Annotated[str | None, Query(max_length=100, description="Words that must all appear.")]


class Warning_(BaseModel):
    """A published risk warning."""

    id: str
    title: str
    body: str
    about: str | None = Field(description="The company or platform warned about, if one.")
    typology: str | None
    issuing_agency: str
    adcode: str
    published_on: str | None


class WarningPage(BaseModel):
    """A page of published warnings, newest first."""

    total: int
    limit: int
    offset: int
    items: list[Warning_]


def _public(row: dict[str, Any]) -> Warning_:
    return Warning_(**{k: v for k, v in row.items() if k != "status"})


@router.get("/warnings", include_in_schema=False)
async def warnings_page(
    request: Request, q: Search = None, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> HTMLResponse:
    """The published warnings, searchable, twenty a page."""
    rows, total = await run_in_threadpool(
        public_warnings.published,
        pages.store(request),
        query=q,
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )
    return pages.render(
        request,
        "warnings.html",
        warnings=rows,
        total=total,
        q=q or "",
        page=page,
        pages_total=max(1, (total + PAGE - 1) // PAGE),
    )


@router.get("/warnings/{warning_id}", include_in_schema=False)
async def warning_page(request: Request, warning_id: str) -> HTMLResponse:
    """One published warning."""
    row = await run_in_threadpool(
        public_warnings.published_one, pages.store(request), warning_id[:40]
    )
    return pages.render(request, "warning.html", warning=row)


@router.get("/api/warnings", operation_id="public-warnings", tags=["public"])
async def warnings_json(
    request: Request,
    q: Search = None,
    limit: Annotated[int, Query(ge=1, le=100)] = PAGE,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> WarningPage:
    """The JSON feed of published warnings (newest first; ``q`` searches)."""
    rows, total = await run_in_threadpool(
        public_warnings.published, pages.store(request), query=q, limit=limit, offset=offset
    )
    return WarningPage(total=total, limit=limit, offset=offset, items=[_public(r) for r in rows])


def rss(rows: list[dict[str, Any]], base: str, title: str) -> str:
    """An RSS 2.0 document of warnings (every value escaped)."""
    items = []
    for row in rows:
        day = date.fromisoformat(row["published_on"]) if row["published_on"] else date.today()
        stamp = format_datetime(datetime.combine(day, time(), tzinfo=UTC))
        link = f"{base}/warnings/{row['id']}"
        items.append(
            "<item>"
            f"<title>{escape(row['title'])}</title>"
            f"<link>{escape(link)}</link>"
            f'<guid isPermaLink="false">{escape(row["id"])}</guid>'
            f"<pubDate>{stamp}</pubDate>"
            f"<author>{escape(row['issuing_agency'])}</author>"
            f"<description>{escape(row['body'])}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(base)}/warnings</link>"
        f"<description>{escape(title)}</description>" + "".join(items) + "</channel></rss>\n"
    )


@router.get("/feeds/warnings.rss", include_in_schema=False)
async def warnings_rss(request: Request) -> Response:
    """The RSS feed of the fifty newest warnings."""
    rows, _total = await run_in_threadpool(
        public_warnings.published, pages.store(request), limit=50
    )
    base = str(request.base_url).rstrip("/")
    body = rss(rows, base, _("Risk warnings"))
    return Response(body, media_type="application/rss+xml; charset=utf-8")


__all__ = ["router", "rss"]
