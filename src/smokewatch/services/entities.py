"""An entity as a user sees it: profile, smoke-index history, contributions, company graph.

What the store knows of an entity comes from the pipeline's output: its scores (with routing:
division code and sector), its alert, the findings on it, the watch lists and cases naming
it; an enterprise never scored is known by the company graph's read model (its name, division
and sector as registered), so every company of a family can be opened. Whom it is shown to
follows :func:`smokewatch.cases.access.sees_region` (analysts of its
territory) or a case the user can see (police and reporters reach an entity only that way).
An entity the user may not see is reported as not found.

PII in the answer (ID numbers, phones, accounts in evidence and reasons) is masked for roles
without the right to see it; a role with the right that is shown some gets an audit entry
``entity.view_pii``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.cases.access import ANALYST_ROLES, Actor, sees_region
from smokewatch.errors import NotFound
from smokewatch.graph.ownership import THRESHOLD
from smokewatch.services import graph_read
from smokewatch.services.alerts import (
    DEFAULT_SCORECARD,
    alert_dict,
    score_dict,
    subject_region,
    watch_dict,
)
from smokewatch.services.cases import visible
from smokewatch.services.patrol_events import entity_events
from smokewatch.services.queries import finding_dict
from smokewatch.services.visibility import audited_view
from smokewatch.store import scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, Finding, Run, RunKind, RunStatus, Score
from smokewatch.store.orm_cases import Case

PROFILE_FINDINGS: Final = 50
"""At most this many findings of the latest detect run are listed in a profile."""


def _known(session: Session, subject_id: str) -> bool:
    for column in (Score.subject_id, Alert.subject_id, Finding.subject_id, Case.subject_id):
        query = sa.select(sa.literal(1)).where(column == subject_id).limit(1)
        if session.execute(query).first() is not None:
            return True
    return False


def _entity(session: Session, actor: Actor, subject_id: str) -> dict[str, Any]:
    """Who the entity is and where it is routed, if the actor may see it.

    Raises:
        NotFound: unknown, or not visible to the actor.
    """
    table, name, adcode, sector = subject_region(session, subject_id)
    if (name, adcode, sector) == (None, None, None):  # never scored: the company graph may place it
        name, adcode, sector = graph_read.placement(session, subject_id) or (None, None, None)
    allowed = bool(actor.roles & ANALYST_ROLES) and sees_region(actor, adcode, sector)
    if not allowed:
        through_case = session.execute(
            sa.select(Case.id).where(Case.subject_id == subject_id, visible(actor)).limit(1)
        ).first()
        allowed = through_case is not None
    routed = (name, adcode, sector) != (None, None, None)  # a score or alert names it
    if not allowed or not (routed or _known(session, subject_id)):
        raise NotFound(f"no entity {subject_id!r}")
    return {
        "id": subject_id,
        "table": table,
        "name": name,
        "adcode": adcode,
        "sector": sector,
    }


_LATEST_DETECT: Final = (
    sa.select(Run.id)
    .where(Run.kind == RunKind.DETECT, Run.status == RunStatus.SUCCEEDED)
    .order_by(Run.started_at.desc(), Run.id.desc())
    .limit(1)
    .scalar_subquery()
)
_LATEST_FINDINGS: Final = (
    sa.select(Finding, sa.func.count().over().label("total"))
    .where(
        Finding.subject_id == sa.bindparam("subject_id"),
        Finding.run_id == _LATEST_DETECT,
        Finding.shadow.is_(False),
    )
    .order_by(Finding.as_of.desc(), Finding.rule_id, Finding.rule_version, Finding.id)
    .limit(PROFILE_FINDINGS)
)
_ALERT_OF: Final = sa.select(Alert).where(
    Alert.subject_id == sa.bindparam("subject_id"),
    Alert.scorecard_id == sa.bindparam("scorecard_id"),
)
"""The profile's statements, built once (building costs more than running them)."""


def _latest_findings(session: Session, subject_id: str) -> tuple[list[Finding], int]:
    """The first findings of the latest detect run on a subject, and how many: one query.

    (The run, the page and the count in one statement: a profile is a hot read.)
    """
    rows = session.execute(_LATEST_FINDINGS, {"subject_id": subject_id}).all()
    return [row[0] for row in rows], (int(rows[0][1]) if rows else 0)


def profile(
    store: Store, actor: Actor, subject_id: str, *, scorecard_id: str = DEFAULT_SCORECARD
) -> dict[str, Any]:
    """Everything the store knows of an entity, with its latest smoke index explained.

    Raises:
        NotFound: unknown, or not visible to the actor.
    """
    with store.read_session() as session:
        entity = _entity(session, actor, subject_id)
        history = scoring.score_history(session, subject_id, scorecard_id=scorecard_id)
        alert = session.scalars(
            _ALERT_OF, {"subject_id": subject_id, "scorecard_id": scorecard_id}
        ).first()
        findings, total = _latest_findings(session, subject_id)
        cases = session.scalars(
            sa.select(Case)
            .where(Case.subject_id == subject_id, visible(actor))
            .order_by(Case.updated_at.desc(), Case.id)
        ).all()
        data = {
            **entity,
            "smoke_index": score_dict(history[-1], contributions=True) if history else None,
            "history": [
                {"as_of": s.as_of, "smoke_index": s.score, "grade": s.grade} for s in history
            ],
            "alert": alert_dict(alert) if alert is not None else None,
            "watchlists": [watch_dict(w) for w in scoring.watch_entries_for(session, subject_id)],
            "findings_total": total,
            "findings": [finding_dict(f) for f in findings],
            "cases": [
                {
                    "id": c.id,
                    "title": c.title,
                    "status": c.status,
                    "jurisdiction": c.jurisdiction,
                    "due_on": c.due_on,
                }
                for c in cases
            ],
        }
    return dict(
        audited_view(store, actor, data, object_type="entity", object_id=subject_id, view="profile")
    )


def smoke_index_history(
    store: Store, actor: Actor, subject_id: str, *, scorecard_id: str = DEFAULT_SCORECARD
) -> dict[str, Any]:
    """The entity's smoke index on every evaluation date, oldest first.

    Raises:
        NotFound: unknown, or not visible to the actor.
    """
    with store.read_session() as session:
        entity = _entity(session, actor, subject_id)
        history = scoring.score_history(session, subject_id, scorecard_id=scorecard_id)
        return {
            "id": entity["id"],
            "name": entity["name"],
            "scorecard": scorecard_id,
            "history": [
                {
                    "as_of": s.as_of,
                    "smoke_index": s.score,
                    "grade": s.grade,
                    "dimensions": s.dimensions,
                    "scorecard": f"{s.scorecard_id}@{s.scorecard_version}",
                }
                for s in history
            ],
        }


def contributions(
    store: Store,
    actor: Actor,
    subject_id: str,
    *,
    scorecard_id: str = DEFAULT_SCORECARD,
    as_of: date | None = None,
) -> dict[str, Any]:
    """The score of one evaluation date (default: the latest) with every contribution line.

    The lines add up to the index; each carries its reasons (zh/en) and evidence.

    Raises:
        NotFound: unknown entity, not visible to the actor, or not scored on that date.
    """
    with store.read_session() as session:
        _entity(session, actor, subject_id)
        history = scoring.score_history(session, subject_id, scorecard_id=scorecard_id)
        chosen = [s for s in history if as_of is None or s.as_of == as_of]
        if not chosen:
            when = f" on {as_of}" if as_of else ""
            raise NotFound(f"{subject_id} has no score from {scorecard_id}{when}")
        data = score_dict(chosen[-1], contributions=True)
    return dict(
        audited_view(
            store, actor, data, object_type="entity", object_id=subject_id, view="contributions"
        )
    )


def patrol_events(store: Store, actor: Actor, subject_id: str) -> dict[str, Any]:
    """What the online patrol saw on the entity's sites, oldest first (see ``patrol_events``).

    Raises:
        NotFound: unknown, or not visible to the actor.
    """
    with store.read_session() as session:
        _entity(session, actor, subject_id)
        events = entity_events(session, subject_id)
    return {"id": subject_id, "events": events}


def neighbourhood(
    store: Store,
    actor: Actor,
    subject_id: str,
    *,
    depth: int = 2,
    around: int | None = None,
    max_nodes: int = graph_read.MAX_NODES,
) -> dict[str, Any]:
    """The entity's company family around it (or the neighbours of one node of it).

    Read from the graph's read model in the store (published by ``graph build``); enterprises
    outside the actor's territory are hidden, PII masked for roles without the right (a view
    of unmasked PII is audited as ``entity.view_pii``, view ``graph``). See
    :func:`smokewatch.services.graph_read.family_graph`.

    Raises:
        NotFound: unknown, or not visible to the actor; ``around`` not in its family.
    """
    with store.read_session() as session:
        _entity(session, actor, subject_id)
        data = graph_read.family_graph(
            session, actor, subject_id, depth=depth, around=around, max_nodes=max_nodes
        )
    return dict(
        audited_view(store, actor, data, object_type="entity", object_id=subject_id, view="graph")
    )


def ownership(
    store: Store, actor: Actor, subject_id: str, *, threshold: float = THRESHOLD
) -> dict[str, Any]:
    """Ownership penetration (股权穿透) of the entity: owners, cumulative shares, paths, cycles.

    Raises:
        NotFound: unknown, or not visible to the actor.
    """
    with store.read_session() as session:
        _entity(session, actor, subject_id)
        data = graph_read.ownership(session, actor, subject_id, threshold=threshold)
    return dict(
        audited_view(
            store, actor, data, object_type="entity", object_id=subject_id, view="ownership"
        )
    )


__all__ = [
    "PROFILE_FINDINGS",
    "contributions",
    "neighbourhood",
    "ownership",
    "patrol_events",
    "profile",
    "smoke_index_history",
]
