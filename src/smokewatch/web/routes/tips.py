"""The officers' tip inbox: filter, read a tip, act on it (the services decide who may do what).

Every action posts a form with the page's CSRF token and goes back to the tip's page; a refusal
(a guard, a role, a missing reason) shows the tip again with the service's reason, like the case
page. Files are downloaded as attachments only, with ``nosniff`` and a sandboxing CSP.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from smokewatch.cases.access import Actor
from smokewatch.errors import Conflict, Forbidden, InvalidInput, NotFound
from smokewatch.services import tips_desk, tips_documents, tips_inbox, tips_rewards
from smokewatch.services.tips_uploads import stored_path
from smokewatch.web import pages, tip_labels

router = APIRouter(include_in_schema=False)
PAGE_SIZE: Final = 50
STATUS_FILTERS: Final = ("open", *tip_labels.STATUSES, "all")
_DOWNLOAD_HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "no-store",
}
_ACT: Final = frozenset(tips_inbox.ACTIONS)


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"{field}: not a date (YYYY-MM-DD): {text!r}") from exc


@router.get("/tips", response_class=HTMLResponse)
def inbox(  # noqa: PLR0917 - FastAPI reads query parameters from the signature
    request: Request,
    status: Annotated[str, Query(max_length=12)] = "open",
    region: Annotated[str | None, Query(max_length=12, pattern="^[0-9]*$")] = None,
    category: Annotated[str | None, Query(max_length=20)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Tips routed inside the user's territory, riskiest first, with filters."""
    who = pages.actor(request)
    if status not in STATUS_FILTERS:
        raise InvalidInput(f"unknown status {status!r} (one of: {', '.join(STATUS_FILTERS)})")
    statuses = {"open": None, "all": list(tip_labels.STATUSES)}.get(status, [status])
    rows, total = tips_inbox.inbox(
        pages.store(request),
        who,
        statuses=statuses,
        adcode_prefix=region or None,
        category=category or None,
        submitted_from=_day(since, "since"),
        submitted_to=_day(until, "until"),
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    filters = {
        "status": status,
        "region": region or "",
        "category": category or "",
        "since": since or "",
        "until": until or "",
    }
    return pages.render(
        request,
        "tips/index.html",
        who=who,
        rows=rows,
        total=total,
        page=page,
        pages_total=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        query=urlencode(filters),
        status_filters=STATUS_FILTERS,
        tl=tip_labels,
    )


def _tip_page(
    request: Request, who: Actor, tip_id: str, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    store = pages.store(request)
    tip = tips_inbox.get_tip(store, who, tip_id)
    try:
        decision: dict[str, Any] | None = tips_rewards.get_decision(store, who, tip_id)
    except NotFound:
        decision = None
    city = (tip["adcode"] or "")[:4] + "00" if tip["adcode"] else None
    return pages.render(
        request,
        "tips/page.html",
        status_code=status_code,
        who=who,
        tip=tip,
        group=tips_desk.duplicate_group(store, who, tip_id),
        allowed=tips_desk.allowed_actions(store, who, tip_id),
        decision=decision,
        counties=tip_labels.counties_under(city),
        payment_statuses=tips_rewards.PAYMENT_STATUSES,
        tl=tip_labels,
        error=error,
        document_id=(
            tips_documents.document_id(tip_id) if tip["status"] in tips_documents.EXPORTED else None
        ),
    )


@router.get("/tips/{tip_id}", response_class=HTMLResponse)
def tip_page(request: Request, tip_id: str) -> HTMLResponse:
    """A tip: the report, files, duplicates, routing, history and the actions allowed now."""
    return _tip_page(request, pages.actor(request), tip_id)


def _text(form: Any, name: str, limit: int = 5000) -> str | None:
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    if len(value) > limit:
        raise InvalidInput(f"{name}: at most {limit} characters")
    return value.strip()


def _amount(text: str | None, field: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise InvalidInput(f"{field}: not an amount: {text!r}") from exc
    if not value.is_finite() or value < 0 or value > Decimal("1e12"):
        raise InvalidInput(f"{field}: out of range: {text!r}")
    return value


def _perform(store: Any, who: Actor, tip_id: str, action: str, form: Any) -> None:
    """Call the service behind ``action`` with the form's fields."""
    if action in _ACT:
        tips_inbox.act(
            store, who, tip_id, action, note=_text(form, "note"), adcode=_text(form, "adcode", 12)
        )
    elif action == "merge":
        tips_desk.merge(store, who, tip_id, _text(form, "into", 32) or "")
    elif action == "convert":
        tips_inbox.convert(store, who, tip_id, title=_text(form, "title", 500))
    elif action == "attach":
        tips_desk.attach_to_case(
            store, who, tip_id, _text(form, "case_id", 64) or "", note=_text(form, "note")
        )
    elif action == "reward":
        amount = _amount(_text(form, "illegal_amount", 32), "illegal_amount")
        if amount is None:
            raise InvalidInput("a reward needs the illegal amount the case established")
        tips_rewards.decide_reward(
            store,
            who,
            tip_id,
            illegal_amount=amount,
            reason=_text(form, "reason") or "",
            awarded=_amount(_text(form, "awarded", 32), "awarded"),
        )
    elif action == "payment":
        tips_rewards.set_payment(
            store,
            who,
            tip_id,
            _text(form, "payment_status", 16) or "",
            reference=_text(form, "reference", 200),
        )
    else:
        raise InvalidInput(f"unknown tip action {action!r}")


@router.post("/tips/{tip_id}/act", dependencies=[Depends(pages.check_csrf)])
async def act(request: Request, tip_id: str) -> Response:
    """Take one action on the tip; a refusal shows the tip again with the reason."""
    who = await run_in_threadpool(pages.actor, request)
    form = await request.form()
    action = str(form.get("action", ""))
    try:
        await run_in_threadpool(_perform, pages.store(request), who, tip_id, action, form)
    except (Conflict, Forbidden, InvalidInput) as refused:
        status_code = {Forbidden: 403, InvalidInput: 422}.get(type(refused), 409)
        return await run_in_threadpool(
            partial(_tip_page, error=str(refused), status_code=status_code), request, who, tip_id
        )
    return RedirectResponse(f"/tips/{tip_id}", status_code=303)


@router.get("/tips/{tip_id}/files/{sha256}")
def download(request: Request, tip_id: str, sha256: str) -> FileResponse:
    """A tip's file, always as an attachment (never rendered in the page); the view is audited."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise NotFound(f"tip {tip_id} has no file {sha256!r}")
    info = tips_inbox.open_attachment(pages.store(request), pages.actor(request), tip_id, sha256)
    path = stored_path(pages.settings(request).workspace / "tips", sha256)
    if not path.is_file():
        raise NotFound(f"the file {sha256} of tip {tip_id} is missing from the workspace")
    return FileResponse(
        path,
        media_type="application/octet-stream",
        filename=str(info["name"]),
        content_disposition_type="attachment",
        headers=_DOWNLOAD_HEADERS,
    )
