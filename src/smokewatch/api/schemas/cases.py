"""Shapes of cases, their transitions, evidence and audit history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from smokewatch.cases.workflow import CaseAction


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EvidenceRef(_Request):
    """An existing thing to hold as evidence."""

    kind: str = Field(description="alert, finding, score, entity, file, tip, report or case")
    ref_id: str = Field(min_length=1, max_length=128)
    note: str | None = Field(default=None, max_length=2000)


class CaseOpen(_Request):
    """A new clue (线索) in a jurisdiction."""

    title: str = Field(min_length=1, max_length=500)
    jurisdiction: str = Field(pattern=r"^\d{6}(\d{3})?$", description="Division code owning it.")
    subject_id: str | None = Field(default=None, max_length=128)
    subject_table: str | None = Field(default=None, max_length=64)
    subject_name: str | None = Field(default=None, max_length=500)
    sector: str | None = Field(default=None, max_length=64)
    evidence: list[EvidenceRef] = Field(default_factory=list, max_length=100)
    note: str | None = Field(default=None, max_length=2000)


class CaseFromAlert(_Request):
    """Open a clue from an alert (defaults: the alert's county and a title from it)."""

    title: str | None = Field(default=None, min_length=1, max_length=500)
    jurisdiction: str | None = Field(default=None, pattern=r"^\d{6}(\d{3})?$")
    note: str | None = Field(default=None, max_length=2000)


class CaseUpdate(_Request):
    """Corrections to a case (its stage changes only through transitions)."""

    title: str | None = Field(default=None, min_length=1, max_length=500)
    subject_name: str | None = Field(default=None, min_length=1, max_length=500)
    amount_involved: Decimal | None = Field(
        default=None,
        ge=0,
        lt=10**15,
        decimal_places=2,
        description="The amount involved (涉案金额) in yuan, to the fen; recorded in the history.",
    )
    expected_version: int | None = Field(default=None, ge=1, le=2_000_000_000)


class Transition(_Request):
    """A workflow action with its fields (see docs/cases.md for which action needs which)."""

    action: CaseAction
    assignee: str | None = Field(default=None, max_length=64)
    determination: str | None = Field(default=None, max_length=64)
    measures: list[str] | None = Field(default=None, max_length=20)
    to_agency: str | None = Field(default=None, max_length=64)
    receipt: str | None = Field(default=None, max_length=500)
    resolution: str | None = Field(default=None, max_length=64)
    reason: str | None = Field(default=None, max_length=2000)
    lead_adcode: str | None = Field(default=None, max_length=12)
    into: str | None = Field(default=None, max_length=64)
    expected_version: int | None = Field(
        default=None,
        ge=1,
        le=2_000_000_000,
        description="Refuse (409) if the case changed since this version.",
    )

    def fields(self) -> dict[str, Any]:
        """The action's fields that were given."""
        return self.model_dump(exclude={"action", "expected_version"}, exclude_none=True)


class Case(BaseModel):
    """A case: owner, stage, deadline, and what the user may do next."""

    id: str
    title: str
    subject_id: str | None
    subject_table: str | None
    subject_name: str | None
    status: str
    jurisdiction: str
    opened_in: str
    lead_adcode: str | None
    escalated: bool
    sector: str | None
    assignee: str | None
    referred_to: str | None
    referral_receipt: str | None
    referral_acknowledged_at: datetime | None
    determination: str | None
    measures: list[str]
    resolution: str | None
    merged_into: str | None
    amount_involved: Decimal | None = Field(
        description="The amount involved (涉案金额) in yuan, a decimal string to the fen; "
        "null when not recorded."
    )
    reported_by: str | None
    opened_by: str
    opened_at: datetime
    status_since: datetime
    due_on: date | None
    overdue: bool
    version: int
    actions: list[str] = Field(description="The actions this user may take now.")


class CaseStep(BaseModel):
    """One step of a case's history."""

    seq: int
    action: str
    actor: str
    at: datetime
    from_status: str | None
    to_status: str
    data: dict[str, Any]


class Evidence(BaseModel):
    """A piece of evidence held by a case."""

    kind: str
    ref_id: str
    note: str | None
    added_by: str
    added_at: datetime


class StoredFile(Evidence):
    """A file kept by content hash and held by a case."""

    sha256: str
    size: int
    media_type: str


class CaseDetail(Case):
    """A case with its history and evidence."""

    history: list[CaseStep]
    evidence: list[Evidence]


class CasePage(BaseModel):
    """A page of cases, most recently updated first."""

    total: int
    limit: int
    offset: int
    items: list[Case]


class AuditEntry(BaseModel):
    """An entry of the hash-chained audit log."""

    seq: int
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
    hash: str


__all__ = [
    "AuditEntry",
    "Case",
    "CaseDetail",
    "CaseFromAlert",
    "CaseOpen",
    "CasePage",
    "CaseStep",
    "CaseUpdate",
    "Evidence",
    "EvidenceRef",
    "StoredFile",
    "Transition",
]
