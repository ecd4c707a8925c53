"""``/api/v1/cases``: open, read, correct, move through the workflow, hold evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from smokewatch.api.deps import ActorDep, EvidenceDirDep, StoreDep
from smokewatch.api.schemas import cases as schemas
from smokewatch.cases.workflow import CaseStatus
from smokewatch.errors import InvalidInput
from smokewatch.services import case_intake, cases, evidence, views

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")]
SHA256 = r"^[0-9a-f]{64}$"

_DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "no-store",
}
"""A file is never rendered by the browser: downloaded, never sniffed, sandboxed."""


@router.get("", operation_id="cases-list")
def list_cases(
    store: StoreDep,
    actor: ActorDep,
    status_: Annotated[
        list[CaseStatus] | None, Query(alias="status", description="Stages.")
    ] = None,
    overdue: Annotated[bool, Query(description="Only cases past their deadline.")] = False,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    subject_id: Annotated[str | None, Query(max_length=128)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> schemas.CasePage:
    """The cases you can see, most recently updated first."""
    rows, total = cases.list_cases(
        store,
        actor,
        statuses=[s.value for s in status_] if status_ else None,
        overdue=overdue,
        assignee=assignee,
        subject_id=subject_id,
        limit=limit,
        offset=offset,
    )
    return schemas.CasePage(
        total=total, limit=limit, offset=offset, items=[schemas.Case(**c) for c in rows]
    )


@router.post("", operation_id="cases-open", status_code=status.HTTP_201_CREATED)
def open_case(store: StoreDep, actor: ActorDep, body: schemas.CaseOpen) -> schemas.Case:
    """Open a clue (线索) in a jurisdiction, with its first evidence."""
    return schemas.Case(
        **cases.open_case(
            store,
            actor,
            title=body.title,
            jurisdiction=body.jurisdiction,
            subject_id=body.subject_id,
            subject_table=body.subject_table,
            subject_name=body.subject_name,
            sector=body.sector,
            links=[(e.kind, e.ref_id) for e in body.evidence],
            note=body.note,
        )
    )


@router.get("/{case_id}", operation_id="cases-get")
def get_case(store: StoreDep, actor: ActorDep, case_id: str) -> schemas.CaseDetail:
    """A case with its history, evidence and the actions you may take."""
    return schemas.CaseDetail(**views.case(store, actor, case_id))


@router.patch("/{case_id}", operation_id="cases-update")
def update_case(
    store: StoreDep, actor: ActorDep, case_id: str, body: schemas.CaseUpdate
) -> schemas.Case:
    """Correct the title or the entity's name, or record the amount involved (涉案金额).

    Cases are never deleted: dismiss them.
    """
    return schemas.Case(
        **case_intake.update_case(
            store,
            actor,
            case_id,
            title=body.title,
            subject_name=body.subject_name,
            amount_involved=body.amount_involved,
            expected_version=body.expected_version,
        )
    )


@router.post("/{case_id}/transitions", operation_id="cases-transition")
def transition(
    store: StoreDep, actor: ActorDep, case_id: str, body: schemas.Transition
) -> schemas.Case:
    """Take a workflow action; a refused one is 409 (or 403) and leaves only an audit entry."""
    return schemas.Case(
        **cases.act(
            store,
            actor,
            case_id,
            body.action,
            body.fields(),
            expected_version=body.expected_version,
        )
    )


@router.get("/{case_id}/audit", operation_id="cases-audit")
def case_audit(store: StoreDep, actor: ActorDep, case_id: str) -> list[schemas.AuditEntry]:
    """The audit entries about the case, refusals included (admins and leads)."""
    return [schemas.AuditEntry(**e) for e in views.case_audit(store, actor, case_id)]


@router.post(
    "/{case_id}/evidence", operation_id="cases-add-evidence", status_code=status.HTTP_201_CREATED
)
def add_evidence(
    store: StoreDep, actor: ActorDep, case_id: str, body: schemas.EvidenceRef
) -> schemas.Evidence:
    """Hold an alert, finding, score, entity, tip, report or case as evidence."""
    return schemas.Evidence(
        **cases.add_evidence(store, actor, case_id, body.kind, body.ref_id, note=body.note)
    )


@router.post(
    "/{case_id}/files",
    operation_id="cases-upload-file",
    status_code=status.HTTP_201_CREATED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def upload_file(
    request: Request,
    store: StoreDep,
    actor: ActorDep,
    evidence_dir: EvidenceDirDep,
    case_id: str,
    name: Annotated[str, Query(min_length=1, max_length=200, description="The file's name.")],
    note: Annotated[str | None, Query(max_length=2000)] = None,
) -> schemas.StoredFile:
    """Keep the request body as a file (by SHA-256) and hold it as evidence.

    Typed by its bytes: PDF, images, office documents and text; executables and scripts are
    refused; at most 20 MiB.
    """
    content = await _body(request, evidence.MAX_BYTES)
    stored = await run_in_threadpool(
        evidence.attach_file,
        store,
        actor,
        case_id,
        content,
        name,
        evidence_dir=evidence_dir,
        note=note,
    )
    return schemas.StoredFile(**stored)


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InvalidInput(f"the file is larger than the {limit:,} bytes allowed")
        chunks.append(chunk)
    return b"".join(chunks)


@router.get(
    "/{case_id}/files/{sha256}",
    operation_id="cases-download-file",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The file, as an attachment (never rendered inline).",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
def download_file(
    store: StoreDep,
    actor: ActorDep,
    evidence_dir: EvidenceDirDep,
    case_id: str,
    sha256: str,
) -> FileResponse:
    """Download a file the case holds (audited), as an attachment."""
    path, info = evidence.open_file(store, actor, case_id, sha256, evidence_dir=evidence_dir)
    return FileResponse(
        path,
        media_type="application/octet-stream",
        filename=info.original_name,
        content_disposition_type="attachment",
        headers={**_DOWNLOAD_HEADERS, "X-Evidence-Media-Type": info.media_type},
    )


__all__ = ["router"]
