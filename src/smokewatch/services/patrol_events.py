"""Patrol change events into the store, on the operator's timeline.

A run's changes become events (:func:`smokewatch.patrol.events.change_events`) of the site's
operator: the entity this run resolved, else the one the patrol's latest earlier run resolved
(a site taken down shows no page to resolve from). A page or site gone while the operator has
an alert raised before the run is a takedown after a warning; the event names that alert.
Events are upserted by their stable id, so recording a run's events again changes nothing
(``smokewatch patrol events RUN`` does it for a run of the past).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.patrol.events import ChangeEvent
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, Run, RunKind, RunStatus
from smokewatch.store.orm_patrol import PatrolEvent

TAKEDOWNS = ("page_gone", "site_gone")


def _earlier_operators(session: Session, source_id: str, run_id: str) -> dict[str, dict[str, Any]]:
    """Per site: the operator the patrol's latest earlier run resolved."""
    current = session.get(Run, run_id)
    if current is None:
        return {}
    before = current.started_at
    runs = session.scalars(
        sa.select(Run)
        .where(
            Run.kind == RunKind.PATROL,
            Run.source_id == source_id,
            Run.status == RunStatus.SUCCEEDED,
            Run.started_at <= before,
            Run.id != run_id,
        )
        .order_by(Run.started_at.desc(), Run.id.desc())
    )
    found: dict[str, dict[str, Any]] = {}
    for run in runs:
        for site, operator in ((run.stats or {}).get("operators") or {}).items():
            if operator.get("resolved"):
                found.setdefault(site, operator)
    return found


def _alert_before(session: Session, subject_id: str, at: datetime) -> dict[str, Any] | None:
    alert = session.scalars(
        sa.select(Alert)
        .where(Alert.subject_id == subject_id, Alert.raised_at <= at)
        .order_by(Alert.raised_at)
        .limit(1)
    ).first()
    if alert is None:
        return None
    return {"alert_id": alert.id, "grade": alert.grade, "raised_at": alert.raised_at.isoformat()}


def record_events(
    store: Store,
    *,
    run_id: str,
    patrol_id: str,
    source_id: str,
    events: Sequence[ChangeEvent],
    operators: Mapping[str, Mapping[str, Any]],
    at: datetime,
) -> int:
    """Upsert a run's events as the operators' timeline events; returns how many are on one."""
    on_entity = 0
    with store.unit_of_work() as session:
        earlier = _earlier_operators(session, source_id, run_id)
        for event in events:
            operator = operators.get(event.site) or {}
            if not operator.get("resolved"):
                operator = earlier.get(event.site, operator)
            subject_id = operator.get("entity_id") if operator.get("resolved") else None
            detail = {**event.detail, "operator": dict(operator)}
            summary_zh, summary_en = event.summary_zh, event.summary_en
            warned = _alert_before(session, subject_id, at) if subject_id else None
            if warned is not None and event.kind in TAKEDOWNS:
                detail["after_alert"] = warned
                summary_zh += f"（预警{warned['alert_id'][:10]}后）"
                summary_en += f" (after alert {warned['alert_id'][:10]})"
            on_entity += subject_id is not None
            session.merge(
                PatrolEvent(
                    id=event.id,
                    run_id=run_id,
                    patrol_id=patrol_id,
                    site=event.site,
                    kind=event.kind,
                    url=event.url,
                    at=at,
                    subject_id=subject_id,
                    subject_table=operator.get("entity_table") if subject_id else None,
                    subject_name=operator.get("name") if subject_id else None,
                    summary_zh=summary_zh,
                    summary_en=summary_en,
                    detail=detail,
                )
            )
    return on_entity


def event_dict(event: PatrolEvent) -> dict[str, Any]:
    """A stored event as the API and the entity page show it."""
    return {
        "id": event.id,
        "run_id": event.run_id,
        "patrol_id": event.patrol_id,
        "site": event.site,
        "kind": event.kind,
        "url": event.url,
        "at": event.at,
        "subject_id": event.subject_id,
        "subject_name": event.subject_name,
        "summary_zh": event.summary_zh,
        "summary_en": event.summary_en,
        "detail": event.detail,
    }


def entity_events(session: Session, subject_id: str) -> list[dict[str, Any]]:
    """The patrol events on an entity, oldest first."""
    rows = session.scalars(
        sa.select(PatrolEvent)
        .where(PatrolEvent.subject_id == subject_id)
        .order_by(PatrolEvent.at, PatrolEvent.id)
    )
    return [event_dict(e) for e in rows]


def run_events(session: Session, run_id: str) -> list[dict[str, Any]]:
    """The events a patrol run recorded, on an entity or not."""
    rows = session.scalars(
        sa.select(PatrolEvent).where(PatrolEvent.run_id == run_id).order_by(PatrolEvent.id)
    )
    return [event_dict(e) for e in rows]


__all__ = ["entity_events", "event_dict", "record_events", "run_events"]
