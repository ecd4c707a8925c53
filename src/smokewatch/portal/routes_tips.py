"""The reporter's pages: the form, the tracking code, the status and adding information.

Routes are thin: check CSRF, the challenge and the limits, parse the form, call one service
(:mod:`smokewatch.services.tips`), render. Every submission runs in a worker thread (the
services are synchronous).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.datastructures import FormData, UploadFile

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.model.vocab import get_vocabulary
from smokewatch.portal import pages
from smokewatch.services import tips
from smokewatch.services.tips_uploads import MAX_FILE_BYTES, MAX_FILES, Upload
from smokewatch.webkit.i18n import current_locale
from smokewatch.webkit.i18n import gettext as _

router = APIRouter()

FIELDS = (
    "target_name",
    "target_url",
    "target_wechat",
    "target_phone",
    "target_address",
    "description",
    "amount",
    "happened_on",
    "learnt_via",
    "contact",
)


def _channels() -> list[tuple[str, str]]:
    lang = "zh" if current_locale() == "zh_CN" else "en"
    return [(t.id, t.label(lang)) for t in get_vocabulary("tip_channel").terms.values()]


def _value(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def _files(form: FormData) -> list[Upload]:
    uploads = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and (item.filename or item.size):
            content = await item.read(MAX_FILE_BYTES + 1)
            uploads.append(Upload(item.filename or "", content))
    return uploads


def _challenge(request: Request, form: FormData) -> str | None:
    return pages.guards(request).challenges.verify(
        _value(form, "challenge"), _value(form, "pow") or None, _value(form, "answer") or None
    )


def _form_page(request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("problem", None)
    return pages.render(
        request,
        "report.html",
        status_code=status_code,
        channels=_channels(),
        max_files=MAX_FILES,
        max_mb=MAX_FILE_BYTES // (1024 * 1024),
        **context,
    )


@router.get("/", include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    """The landing page: report, track, read the warnings."""
    return pages.render(request, "home.html")


@router.get("/report", include_in_schema=False)
def report_form(request: Request) -> HTMLResponse:
    """The empty form."""
    return _form_page(request)


@router.post("/report", include_in_schema=False)
async def report(request: Request) -> HTMLResponse:
    """Submit a tip: CSRF, challenge, per-address limit, then the service."""
    form = await request.form(max_files=MAX_FILES + 1, max_fields=40)
    pages.check_csrf(request, _value(form, pages.CSRF_FIELD))
    values = {name: _value(form, name) for name in FIELDS}
    problem = _challenge(request, form)
    if problem is not None:
        message = _("The check did not pass. Please answer the question and send again.")
        return _form_page(request, 422, values=values, problem=message)
    pages.limit(pages.guards(request).submissions, pages.client(request))
    tip_form = tips.TipForm(
        consent=_value(form, "consent") == "yes",
        locale=current_locale(),
        files=await _files(form),
        **values,
    )
    settings = pages.settings(request)
    try:
        submitted = await run_in_threadpool(
            tips.submit_tip,
            pages.store(request),
            tip_form,
            files_dir=settings.workspace / "tips",
            home_adcode=settings.jurisdiction.adcode,
        )
    except tips.TipRejected as rejected:
        return _form_page(request, 422, values=values, errors=rejected.fields)
    except InvalidInput as refused:
        message = _("A file was refused: %(reason)s") % {"reason": str(refused)}
        return _form_page(request, 422, values=values, problem=message)
    return pages.render(request, "submitted.html", submitted=submitted)


@router.get("/track", include_in_schema=False)
def track_form(request: Request) -> HTMLResponse:
    """Ask for the tracking code."""
    return pages.render(request, "track.html", problem=None, code="")


def _lookup_limits(request: Request, code: str) -> None:
    guards = pages.guards(request)
    pages.limit(guards.lookups, pages.client(request))
    pages.limit(guards.codes, code.replace("-", "").replace(" ", "").upper()[:40])


async def _status_page(
    request: Request, code: str, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    try:
        view = await run_in_threadpool(tips.track, pages.store(request), code)
    except (InvalidInput, NotFound):
        problem = _("No tip has this tracking code. Check the code and try again.")
        return pages.render(request, "track.html", status_code=404, problem=problem, code="")
    extra.setdefault("errors", {})
    extra.setdefault("problem", None)
    extra.setdefault("added", False)
    return pages.render(
        request, "status.html", status_code=status_code, view=view, code=code, **extra
    )


@router.post("/track", include_in_schema=False)
async def track(request: Request) -> HTMLResponse:
    """Show the status of the tip behind a code (POST: the code never sits in a URL)."""
    form = await request.form(max_files=0, max_fields=10)
    pages.check_csrf(request, _value(form, pages.CSRF_FIELD))
    code = _value(form, "code").strip()[:40]
    _lookup_limits(request, code)
    return await _status_page(request, code)


@router.post("/track/more", include_in_schema=False)
async def add_more(request: Request) -> HTMLResponse:
    """Add text and files to a tip, by its code."""
    form = await request.form(max_files=MAX_FILES + 1, max_fields=20)
    pages.check_csrf(request, _value(form, pages.CSRF_FIELD))
    code = _value(form, "code").strip()[:40]
    _lookup_limits(request, code)
    problem = _challenge(request, form)
    if problem is not None:
        message = _("The check did not pass. Please answer the question and send again.")
        return await _status_page(request, code, 422, problem=message)
    settings = pages.settings(request)
    try:
        await run_in_threadpool(
            tips.add_information,
            pages.store(request),
            code,
            _value(form, "more"),
            await _files(form),
            files_dir=settings.workspace / "tips",
        )
    except tips.TipRejected as rejected:
        return await _status_page(request, code, 422, errors=rejected.fields)
    except NotFound:
        return await _status_page(request, code)
    except InvalidInput as refused:
        message = _("A file was refused: %(reason)s") % {"reason": str(refused)}
        return await _status_page(request, code, 422, problem=message)
    return await _status_page(request, code, added=True)


class TrackRequest(BaseModel):
    """A tracking code (sent in the body, never in a URL)."""

    code: str = Field(min_length=1, max_length=40, description="The tracking code, e.g. K7QM-….")


class Reward(BaseModel):
    """The reward decided for the tip."""

    amount: str
    reason: str
    decided_at: str
    payment_status: str


class HistoryItem(BaseModel):
    """A public step of the tip's history."""

    action: str
    at: str
    message: str | None


class TipStatus(BaseModel):
    """What the holder of a tracking code may know."""

    status: str = Field(description="received, under_review, case_opened, closed_no_action, closed")
    submitted_at: str
    updated_at: str
    target_name: str
    files: int
    history: list[HistoryItem]
    reward: Reward | None


class Challenge(BaseModel):
    """A challenge for a form: solve the proof of work or answer the question."""

    token: str
    bits: int
    question: str


class ErrorBody(BaseModel):
    """What went wrong."""

    kind: str
    message: str


class Error(BaseModel):
    """The error shape of the portal's JSON routes."""

    error: ErrorBody


@router.post(
    "/api/track",
    operation_id="public-track",
    tags=["public"],
    responses={
        404: {"model": Error, "description": "No tip has this code"},
        422: {"model": Error, "description": "Not a tracking code"},
        429: {"model": Error, "description": "Too many look-ups (see Retry-After)"},
    },
)
async def api_track(request: Request, body: TrackRequest) -> TipStatus:
    """The status of a tip by its tracking code (rate-limited per address and per code)."""
    _lookup_limits(request, body.code)
    view = await run_in_threadpool(tips.track, pages.store(request), body.code)
    return TipStatus(**view)


@router.get("/api/challenge", operation_id="public-challenge", tags=["public"])
def api_challenge(request: Request) -> Challenge:
    """A fresh challenge (what the forms embed)."""
    challenges = pages.guards(request).challenges
    token = challenges.issue()
    question = challenges.question(token)
    text = question.zh() if current_locale() == "zh_CN" else question.en()
    return Challenge(token=token, bits=challenges.bits, question=text)


__all__ = ["router"]
