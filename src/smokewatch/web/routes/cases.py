"""The case board (kanban by stage), the case page, its workflow actions and evidence files."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from smokewatch.cases.access import Actor
from smokewatch.cases.workflow import OPEN_STATUSES, transition
from smokewatch.errors import Conflict, Forbidden, InvalidInput
from smokewatch.services import agencies, case_intake, cases, evidence, views
from smokewatch.web import labels, pages

router = APIRouter(include_in_schema=False)
BOARD_LIMIT = 1000
LIST_SIZE = 50


@router.get("/cases", response_class=HTMLResponse)
def board(  # noqa: PLR0917 - FastAPI reads query parameters from the signature
    request: Request,
    view: Annotated[str, Query(pattern="^(board|list)$")] = "board",
    region: Annotated[str | None, Query(max_length=12, pattern="^[0-9]*$")] = None,
    overdue: bool = False,
    mine: bool = False,
    status: Annotated[str | None, Query(max_length=20)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Open cases as a board by stage (or every case as a list), with deadline filters."""
    who = pages.actor(request)
    filters: dict[str, Any] = {"view": view, "region": region or ""}
    if overdue:
        filters["overdue"] = "true"
    if mine:
        filters["mine"] = "true"
    common: dict[str, Any] = {
        "overdue": overdue,
        "assignee": who.user_id if mine else None,
        "jurisdiction": region or None,
    }
    if view == "board":
        rows, total = cases.list_cases(
            pages.store(request),
            who,
            statuses=[str(s) for s in labels.BOARD_STAGES],
            limit=BOARD_LIMIT,
            **common,
        )
        columns = {
            str(stage): [r for r in rows if r["status"] == stage] for stage in labels.BOARD_STAGES
        }
        context: dict[str, Any] = {"columns": columns, "truncated": total > len(rows)}
    else:
        if status:
            filters["status"] = status
        rows, total = cases.list_cases(
            pages.store(request),
            who,
            statuses=[status] if status else None,
            limit=LIST_SIZE,
            offset=(page - 1) * LIST_SIZE,
            **common,
        )
        context = {"rows": rows, "page": page, "pages_total": max(1, -(-total // LIST_SIZE))}
    return pages.render(
        request,
        "cases/board.html" if view == "board" else "cases/list.html",
        who=who,
        total=total,
        filters=filters,
        query=urlencode(filters),
        labels=labels,
        **context,
    )


def _action_forms(case: dict[str, Any]) -> list[dict[str, Any]]:
    """For each action the user may take now: its fields (from the workflow table)."""
    forms = []
    for action in case.get("actions", []):
        row = transition(action)
        forms.append({"action": action, "fields": list(row.requires), "doc": row.doc})
    return forms


def _case_page(
    request: Request, who: Actor, case_id: str, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    store = pages.store(request)
    case = views.case(store, who, case_id)
    police = [a for a in agencies.list_agencies(store) if a["kind"] == "police" and a["active"]]
    return pages.render(
        request,
        "cases/page.html",
        status_code=status_code,
        who=who,
        case=case,
        forms=_action_forms(case),
        police=police,
        labels=labels,
        error=error,
        is_open=case["status"] in OPEN_STATUSES,
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str) -> HTMLResponse:
    """The case: stage and deadline, the actions allowed now, timeline, evidence."""
    return _case_page(request, pages.actor(request), case_id)


@router.post("/cases/{case_id}/act", dependencies=[Depends(pages.check_csrf)])
async def act(request: Request, case_id: str) -> Response:
    """Take one workflow action; a refusal shows the case again with the reason."""
    who = await run_in_threadpool(pages.actor, request)
    form = await request.form()
    action = str(form.get("action", ""))
    version_text = str(form.get("version", ""))
    data: dict[str, Any] = {}
    for name in labels.FIELDS:
        if name == "measures":
            chosen = [str(v) for v in form.getlist("measures") if str(v).strip()]
            if chosen:
                data[name] = chosen
            continue
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            data[name] = value.strip()
    try:
        await run_in_threadpool(
            cases.act,
            pages.store(request),
            who,
            case_id,
            action,
            data,
            expected_version=int(version_text) if version_text.isdigit() else None,
        )
    except (Conflict, Forbidden, InvalidInput) as refused:
        status_code = {Forbidden: 403, InvalidInput: 422}.get(type(refused), 409)
        return await run_in_threadpool(
            partial(_case_page, error=str(refused), status_code=status_code), request, who, case_id
        )
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/amount", dependencies=[Depends(pages.check_csrf)])
async def amount(request: Request, case_id: str) -> Response:
    """Record the amount involved (涉案金额, yuan); a bad amount shows the case with the reason."""
    who = await run_in_threadpool(pages.actor, request)
    form = await request.form()
    version_text = str(form.get("version", ""))
    try:
        await run_in_threadpool(
            partial(
                case_intake.update_case,
                amount_involved=str(form.get("amount_involved", "")).strip() or "",
                expected_version=int(version_text) if version_text.isdigit() else None,
            ),
            pages.store(request),
            who,
            case_id,
        )
    except (Conflict, Forbidden, InvalidInput) as refused:
        status_code = {Forbidden: 403, InvalidInput: 422}.get(type(refused), 409)
        return await run_in_threadpool(
            partial(_case_page, error=str(refused), status_code=status_code), request, who, case_id
        )
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/files", dependencies=[Depends(pages.check_csrf)])
async def upload(
    request: Request,
    case_id: str,
    file: UploadFile,
    note: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    """Keep an uploaded file as evidence of the case (typed by its bytes, at most 20 MiB)."""
    who = await run_in_threadpool(pages.actor, request)
    content = await file.read(evidence.MAX_BYTES + 1)
    if len(content) > evidence.MAX_BYTES:
        raise InvalidInput(f"the file is larger than the {evidence.MAX_BYTES:,} bytes allowed")
    await run_in_threadpool(
        evidence.attach_file,
        pages.store(request),
        who,
        case_id,
        content,
        file.filename or "upload",
        evidence_dir=pages.settings(request).workspace / "evidence",
        note=note or None,
    )
    return RedirectResponse(f"/cases/{case_id}#evidence", status_code=303)


@router.get("/cases/{case_id}/files/{sha256}")
def download(request: Request, case_id: str, sha256: str) -> FileResponse:
    """A case's file, always as an attachment (never rendered in the page); the view is audited."""
    path, info = evidence.open_file(
        pages.store(request),
        pages.actor(request),
        case_id,
        sha256,
        evidence_dir=pages.settings(request).workspace / "evidence",
    )
    return FileResponse(
        path,
        media_type=info.media_type,
        filename=info.original_name,
        content_disposition_type="attachment",
    )
