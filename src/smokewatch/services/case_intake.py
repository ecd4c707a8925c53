"""Cases from alerts, corrections to a case, and case resolutions as labels.

:func:`open_from_alert` turns an alert into a clue (线索) in the alert's county, with the alert
and the entity as its first evidence, and acknowledges the alert. :func:`update_case` corrects
a title or an entity name (the stage moves only by workflow actions). :func:`case_labels`
reads finished cases as labels for model retraining and rule tuning: the resolution's
``outcome`` (vocabulary ``case_resolution``) says whether the activity was real (label 1), a
false alarm (label 0), or says nothing (left out unless asked for).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa

from smokewatch.cases.access import Actor, refusal, sees_region
from smokewatch.cases.workflow import CaseAction, CaseStatus
from smokewatch.errors import Conflict, Forbidden, InvalidInput, NotFound
from smokewatch.model.vocab import get_vocabulary
from smokewatch.services import audit
from smokewatch.services.alerts import acknowledge_alert
from smokewatch.services.cases import append_event, case_dict, get_visible, open_case, scope_of
from smokewatch.services.visibility import require_analyst, require_triage
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, AlertStatus
from smokewatch.store.orm_cases import Case, CaseEvent, CaseLink

GRADE_ZH: Final = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
"""How a case title opened from an alert names its grade (titles are written in Chinese)."""
LABELS: Final = {"positive": 1, "negative": 0}
"""Outcome of a resolution → label."""
LABEL_COLUMNS: Final = (
    "entity_id",
    "event_date",
    "kind",
    "label",
    "outcome",
    "resolution",
    "determination",
    "case_id",
    "status",
    "subject_table",
    "subject_name",
    "jurisdiction",
    "alerts",
    "findings",
)
"""Columns of the label file; the first three are what ``smokewatch evaluate`` reads."""


def open_from_alert(
    store: Store,
    actor: Actor,
    alert_id: str,
    *,
    title: str | None = None,
    jurisdiction: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Open a clue from an alert: in the alert's county, about its entity, with it as evidence.

    Raises:
        NotFound: no such alert, or outside the actor's territory.
        Forbidden: the actor may not act on alerts or open cases there.
        InvalidInput: the alert has no division code and none was given.
        Conflict: an open case already holds this alert.
    """
    require_analyst(actor)
    with store.read_session() as session:
        alert = session.get(Alert, alert_id)
        if alert is None or not sees_region(actor, alert.adcode, alert.sector):
            raise NotFound(f"no alert {alert_id!r}")
        require_triage(actor)
        holder = session.scalars(
            sa.select(Case.id)
            .join(CaseLink, CaseLink.case_id == Case.id)
            .where(
                CaseLink.kind == "alert",
                CaseLink.ref_id == alert_id,
                Case.status.not_in(["closed", "dismissed", "merged"]),
            )
        ).first()
        if holder is not None:
            raise Conflict(f"alert {alert_id} is already in the open case {holder}")
        region = jurisdiction or alert.adcode
        if not region:
            raise InvalidInput(f"alert {alert_id} has no division code: give a jurisdiction")
        subject = (alert.subject_id, alert.subject_table, alert.subject_name, alert.sector)
        closed = alert.status == AlertStatus.CLOSED
    subject_id, subject_table, subject_name, sector = subject
    case = open_case(
        store,
        actor,
        title=title
        or f"{subject_name or subject_id}：{GRADE_ZH.get(alert.grade, alert.grade)}预警",
        jurisdiction=region,
        subject_id=subject_id,
        subject_table=subject_table,
        subject_name=subject_name,
        sector=sector,
        links=[("alert", alert_id), ("entity", subject_id)],
        note=note,
    )
    if not closed:
        acknowledge_alert(store, alert_id, actor=actor, note=f"case {case['id']}")
    return case


def update_case(
    store: Store,
    actor: Actor,
    case_id: str,
    *,
    title: str | None = None,
    subject_name: str | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Correct a case's title or the entity's name (the stage changes only by actions).

    Raises:
        NotFound: no such case (or not visible to the actor).
        Forbidden: the actor may not edit cases.
        Conflict: the case changed since ``expected_version``.
        InvalidInput: nothing to change, or an empty title.
    """
    if title is not None and not title.strip():
        raise InvalidInput("a case needs a title")
    changes = {k: v.strip() for k, v in {"title": title, "subject_name": subject_name}.items() if v}
    if not changes:
        raise InvalidInput("nothing to change: give a title or a subject_name")
    now = datetime.now(UTC)
    with store.unit_of_work() as session:
        case = get_visible(session, case_id, actor)
        if refusal(actor, scope_of(case), CaseAction.ASSIGN) is not None:
            raise Forbidden("your role may not edit cases")
        if expected_version is not None and case.version != expected_version:
            raise Conflict(
                f"case {case_id} changed (version {case.version}, not {expected_version})"
            )
        before = {name: getattr(case, name) for name in changes}
        for name, value in changes.items():
            setattr(case, name, value)
        case.updated_at, case.version = now, case.version + 1
        detail = {"before": before, "after": changes}
        append_event(
            session,
            case,
            action="update",
            actor=actor.user_id,
            at=now,
            from_status=case.status,
            to_status=case.status,
            data=detail,
        )
        audit.record(
            session,
            actor=actor.user_id,
            action="case.update",
            object_type="case",
            object_id=case.id,
            detail=detail,
        )
        return case_dict(case, actor)


def case_labels(
    store: Store, *, include_unknown: bool = False, actor: Actor | None = None
) -> list[dict[str, Any]]:
    """One row per finished case about an entity: its label and the evidence it held.

    ``event_date`` is the day the activity was determined (认定), else the day the case was
    closed or dismissed; ``kind`` the determination, else the resolution. Merged cases are
    left out (their target carries the label); so are resolutions that say nothing about the
    signals, unless ``include_unknown`` (their ``label`` is empty). Every case is read:
    through the API, only administrators may (``actor``).

    Raises:
        Forbidden: the actor is not an admin.
    """
    if actor is not None and not actor.is_admin:
        raise Forbidden("only administrators export labels")
    outcomes = {
        t.id: str(t.attrs.get("outcome", "none"))
        for t in get_vocabulary("case_resolution").terms.values()
    }
    finished = [CaseStatus.CLOSED.value, CaseStatus.DISMISSED.value]
    with store.read_session() as session:
        cases = session.scalars(
            sa.select(Case)
            .where(Case.status.in_(finished), Case.subject_id.is_not(None))
            .order_by(Case.subject_id, Case.status_since, Case.id)
        ).all()
        ids = [c.id for c in cases]
        determined = dict(
            session.execute(
                sa.select(CaseEvent.case_id, sa.func.max(CaseEvent.at))
                .where(CaseEvent.case_id.in_(ids), CaseEvent.action == "determine")
                .group_by(CaseEvent.case_id)
            ).all()
        )
        links: dict[tuple[str, str], list[str]] = {}
        for case_id, kind, ref_id in session.execute(
            sa.select(CaseLink.case_id, CaseLink.kind, CaseLink.ref_id)
            .where(CaseLink.case_id.in_(ids), CaseLink.kind.in_(["alert", "finding"]))
            .order_by(CaseLink.id)
        ):
            links.setdefault((case_id, kind), []).append(ref_id)
    rows = []
    for case in cases:
        outcome = outcomes.get(case.resolution or "", "none")
        if outcome not in LABELS and not include_unknown:
            continue
        day = determined.get(case.id) or case.status_since
        rows.append(
            {
                "entity_id": case.subject_id,
                "event_date": day.date().isoformat(),
                "kind": case.determination or case.resolution,
                "label": LABELS.get(outcome),
                "outcome": outcome,
                "resolution": case.resolution,
                "determination": case.determination,
                "case_id": case.id,
                "status": case.status,
                "subject_table": case.subject_table,
                "subject_name": case.subject_name,
                "jurisdiction": case.jurisdiction,
                "alerts": _joined(links.get((case.id, "alert"), [])),
                "findings": _joined(links.get((case.id, "finding"), [])),
            }
        )
    return rows


def _joined(ids: Sequence[str]) -> str:
    return " ".join(ids)


def write_labels(rows: Sequence[dict[str, Any]], path: Path) -> int:
    """Write label rows as UTF-8 CSV with a header (JSON lines for a ``.jsonl`` path), atomically.

    The CSV's first columns are ``entity_id,event_date,kind``: with ``--positive-only`` the
    file is an outcome file ``smokewatch evaluate`` reads.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as fh:
        if path.suffix.lower() == ".jsonl":
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(fh, fieldnames=list(LABEL_COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
    partial.replace(path)
    return len(rows)


__all__ = [
    "GRADE_ZH",
    "LABELS",
    "LABEL_COLUMNS",
    "case_labels",
    "open_from_alert",
    "update_case",
    "write_labels",
]
