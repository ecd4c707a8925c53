"""Shapes of scores, contributions, alerts, watch lists, entities and the summary report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from smokewatch.api.schemas.core import Finding


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Contribution(BaseModel):
    """One line of a smoke index's explanation; the lines add up to the index."""

    kind: str = Field(description="component, cap, qualifier, ceiling or floor.")
    dimension: str | None
    component: str | None
    source: str | None = Field(description="`SW-R-0102@1`, a model, or a qualifier.")
    points: float
    reason_zh: str
    reason_en: str
    evidence: list[str] = Field(description="Finding or prediction ids behind the line.")
    band: str | None
    probability: float | None


class Score(BaseModel):
    """An entity's smoke index on one evaluation date."""

    id: str
    subject_id: str
    subject_table: str
    subject_name: str | None
    scorecard: str = Field(description="scorecard_id@version")
    as_of: date
    smoke_index: float
    grade: str
    dimensions: dict[str, float]
    adcode: str | None
    sector: str | None
    run_id: str


class ExplainedScore(Score):
    """A score with every contribution line (they add up to the index)."""

    contributions: list[Contribution]


class ScorePage(BaseModel):
    """One evaluation date's scores, highest first, with the grade counts of that date."""

    scorecard: str
    as_of: date | None
    total: int
    limit: int
    offset: int
    by_grade: dict[str, int]
    items: list[Score]


class HistoryPoint(BaseModel):
    """The index on one evaluation date."""

    as_of: date
    smoke_index: float
    grade: str


class DetailedHistoryPoint(HistoryPoint):
    """The index on one evaluation date, by dimension."""

    dimensions: dict[str, float]
    scorecard: str


class SmokeIndexHistory(BaseModel):
    """An entity's smoke index over time."""

    id: str
    name: str | None
    scorecard: str
    history: list[DetailedHistoryPoint]


class AlertEvent(BaseModel):
    """One step of an alert's history."""

    kind: str = Field(
        description="raised, rose, fell, snoozed, woke, closed, reopened, acknowledged"
    )
    at: datetime
    grade: str | None
    smoke_index: float | None
    run_id: str | None
    actor: str | None
    reason: str | None


class Alert(BaseModel):
    """One alert per entity and scorecard, at the highest grade since it was raised."""

    id: str
    subject_id: str
    subject_table: str
    subject_name: str | None
    scorecard: str
    grade: str
    last_grade: str
    smoke_index: float
    as_of: date
    status: str = Field(description="open, snoozed or closed")
    raised_at: datetime
    updated_at: datetime
    snoozed_until: date | None
    snooze_reason: str | None
    adcode: str | None
    sector: str | None
    reason_zh: str
    reason_en: str
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    assignee: str | None = None
    """The user who triages it (``null``: the territory's inbox)."""
    assigned_at: datetime | None = None


class AlertDetail(Alert):
    """An alert with its history."""

    history: list[AlertEvent]


class AlertPage(BaseModel):
    """A page of alerts, most recently updated first."""

    total: int
    limit: int
    offset: int
    items: list[Alert]


class Acknowledge(_Request):
    """An optional note with an acknowledgement."""

    note: str | None = Field(default=None, max_length=2000)


class Assign(_Request):
    """Give the alert to a user (``null`` puts it back in the territory's inbox)."""

    assignee: str | None = Field(max_length=128)
    note: str | None = Field(default=None, max_length=2000)


class Snooze(_Request):
    """Snooze until a day, with a reason."""

    until: date
    reason: str = Field(min_length=1, max_length=2000)


class Close(_Request):
    """Close with a reason."""

    reason: str = Field(min_length=1, max_length=2000)


class WatchEntry(BaseModel):
    """An entity on a watch list, with why, who and until when."""

    id: int
    list: str
    subject_id: str
    subject_table: str
    subject_name: str | None
    reason: str
    added_by: str
    added_at: datetime
    expires_on: date | None
    removed_at: datetime | None
    removed_by: str | None
    removal_reason: str | None


class WatchAdd(_Request):
    """Put an entity on a watch list."""

    subject_id: str = Field(min_length=1, max_length=128)
    reason: str = Field(min_length=1, max_length=2000)
    expires_on: date | None = None
    subject_name: str | None = Field(default=None, max_length=500)


class EntityCase(BaseModel):
    """A case about the entity (one the user can see)."""

    id: str
    title: str
    status: str
    jurisdiction: str
    due_on: date | None


class Profile(BaseModel):
    """Everything the store knows of an entity, with its latest smoke index explained."""

    id: str
    table: str
    name: str | None
    adcode: str | None = Field(description="Where the entity is routed (属地).")
    sector: str | None
    smoke_index: ExplainedScore | None
    history: list[HistoryPoint]
    alert: Alert | None
    watchlists: list[WatchEntry]
    findings_total: int
    findings: list[Finding] = Field(description="Findings of the latest detect run on it.")
    cases: list[EntityCase]


class GraphNode(BaseModel):
    """A node of the company graph: an enterprise, a person, a phone or an address."""

    key: int = Field(description="The node's number in the published graph (expand with it).")
    id: str | None = Field(description="`e:…`, `p:…`, `phone:…`, `addr:…`; null when hidden.")
    kind: str = Field(description="enterprise, person, phone or address.")
    label: str | None = Field(description="Registered name or the value the source wrote.")
    grade: str | None = Field(description="Latest smoke grade of the enterprise, if scored.")
    record: str | None = Field(description="The enterprise record to open, if you may see it.")
    root: bool
    hidden: bool = Field(description="An enterprise outside your territory: nothing shown.")
    hop: int | None = Field(
        default=None, description="Hops from the node the graph was built around."
    )


class GraphEdge(BaseModel):
    """A link: shareholding, officer role, shared phone or address, transfers."""

    source: int
    target: int
    kind: str
    weight: float | None = Field(description="Share for `owns`, yuan for `transfers`, else 1.")
    label: str | None


class FamilySize(BaseModel):
    """How large the whole family is, and how much of it was published."""

    enterprises: int
    nodes: int
    edges: int
    edges_published: int


class PatrolEvent(BaseModel):
    """A change the online patrol saw on a site the entity runs (docs/patrol.md)."""

    id: str
    run_id: str
    patrol_id: str
    site: str
    kind: str
    url: str | None
    at: datetime
    subject_id: str | None
    subject_name: str | None
    summary_zh: str
    summary_en: str
    detail: dict[str, Any]


class PatrolEvents(BaseModel):
    """An entity's patrol events, oldest first."""

    id: str
    events: list[PatrolEvent]


class Neighbourhood(BaseModel):
    """An entity's company family around it (or around one of its nodes: `around`)."""

    id: str
    available: bool = Field(description="Whether the company graph was built and published.")
    reason: dict[str, str] | None = Field(description="Why there is nothing to draw (zh/en).")
    family: FamilySize | None
    around: int | None
    depth: int
    more: int = Field(description="Nodes of the family not in this answer (the node cap).")
    truncated: bool
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class OwnershipStep(GraphNode):
    """A holder on an ownership path and the share it holds of the next node down."""

    share: float


class Owner(GraphNode):
    """A top holder with its cumulative share (the sum over its paths) and the paths."""

    share: float
    beneficial: bool = Field(description="A natural person at or above the threshold.")
    paths: list[list[OwnershipStep]]


class Ownership(BaseModel):
    """Ownership penetration (股权穿透): owners, untraced share, cross-holding cycles."""

    id: str
    available: bool
    reason: dict[str, str] | None
    threshold: float
    owners: list[Owner]
    cycles: list[list[GraphNode]]
    unknown_share: float = Field(description="Holdings recorded under 100 %.")
    cycle_share: float = Field(description="Share flowing into a cross-holding, counted once.")
    truncated: bool = Field(description="The walk stopped at the depth limit.")


class AlertSummary(BaseModel):
    """Alert counts."""

    by_status_and_grade: dict[str, int] = Field(description="`status/grade` → count")
    open_unacknowledged: int


class ScoreSummary(BaseModel):
    """Grade counts of the latest evaluation date."""

    scorecard: str
    as_of: date | None
    by_grade: dict[str, int]


class CaseSummary(BaseModel):
    """Case counts."""

    by_status: dict[str, int]
    open: int
    overdue: int
    referred_to_police: int
    referrals_acknowledged: int
    finished_by_outcome: dict[str, int] = Field(description="positive, negative or none")


class SummaryReport(BaseModel):
    """The figures a lead department reads, for the user's territory."""

    generated_on: date
    territory: str | None
    alerts: AlertSummary
    scores: ScoreSummary
    cases: CaseSummary


class Label(BaseModel):
    """A finished case as a label for model retraining (first three: an outcome file row)."""

    entity_id: str
    event_date: date
    kind: str | None
    label: int | None = Field(description="1 positive, 0 negative, empty: unknown")
    outcome: str
    resolution: str | None
    determination: str | None
    case_id: str
    status: str
    subject_table: str | None
    subject_name: str | None
    jurisdiction: str
    alerts: str = Field(description="Space-separated alert ids held as evidence.")
    findings: str = Field(description="Space-separated finding ids held as evidence.")


class Scorecard(BaseModel):
    """A scorecard as written in its YAML: grades, dimensions, components and qualifiers."""

    model_config = ConfigDict(extra="allow")

    id: str
    version: int
    key: str = Field(description="id@version")
    name: str
    status: str
    subject: str
    title: dict[str, str]
    grades: list[dict[str, Any]]
    alert_grade: str
    dimensions: list[dict[str, Any]]
    qualifiers: list[dict[str, Any]]
    origin: str
    content_hash: str


__all__ = [
    "Acknowledge",
    "Alert",
    "AlertDetail",
    "AlertEvent",
    "AlertPage",
    "Close",
    "Contribution",
    "EntityCase",
    "ExplainedScore",
    "HistoryPoint",
    "Label",
    "Neighbourhood",
    "Profile",
    "Score",
    "ScorePage",
    "Scorecard",
    "SmokeIndexHistory",
    "Snooze",
    "SummaryReport",
    "WatchAdd",
    "WatchEntry",
]
