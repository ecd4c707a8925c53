"""The officers' side of the portal: tips, reward schemes and public warnings (REST)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import FileResponse

from smokewatch.api.deps import ActorDep, SettingsDep, StoreDep
from smokewatch.api.schemas import tips as schemas
from smokewatch.errors import NotFound
from smokewatch.services import public_warnings, tips_inbox, tips_rewards
from smokewatch.services.tips_uploads import stored_path

router = APIRouter(prefix="/api/v1/tips", tags=["tips"])
rewards_router = APIRouter(prefix="/api/v1/reward-schemes", tags=["rewards"])
warnings_router = APIRouter(prefix="/api/v1/warnings", tags=["warnings"])

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")]
TipStatus = Annotated[
    list[str] | None,
    Query(
        alias="status",
        max_length=7,
        description="Statuses (default: received, triaged, duplicate).",
    ),
]
_DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "no-store",
}


@router.get("", operation_id="tips-inbox")
def inbox(
    store: StoreDep,
    actor: ActorDep,
    status_: TipStatus = None,
    agency_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> schemas.TipPage:
    """The tips routed inside your division, riskiest first."""
    rows, total = tips_inbox.inbox(
        store, actor, statuses=status_, agency_id=agency_id, limit=limit, offset=offset
    )
    return schemas.TipPage(
        total=total, limit=limit, offset=offset, items=[schemas.TipSummary(**r) for r in rows]
    )


@router.get("/{tip_id}", operation_id="tips-get")
def get_tip(store: StoreDep, actor: ActorDep, tip_id: str) -> schemas.TipDetail:
    """A tip in full: fields, the text reading, files, history (contact masked by role)."""
    return schemas.TipDetail(**tips_inbox.get_tip(store, actor, tip_id))


@router.post("/{tip_id}/actions", operation_id="tips-act")
def act(
    store: StoreDep, actor: ActorDep, tip_id: str, body: schemas.TipAction
) -> schemas.TipSummary:
    """Triage, reply to the reporter, reroute, dismiss, or mark spam / not spam."""
    return schemas.TipSummary(
        **tips_inbox.act(store, actor, tip_id, body.action, note=body.note, adcode=body.adcode)
    )


@router.post("/{tip_id}/case", operation_id="tips-convert", status_code=status.HTTP_201_CREATED)
def convert(
    store: StoreDep, actor: ActorDep, tip_id: str, body: schemas.TipConvert
) -> schemas.TipConverted:
    """Open a case clue from the tip in its county (the tip held as evidence)."""
    return schemas.TipConverted(**tips_inbox.convert(store, actor, tip_id, title=body.title))


@router.get(
    "/{tip_id}/files/{sha256}",
    operation_id="tips-download-file",
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
def download(
    store: StoreDep,
    actor: ActorDep,
    settings: SettingsDep,
    tip_id: str,
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
) -> FileResponse:
    """A tip's evidence file, as a download (the view is audited)."""
    info = tips_inbox.open_attachment(store, actor, tip_id, sha256)
    path = stored_path(settings.workspace / "tips", sha256)
    if not path.is_file():
        raise NotFound(f"the file {sha256} of tip {tip_id} is missing from the workspace")
    return FileResponse(
        path,
        media_type="application/octet-stream",
        filename=str(info["name"]),
        content_disposition_type="attachment",
        headers={**_DOWNLOAD_HEADERS, "X-Evidence-Media-Type": str(info["media_type"])},
    )


@router.get("/{tip_id}/reward", operation_id="tips-reward")
def reward(store: StoreDep, actor: ActorDep, tip_id: str) -> schemas.RewardDecision:
    """The reward decision of a tip."""
    return schemas.RewardDecision(**tips_rewards.get_decision(store, actor, tip_id))


@router.post(
    "/{tip_id}/reward", operation_id="tips-decide-reward", status_code=status.HTTP_201_CREATED
)
def decide(
    store: StoreDep, actor: ActorDep, tip_id: str, body: schemas.RewardDecide
) -> schemas.RewardDecision:
    """Decide the reward of a tip whose case closed with illegal activity confirmed."""
    return schemas.RewardDecision(
        **tips_rewards.decide_reward(
            store,
            actor,
            tip_id,
            illegal_amount=body.illegal_amount,
            reason=body.reason,
            awarded=body.awarded,
        )
    )


@router.post("/{tip_id}/reward/payment", operation_id="tips-reward-payment")
def payment(
    store: StoreDep, actor: ActorDep, tip_id: str, body: schemas.RewardPayment
) -> schemas.RewardDecision:
    """Record the payment status of a reward (``paid`` needs its reference)."""
    return schemas.RewardDecision(
        **tips_rewards.set_payment(store, actor, tip_id, body.status, reference=body.reference)
    )


@rewards_router.get("", operation_id="rewards-schemes")
def schemes(store: StoreDep, actor: ActorDep) -> list[schemas.RewardScheme]:
    """Every reward scheme, by province and date."""
    del actor  # any signed-in user may read them
    return [schemas.RewardScheme(**s) for s in tips_rewards.list_schemes(store)]


@rewards_router.post("", operation_id="rewards-add-scheme", status_code=status.HTTP_201_CREATED)
def add_scheme(
    store: StoreDep, actor: ActorDep, body: schemas.RewardSchemeIn
) -> schemas.RewardScheme:
    """Add a province's reward scheme (administrators)."""
    return schemas.RewardScheme(
        **tips_rewards.add_scheme(
            store,
            actor,
            scheme_id=body.id,
            name=body.name,
            province=body.province,
            rate=body.rate,
            floor=body.floor,
            cap=body.cap,
            valid_from=body.valid_from,
            valid_to=body.valid_to,
        )
    )


@warnings_router.get("", operation_id="warnings-list")
def list_warnings(store: StoreDep, actor: ActorDep) -> list[schemas.PublicWarning]:
    """The warnings of your division, drafts included."""
    return [schemas.PublicWarning(**w) for w in public_warnings.all_warnings(store, actor)]


@warnings_router.post("", operation_id="warnings-draft", status_code=status.HTTP_201_CREATED)
def draft(store: StoreDep, actor: ActorDep, body: schemas.WarningDraft) -> schemas.PublicWarning:
    """Draft a risk warning (published on the portal once another lead approves it)."""
    return schemas.PublicWarning(
        **public_warnings.draft(
            store,
            actor,
            title=body.title,
            body=body.body,
            issuing_agency=body.issuing_agency,
            adcode=body.adcode,
            about=body.about,
            typology=body.typology,
        )
    )


@warnings_router.post("/{warning_id}/approve", operation_id="warnings-approve")
def approve(store: StoreDep, actor: ActorDep, warning_id: str) -> schemas.PublicWarning:
    """Approve and publish a draft (not by its author)."""
    return schemas.PublicWarning(**public_warnings.approve(store, actor, warning_id))


@warnings_router.post("/{warning_id}/withdraw", operation_id="warnings-withdraw")
def withdraw(
    store: StoreDep, actor: ActorDep, warning_id: str, body: schemas.WarningWithdraw
) -> schemas.PublicWarning:
    """Take a published warning off the portal."""
    return schemas.PublicWarning(
        **public_warnings.withdraw(store, actor, warning_id, reason=body.reason)
    )


__all__ = ["rewards_router", "router", "warnings_router"]
