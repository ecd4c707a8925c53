"""The overview: what the leadership reads first, for the user's territory."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from smokewatch.cases.access import ANALYST_ROLES
from smokewatch.services import reports
from smokewatch.web import pages

router = APIRouter(include_in_schema=False)


@router.get("/overview", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """Grades of the latest evaluation, open alerts, cases by stage and overdue, referrals."""
    who = pages.actor(request)
    figures = reports.summary(pages.store(request), who) if who.roles & ANALYST_ROLES else None
    return pages.render(request, "overview/index.html", who=who, figures=figures)
