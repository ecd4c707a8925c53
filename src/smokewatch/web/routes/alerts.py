"""The alerts inbox: filter, acknowledge, snooze, close, open a case (htmx, one row at a time)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smokewatch.cases.access import TRIAGE_ROLES, Actor
from smokewatch.errors import InvalidInput
from smokewatch.services import alerts, case_intake
from smokewatch.web import labels, pages

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


@router.get("/alerts", response_class=HTMLResponse)
def inbox(  # noqa: PLR0917 - FastAPI reads query parameters from the signature
    request: Request,
    status: Annotated[str, Query(pattern="^(open|snoozed|closed|all)$")] = "open",
    grade: Annotated[list[str] | None, Query()] = None,
    region: Annotated[str | None, Query(max_length=12, pattern="^[0-9]*$")] = None,
    unacknowledged: bool = False,
    mine: bool = False,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Alerts in the user's territory, newest first, with the actions the role may take."""
    who = pages.actor(request)
    grades = [g for g in grade or [] if g in labels.GRADES] or None
    rows, total = alerts.list_alerts(
        pages.store(request),
        statuses=None if status == "all" else (status,),
        grades=grades,
        adcode_prefix=region or None,
        acknowledged=False if unacknowledged else None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        actor=who,
        assignee=who.user_id if mine else None,
    )
    filters = {"status": status, "grade": grades or [], "region": region or ""}
    if unacknowledged:
        filters["unacknowledged"] = "true"
    if mine:
        filters["mine"] = "true"
    return pages.render(
        request,
        "alerts/index.html",
        who=who,
        rows=rows,
        total=total,
        page=page,
        pages_total=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        query=urlencode(filters, doseq=True),
        labels=labels,
        triage=alerts_triage(who),
    )


def alerts_triage(who: Actor) -> bool:
    """Whether the user may act on alerts (viewers, police and reporters may not)."""
    return who.is_admin or bool(who.roles & TRIAGE_ROLES)


def _row(request: Request, alert_id: str) -> Response:
    """After an action: the updated row for htmx, else back to the inbox."""
    if not _is_htmx(request):
        return RedirectResponse(request.headers.get("referer") or "/alerts", status_code=303)
    who = pages.actor(request)
    row = alerts.show_alert(pages.store(request), alert_id, actor=who)
    return pages.render(
        request, "alerts/row.html", who=who, row=row, labels=labels, triage=alerts_triage(who)
    )


@router.post("/alerts/{alert_id}/acknowledge", dependencies=[Depends(pages.check_csrf)])
def acknowledge(request: Request, alert_id: str) -> Response:
    """Take note of the alert at its grade."""
    alerts.acknowledge_alert(pages.store(request), alert_id, actor=pages.actor(request))
    return _row(request, alert_id)


@router.post("/alerts/{alert_id}/assign", dependencies=[Depends(pages.check_csrf)])
def assign(
    request: Request, alert_id: str, assignee: Annotated[str, Form(max_length=128)] = ""
) -> Response:
    """Give the alert to a user (empty: back to the territory's inbox)."""
    alerts.assign_alert(
        pages.store(request),
        alert_id,
        assignee=assignee.strip() or None,
        actor=pages.actor(request),
    )
    return _row(request, alert_id)


@router.post("/alerts/{alert_id}/snooze", dependencies=[Depends(pages.check_csrf)])
def snooze(
    request: Request,
    alert_id: str,
    until: Annotated[str, Form(max_length=10)],
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Snooze until a day, with a reason."""
    try:
        day = date.fromisoformat(until)
    except ValueError as exc:
        raise InvalidInput(f"not a date: {until!r}") from exc
    alerts.snooze_alert(
        pages.store(request), alert_id, until=day, reason=reason, actor=pages.actor(request)
    )
    return _row(request, alert_id)


@router.post("/alerts/{alert_id}/close", dependencies=[Depends(pages.check_csrf)])
def close(
    request: Request, alert_id: str, reason: Annotated[str, Form(max_length=2000)]
) -> Response:
    """Close with a reason (it reopens if the entity rises again)."""
    alerts.close_alert(pages.store(request), alert_id, reason=reason, actor=pages.actor(request))
    return _row(request, alert_id)


@router.post("/alerts/{alert_id}/case", dependencies=[Depends(pages.check_csrf)])
def open_case(request: Request, alert_id: str) -> Response:
    """Open a clue from the alert and go to it."""
    case = case_intake.open_from_alert(pages.store(request), pages.actor(request), alert_id)
    target = f"/cases/{case['id']}"
    if _is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
