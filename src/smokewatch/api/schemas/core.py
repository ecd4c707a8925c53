"""Shapes of the system, run, finding, rule and source resources."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class Health(BaseModel):
    """Liveness and what this server serves."""

    status: str
    version: str
    workspace: str
    store: str


class Run(BaseModel):
    """An ingest, detect or demo run."""

    id: str
    kind: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    engine: str | None
    source_id: str | None
    subject: str | None
    inputs: dict[str, Any]
    stats: dict[str, Any]
    error: str | None


class Reject(BaseModel):
    """A row an ingest run rejected, with the reason."""

    row_number: int
    column: str | None
    reason: str
    raw: Any
    source_id: str


class RunDetail(Run):
    """A run with its first rejected rows."""

    rejects_total: int
    rejects: list[Reject]
    rejects_shown: bool = Field(
        default=True,
        description="False when the rejected rows are withheld: they are raw data of the whole"
        " workspace, read by analysts whose division contains the workspace's.",
    )


class Finding(BaseModel):
    """One rule hit, with its reason, metrics and evidence (the Finding contract)."""

    id: str
    subject_id: str
    subject_table: str
    subject_name: str | None
    rule_id: str
    rule_version: int
    rule: str = Field(description="rule_id@version")
    severity: str
    band: str
    reason_zh: str
    reason_en: str
    metrics: dict[str, Any]
    evidence: list[Any]
    as_of: date
    shadow: bool
    run_id: str
    engine: str
    adcode: str | None = Field(default=None, description="Division code of the subject (属地).")
    sector: str | None = Field(default=None, description="Sector of the subject (行业).")


class FindingPage(BaseModel):
    """A page of findings."""

    total: int
    run_id: str | None
    items: list[Finding]


class Rule(BaseModel):
    """A rule as analysts read it: what it checks, its legal basis, bands and body."""

    id: str
    version: int
    ref: str
    name: str
    title: dict[str, str]
    status: str
    severity: str
    subject: str
    typology: list[str]
    description: dict[str, str]
    references: list[dict[str, Any]]
    inputs: dict[str, Any]
    parameters: dict[str, Any]
    metrics: dict[str, Any]
    bands: list[dict[str, Any]]
    falsepositives: list[str]
    logic: str
    body: str
    origin: str
    content_hash: str
    fixtures: list[dict[str, str]]


class Overview(BaseModel):
    """Headline figures of the workspace."""

    jurisdiction: dict[str, Any]
    latest_detect_run: str | None
    findings: int
    subjects_flagged: int
    findings_by_rule: dict[str, int]
    findings_by_severity: dict[str, int]
    last_run_finished: dict[str, datetime | None]


class Source(BaseModel):
    """A data source of the workspace."""

    id: str
    title: dict[str, str]
    table: str
    format: str
    location: str
    mode: str


class ErrorBody(BaseModel):
    """The ``error`` object of every error response."""

    kind: str = Field(description="The error kind: InvalidInput, NotFound, Forbidden …")
    message: str
    details: list[dict[str, Any]] | None = Field(
        default=None, description="Per-field problems of an invalid request."
    )


class Error(BaseModel):
    """Every error response."""

    error: ErrorBody


__all__ = [
    "Error",
    "Finding",
    "FindingPage",
    "Health",
    "Overview",
    "Reject",
    "Rule",
    "Run",
    "RunDetail",
    "Source",
]
