"""Shapes of public tips (the officers' side), reward schemes and decisions, and warnings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TipSummary(BaseModel):
    """A tip as the inbox lists it."""

    id: str
    status: str = Field(
        description="received, triaged, converted, duplicate, spam, dismissed, closed"
    )
    submitted_at: str
    target_name: str
    adcode: str | None = Field(description="Division in charge (routing).")
    agency_id: str | None = Field(description="Lead department the tip was routed to.")
    routed_by: str = Field(description="address, entity, default or officer")
    entity_id: str | None
    risk_score: float = Field(description="0–1, from the text module's reading of the description.")
    signals: list[str] = Field(description="The strongest lure words behind the risk score.")
    categories: list[str] = Field(
        default_factory=list,
        description="Families of the signals (fundraising, lending, pyramid, speculation, "
        "impersonation, fraud), strongest first.",
    )
    duplicate_of: str | None
    spam_reasons: list[str]
    case_id: str | None


class TipPage(BaseModel):
    """A page of the inbox."""

    total: int
    limit: int
    offset: int
    items: list[TipSummary]


class TipFile(BaseModel):
    """An evidence file of a tip."""

    sha256: str
    size: int
    media_type: str
    name: str


class TipEvent(BaseModel):
    """A step of a tip's history."""

    seq: int
    action: str
    actor: str
    at: str
    public: bool = Field(description="Shown to the reporter on the tracking page.")
    data: dict[str, Any]


class TipDetail(TipSummary):
    """A tip in full (the contact is masked for roles without PII rights)."""

    target_url: str | None
    target_wechat: str | None
    target_phone: str | None
    target_address: str | None
    description: str
    amount: str | None
    happened_on: str | None
    learnt_via: str
    contact: str | None
    anonymous: bool
    entity_name: str | None
    analysis: dict[str, Any]
    files: list[TipFile]
    history: list[TipEvent]


class TipAction(_Request):
    """An action on a tip."""

    action: Literal["triage", "reply", "reroute", "dismiss", "spam", "not_spam"]
    note: str | None = Field(
        default=None, max_length=2000, description="Reply (shown to the reporter) or reason."
    )
    adcode: str | None = Field(default=None, pattern=r"^\d{6}(\d{3})?$", description="For reroute.")


class TipConvert(_Request):
    """Open a case clue from a tip."""

    title: str | None = Field(default=None, min_length=1, max_length=500)


class TipMerge(_Request):
    """File a tip as a duplicate of another."""

    into: str = Field(min_length=1, max_length=32, description="Id of the original tip.")


class TipAttach(_Request):
    """Hold a tip as evidence of a case that is already open."""

    case_id: str = Field(min_length=1, max_length=64)
    note: str | None = Field(default=None, max_length=2000)


class TipConverted(TipSummary):
    """The tip after conversion, with the case opened."""

    case: dict[str, Any]


class RewardDecide(_Request):
    """The reward of a tip whose case closed with illegal activity confirmed."""

    illegal_amount: Decimal = Field(
        ge=0, le=Decimal("1e13"), description="Yuan established by the case."
    )
    reason: str = Field(min_length=1, max_length=2000)
    awarded: Decimal | None = Field(
        default=None, ge=0, le=Decimal("1e13"), description="Less than computed, with the reason."
    )


class RewardPayment(_Request):
    """A payment status of a reward."""

    status: Literal["pending", "paid", "unclaimed", "withheld"]
    reference: str | None = Field(default=None, max_length=200)


class RewardDecision(BaseModel):
    """A recorded reward decision with the lines that explain the amount."""

    tip_id: str
    case_id: str
    scheme_id: str
    illegal_amount: str
    computed: str
    awarded: str
    explanation: list[dict[str, str]]
    approver: str
    reason: str
    decided_at: str
    payment_status: str
    payment_ref: str | None


class RewardSchemeIn(_Request):
    """A province's reward scheme."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str = Field(min_length=1, max_length=200)
    province: str = Field(pattern=r"^\d{2}0000$")
    rate: Decimal = Field(ge=0, le=1, description="Share of the illegal amount (0.01 = 1%).")
    floor: Decimal = Field(ge=0, le=Decimal("1e9"))
    cap: Decimal = Field(ge=0, le=Decimal("1e9"))
    valid_from: date
    valid_to: date | None = None


class RewardScheme(BaseModel):
    """A reward scheme."""

    id: str
    name: str
    province: str
    rate: str
    floor: str
    cap: str
    valid_from: str
    valid_to: str | None


class WarningDraft(_Request):
    """A risk warning to draft (published once another lead approves it)."""

    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)
    issuing_agency: str = Field(min_length=1, max_length=200)
    adcode: str = Field(pattern=r"^\d{6}$")
    about: str | None = Field(default=None, max_length=200)
    typology: str | None = Field(default=None, max_length=64)


class WarningWithdraw(_Request):
    """Why a warning leaves the portal."""

    reason: str = Field(min_length=1, max_length=2000)


class PublicWarning(BaseModel):
    """A risk warning (draft, published or withdrawn)."""

    id: str
    title: str
    body: str
    about: str | None
    typology: str | None
    issuing_agency: str
    adcode: str
    status: str
    published_on: str | None
