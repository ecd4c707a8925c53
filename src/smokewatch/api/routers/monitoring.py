"""``/api/v1``: entities, scores, alerts, watch lists and reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from smokewatch.api.deps import ActorDep, StoreDep
from smokewatch.api.schemas import cases as case_schemas
from smokewatch.api.schemas import monitoring as schemas
from smokewatch.services import alerts, case_intake, entities, reports
from smokewatch.services.alerts import DEFAULT_SCORECARD, KEY_FOCUS
from smokewatch.store.orm import AlertStatus

router = APIRouter(prefix="/api/v1")

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")]
Scorecard = Annotated[str, Query(max_length=64, description="Scorecard id.")]


@router.get("/entities/{entity_id}", tags=["entities"], operation_id="entities-profile")
def profile(
    store: StoreDep, actor: ActorDep, entity_id: str, scorecard: Scorecard = DEFAULT_SCORECARD
) -> schemas.Profile:
    """An entity: routing, smoke index with contributions, history, alert, findings, cases."""
    return schemas.Profile(**entities.profile(store, actor, entity_id, scorecard_id=scorecard))


@router.get(
    "/entities/{entity_id}/smoke-index", tags=["entities"], operation_id="entities-smoke-index"
)
def smoke_index(
    store: StoreDep, actor: ActorDep, entity_id: str, scorecard: Scorecard = DEFAULT_SCORECARD
) -> schemas.SmokeIndexHistory:
    """The entity's smoke index and dimensions on every evaluation date."""
    return schemas.SmokeIndexHistory(
        **entities.smoke_index_history(store, actor, entity_id, scorecard_id=scorecard)
    )


@router.get(
    "/entities/{entity_id}/contributions",
    tags=["entities"],
    operation_id="entities-contributions",
)
def contributions(
    store: StoreDep,
    actor: ActorDep,
    entity_id: str,
    scorecard: Scorecard = DEFAULT_SCORECARD,
    as_of: Annotated[date | None, Query(description="Default: the latest date.")] = None,
) -> schemas.ExplainedScore:
    """Every line of the smoke index of one date, with reasons and evidence (they add up)."""
    return schemas.ExplainedScore(
        **entities.contributions(store, actor, entity_id, scorecard_id=scorecard, as_of=as_of)
    )


@router.get("/entities/{entity_id}/graph", tags=["entities"], operation_id="entities-graph")
def graph(
    store: StoreDep,
    actor: ActorDep,
    entity_id: str,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
) -> schemas.Neighbourhood:
    """The entity's neighbourhood in the company graph (not available yet: says why)."""
    return schemas.Neighbourhood(**entities.neighbourhood(store, actor, entity_id, depth=depth))


@router.get("/scores", tags=["scores"], operation_id="scores-list")
def list_scores(
    store: StoreDep,
    actor: ActorDep,
    scorecard: Scorecard = DEFAULT_SCORECARD,
    as_of: Annotated[date | None, Query(description="Default: the latest date.")] = None,
    grade: Annotated[list[str] | None, Query(description="Only these grades.")] = None,
    adcode: Annotated[str | None, Query(pattern=r"^\d{1,9}$", description="Code prefix.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> schemas.ScorePage:
    """The smoke indices of an evaluation date in your territory, highest first."""
    page = alerts.list_scores(
        store,
        scorecard_id=scorecard,
        as_of=as_of,
        grades=grade,
        adcode_prefix=adcode,
        limit=limit,
        offset=offset,
        actor=actor,
    )
    return schemas.ScorePage(
        scorecard=page.scorecard,
        as_of=page.as_of,
        total=page.total,
        limit=limit,
        offset=offset,
        by_grade=page.by_grade,
        items=[schemas.Score(**s) for s in page.scores],
    )


@router.get("/alerts", tags=["alerts"], operation_id="alerts-list")
def list_alerts(
    store: StoreDep,
    actor: ActorDep,
    status_: Annotated[
        list[AlertStatus] | None, Query(alias="status", description="Default: open.")
    ] = None,
    grade: Annotated[list[str] | None, Query(description="Only these grades.")] = None,
    adcode: Annotated[str | None, Query(pattern=r"^\d{1,9}$", description="Code prefix.")] = None,
    sector: Annotated[str | None, Query(max_length=64)] = None,
    acknowledged: bool | None = None,
    assignee: Annotated[str | None, Query(max_length=128, description="Only theirs.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> schemas.AlertPage:
    """Alerts routed to your territory, most recently updated first."""
    rows, total = alerts.list_alerts(
        store,
        statuses=[s.value for s in status_] if status_ else ("open",),
        grades=grade,
        adcode_prefix=adcode,
        sector=sector,
        acknowledged=acknowledged,
        limit=limit,
        offset=offset,
        actor=actor,
        assignee=assignee,
    )
    return schemas.AlertPage(
        total=total, limit=limit, offset=offset, items=[schemas.Alert(**a) for a in rows]
    )


@router.get("/alerts/{alert_id}", tags=["alerts"], operation_id="alerts-get")
def get_alert(store: StoreDep, actor: ActorDep, alert_id: str) -> schemas.AlertDetail:
    """One alert with its history."""
    return schemas.AlertDetail(**alerts.show_alert(store, alert_id, actor=actor))


@router.post("/alerts/{alert_id}/ack", tags=["alerts"], operation_id="alerts-acknowledge")
def acknowledge(
    store: StoreDep, actor: ActorDep, alert_id: str, body: schemas.Acknowledge
) -> schemas.AlertDetail:
    """Take note of an alert at its grade (a rise clears it); audited."""
    return schemas.AlertDetail(
        **alerts.acknowledge_alert(store, alert_id, actor=actor, note=body.note)
    )


@router.post("/alerts/{alert_id}/assign", tags=["alerts"], operation_id="alerts-assign")
def assign(
    store: StoreDep, actor: ActorDep, alert_id: str, body: schemas.Assign
) -> schemas.AlertDetail:
    """Give the alert to a user who may work on it there (or back to the inbox); audited."""
    return schemas.AlertDetail(
        **alerts.assign_alert(store, alert_id, assignee=body.assignee, actor=actor, note=body.note)
    )


@router.post("/alerts/{alert_id}/snooze", tags=["alerts"], operation_id="alerts-snooze")
def snooze(
    store: StoreDep, actor: ActorDep, alert_id: str, body: schemas.Snooze
) -> schemas.AlertDetail:
    """Snooze until a day with a reason: rises are recorded, not notified; audited."""
    return schemas.AlertDetail(
        **alerts.snooze_alert(store, alert_id, until=body.until, reason=body.reason, actor=actor)
    )


@router.post("/alerts/{alert_id}/close", tags=["alerts"], operation_id="alerts-close")
def close(
    store: StoreDep, actor: ActorDep, alert_id: str, body: schemas.Close
) -> schemas.AlertDetail:
    """Close with a reason (it reopens if the entity rises again); audited."""
    return schemas.AlertDetail(
        **alerts.close_alert(store, alert_id, reason=body.reason, actor=actor)
    )


@router.post(
    "/alerts/{alert_id}/cases",
    tags=["alerts"],
    operation_id="alerts-open-case",
    status_code=status.HTTP_201_CREATED,
)
def open_case(
    store: StoreDep, actor: ActorDep, alert_id: str, body: case_schemas.CaseFromAlert
) -> case_schemas.Case:
    """Open a clue (线索) from the alert: its county, its entity, the alert as evidence."""
    return case_schemas.Case(
        **case_intake.open_from_alert(
            store,
            actor,
            alert_id,
            title=body.title,
            jurisdiction=body.jurisdiction,
            note=body.note,
        )
    )


@router.get("/watchlists", tags=["watchlists"], operation_id="watchlists-list")
def list_watch(
    store: StoreDep,
    actor: ActorDep,
    list_id: Annotated[str | None, Query(alias="list", max_length=64)] = None,
    history: Annotated[bool, Query(description="Also removed and lapsed entries.")] = False,
) -> list[schemas.WatchEntry]:
    """Entries of the watch lists (default: every list, active today) in your territory."""
    rows = alerts.list_watch(store, list_id=list_id, history=history, actor=actor)
    return [schemas.WatchEntry(**e) for e in rows]


@router.post(
    "/watchlists/{list_id}/entries",
    tags=["watchlists"],
    operation_id="watchlists-add",
    status_code=status.HTTP_201_CREATED,
)
def add_watch(
    store: StoreDep, actor: ActorDep, list_id: str, body: schemas.WatchAdd
) -> schemas.WatchEntry:
    """Put an entity on a watch list (``key_focus``: 重点关注名单) with a reason; audited."""
    return schemas.WatchEntry(
        **alerts.add_watch(
            store,
            body.subject_id,
            reason=body.reason,
            actor=actor,
            list_id=list_id,
            expires_on=body.expires_on,
            subject_name=body.subject_name,
        )
    )


@router.delete(
    "/watchlists/{list_id}/entries/{entity_id}",
    tags=["watchlists"],
    operation_id="watchlists-remove",
)
def remove_watch(
    store: StoreDep,
    actor: ActorDep,
    list_id: str,
    entity_id: str,
    reason: Annotated[str, Query(min_length=1, max_length=2000)],
) -> schemas.WatchEntry:
    """Take an entity off a watch list with a reason (the entry is kept); audited."""
    return schemas.WatchEntry(
        **alerts.remove_watch(store, entity_id, reason=reason, actor=actor, list_id=list_id)
    )


@router.get("/reports/summary", tags=["reports"], operation_id="reports-summary")
def summary(
    store: StoreDep, actor: ActorDep, scorecard: Scorecard = DEFAULT_SCORECARD
) -> schemas.SummaryReport:
    """Alerts, grades, cases, overdue cases and referrals in your territory."""
    return schemas.SummaryReport(**reports.summary(store, actor, scorecard_id=scorecard))


@router.get("/reports/labels", tags=["reports"], operation_id="reports-labels")
def labels(
    store: StoreDep,
    actor: ActorDep,
    include_unknown: Annotated[
        bool, Query(description="Also resolutions that say nothing about the signals.")
    ] = False,
) -> list[schemas.Label]:
    """Finished cases as labels for model retraining and rule tuning (admins)."""
    rows = case_intake.case_labels(store, include_unknown=include_unknown, actor=actor)
    return [schemas.Label(**r) for r in rows]


__all__ = ["KEY_FOCUS", "router"]
