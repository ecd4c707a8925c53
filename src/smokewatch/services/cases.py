"""Cases as a service: open, act, attach evidence, read — always as an :class:`Actor`.

Every function checks the actor's right first (:mod:`smokewatch.cases.access`: a refusal is
:class:`~smokewatch.errors.Forbidden`; a case the actor cannot see is
:class:`~smokewatch.errors.NotFound`, so its existence is not revealed), then the workflow
(:mod:`smokewatch.cases.workflow`), then facts only the store knows (the assignee is an active
user who can see the case, a referral goes to a police agency, a merge target exists). The
change, its case event and its audit entry are written in one transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.cases.access import Actor, CaseScope, Role, can_view, refusal, within
from smokewatch.cases.workflow import (
    DEFAULT_DEADLINES,
    CaseAction,
    CaseState,
    CaseStatus,
    allowed_actions,
    apply,
    deadline,
    jurisdiction_prefix,
)
from smokewatch.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
    SmokewatchError,
)
from smokewatch.model.divisions import load_divisions
from smokewatch.services import audit
from smokewatch.services.users import actor_of
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, Finding, Score
from smokewatch.store.orm_cases import Agency, Case, CaseEvent, CaseLink, EvidenceFile, User

LINK_KINDS: Final = ("alert", "finding", "score", "entity", "file", "tip", "report", "case")
"""What a case can hold as evidence."""
OPENERS: Final = frozenset({Role.ADMIN, Role.LEAD, Role.OFFICER, Role.REPORTER})


def _now() -> datetime:
    return datetime.now(UTC)


def scope_of(case: Case) -> CaseScope:
    """What decides who sees a case."""
    return CaseScope(
        case.jurisdiction, case.lead_adcode, case.sector, case.referred_to, case.reported_by
    )


def _state(case: Case) -> CaseState:
    return CaseState(
        status=CaseStatus(case.status),
        jurisdiction=case.jurisdiction,
        status_since=case.status_since,
        assignee=case.assignee,
        lead_adcode=case.lead_adcode,
        escalated=case.escalated,
        referred_to=case.referred_to,
        referral_acknowledged=case.referral_acknowledged_at is not None,
        determination=case.determination,
        measures=tuple(case.measures),
        resolution=case.resolution,
        merged_into=case.merged_into,
    )


def case_dict(case: Case, actor: Actor | None = None, today: date | None = None) -> dict[str, Any]:
    """A case as plain data; with an actor, what that actor may do next."""
    state = _state(case)
    due = case.due_on
    data: dict[str, Any] = {
        "id": case.id,
        "title": case.title,
        "subject_id": case.subject_id,
        "subject_table": case.subject_table,
        "subject_name": case.subject_name,
        "status": case.status,
        "jurisdiction": case.jurisdiction,
        "opened_in": case.opened_in,
        "lead_adcode": case.lead_adcode,
        "escalated": case.escalated,
        "sector": case.sector,
        "assignee": case.assignee,
        "referred_to": case.referred_to,
        "referral_receipt": case.referral_receipt,
        "referral_acknowledged_at": case.referral_acknowledged_at,
        "determination": case.determination,
        "measures": list(case.measures),
        "resolution": case.resolution,
        "merged_into": case.merged_into,
        "reported_by": case.reported_by,
        "opened_by": case.opened_by,
        "opened_at": case.opened_at,
        "status_since": case.status_since,
        "due_on": due,
        "overdue": due is not None and (today or _now().date()) > due,
        "version": case.version,
    }
    if actor is not None:
        data["actions"] = [
            a.value for a in allowed_actions(state) if refusal(actor, scope_of(case), a) is None
        ]
    return data


def get_visible(session: Session, case_id: str, actor: Actor) -> Case:
    """The case, if the actor can see it.

    Raises:
        NotFound: no such case, or not visible to the actor (its existence is not revealed).
    """
    case = session.get(Case, case_id)
    if case is None or not can_view(actor, scope_of(case)):
        raise NotFound(f"no case {case_id!r}")
    return case


def _county(adcode: str) -> str:
    """A township code belongs to its county; any other code is kept."""
    return adcode[:6] if len(adcode) > 6 else adcode


def _next_id(session: Session, jurisdiction: str, when: datetime) -> str:
    prefix = f"C-{jurisdiction}-{when.year}-"
    count = session.execute(
        sa.select(sa.func.count()).select_from(Case).where(Case.id.startswith(prefix))
    ).scalar_one()
    return f"{prefix}{int(count) + 1:04d}"


def append_event(session: Session, case: Case, **values: Any) -> None:
    """Append one step to a case's history (numbered per case)."""
    seq = session.execute(
        sa.select(sa.func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id)
    ).scalar_one()
    session.add(CaseEvent(case_id=case.id, seq=int(seq) + 1, **values))


def open_case(
    store: Store,
    actor: Actor,
    *,
    title: str,
    jurisdiction: str,
    subject_id: str | None = None,
    subject_table: str | None = None,
    subject_name: str | None = None,
    sector: str | None = None,
    links: Sequence[tuple[str, str]] = (),
    note: str | None = None,
    deadlines: Mapping[CaseStatus, int] = DEFAULT_DEADLINES,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Open a clue (线索) in a jurisdiction, with its first evidence.

    ``now`` dates the opening (default: the clock) — for entering cases kept elsewhere with
    their real dates, and for the demo; the audit entry keeps the time it was written.

    Raises:
        InvalidInput: no title, an unknown division, an unknown evidence kind.
        Forbidden: the actor may not open cases there.
    """
    if not title.strip():
        raise InvalidInput("a case needs a title")
    jurisdiction = _county(jurisdiction)
    if jurisdiction not in load_divisions():
        raise InvalidInput(f"unknown division code {jurisdiction!r}")
    if not actor.roles & OPENERS:
        raise Forbidden("your role may not open cases")
    reported_by = actor.agency_id if Role.REPORTER in actor.roles and not actor.is_admin else None
    # Banks report too within their own division: a county branch reports clues of its county.
    if not actor.is_admin and not within(jurisdiction, actor.adcode):
        raise Forbidden(f"{jurisdiction} is outside your jurisdiction")
    now = now or _now()
    with store.unit_of_work() as session:
        case = Case(
            id=_next_id(session, jurisdiction, now),
            title=title.strip(),
            subject_id=subject_id,
            subject_table=subject_table,
            subject_name=subject_name,
            status=CaseStatus.CLUE.value,
            jurisdiction=jurisdiction,
            opened_in=jurisdiction,
            lead_adcode=None,
            escalated=False,
            sector=sector,
            assignee=None,
            referred_to=None,
            referral_receipt=None,
            referral_acknowledged_at=None,
            determination=None,
            measures=[],
            resolution=None,
            merged_into=None,
            reported_by=reported_by,
            opened_by=actor.user_id,
            opened_at=now,
            status_since=now,
            due_on=deadline(CaseState(CaseStatus.CLUE, jurisdiction, now), deadlines),
            updated_at=now,
            version=1,
        )
        session.add(case)
        session.flush()
        append_event(
            session,
            case,
            action="open",
            actor=actor.user_id,
            at=now,
            from_status=None,
            to_status=CaseStatus.CLUE.value,
            data={"note": note, "links": [list(link) for link in links]},
        )
        for kind, ref_id in links:
            link_evidence(session, case, actor, kind, ref_id, note=None, at=now)
        audit.record(
            session,
            actor=actor.user_id,
            action="case.open",
            object_type="case",
            object_id=case.id,
            detail={"jurisdiction": jurisdiction, "subject_id": subject_id, "links": len(links)},
        )
        return case_dict(case, actor)


def _check_facts(session: Session, case: Case, action: CaseAction, data: Mapping[str, Any]) -> None:
    """What only the store can tell: users, agencies and cases named in the action."""
    if action in (CaseAction.VERIFY, CaseAction.ASSIGN):
        user = session.get(User, str(data["assignee"]))
        if user is None or not user.active:
            raise InvalidInput(f"no active user {data['assignee']!r}")
        agency = session.get(Agency, user.agency_id) if user.agency_id else None
        if not can_view(actor_of(user, agency), scope_of(case)):
            raise InvalidInput(f"{user.id} cannot see this case (outside their jurisdiction)")
    elif action == CaseAction.REFER:
        agency = session.get(Agency, str(data["to_agency"]))
        if agency is None or agency.kind != "police":
            raise InvalidInput(f"{data['to_agency']!r} is not a police agency")
    elif action == CaseAction.DESIGNATE_LEAD:
        if str(data["lead_adcode"]) not in load_divisions():
            raise InvalidInput(f"unknown division code {data['lead_adcode']!r}")
    elif action == CaseAction.MERGE:
        target = session.get(Case, str(data["into"]))
        if target is None or target.id == case.id:
            raise InvalidInput(f"no other case {data['into']!r} to merge into")
        if CaseStatus(target.status) in (
            CaseStatus.MERGED,
            CaseStatus.CLOSED,
            CaseStatus.DISMISSED,
        ):
            raise InvalidInput(f"case {target.id} is {target.status}; merge into an open case")


def act(
    store: Store,
    actor: Actor,
    case_id: str,
    action: CaseAction | str,
    data: Mapping[str, Any] | None = None,
    *,
    expected_version: int | None = None,
    deadlines: Mapping[CaseStatus, int] = DEFAULT_DEADLINES,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Take a workflow action on a case (``now`` dates it, as for :func:`open_case`).

    Raises:
        NotFound: no such case (or not visible to the actor).
        Forbidden: the actor's role or level may not take this action.
        Conflict: the case changed since ``expected_version``.
        InvalidTransition: not allowed in this stage, or a guard refused.
        InvalidInput: a missing or wrong field.
    """
    fields = dict(data or {})
    try:
        chosen = CaseAction(action)
    except ValueError as exc:
        raise InvalidInput(f"unknown case action {action!r}") from exc
    try:
        return _act(
            store,
            actor,
            case_id,
            chosen,
            fields,
            expected_version=expected_version,
            deadlines=deadlines,
            now=now or _now(),
        )
    except (InvalidTransition, Forbidden) as exc:
        _record_refusal(store, actor, case_id, chosen, exc)
        raise


def _record_refusal(
    store: Store, actor: Actor, case_id: str, action: CaseAction, error: SmokewatchError
) -> None:
    """A refused action leaves one trace: the refusal, in the audit log (the case is as it was)."""
    with store.unit_of_work() as session:
        audit.record(
            session,
            actor=actor.user_id,
            action="case.refused",
            object_type="case",
            object_id=case_id,
            detail={"action": action.value, "kind": type(error).__name__, "reason": str(error)},
        )


def _act(
    store: Store,
    actor: Actor,
    case_id: str,
    chosen: CaseAction,
    fields: dict[str, Any],
    *,
    expected_version: int | None,
    deadlines: Mapping[CaseStatus, int],
    now: datetime,
) -> dict[str, Any]:
    with store.unit_of_work() as session:
        case = get_visible(session, case_id, actor)
        if expected_version is not None and case.version != expected_version:
            raise Conflict(
                f"case {case_id} changed (version {case.version}, not {expected_version})"
            )
        why = refusal(actor, scope_of(case), chosen)
        if why is not None:
            raise Forbidden(why)
        state, event = apply(_state(case), chosen, fields, actor=actor.user_id, now=now)
        _check_facts(session, case, chosen, fields)
        _store_state(case, state, chosen, fields, now=now, deadlines=deadlines)
        append_event(
            session,
            case,
            action=chosen.value,
            actor=actor.user_id,
            at=now,
            from_status=event.from_status.value,
            to_status=event.to_status.value,
            data=fields,
        )
        audit.record(
            session,
            actor=actor.user_id,
            action=f"case.{chosen.value}",
            object_type="case",
            object_id=case.id,
            detail={"from": event.from_status.value, "to": event.to_status.value, **fields},
        )
        return case_dict(case, actor)


def _store_state(
    case: Case,
    state: CaseState,
    action: CaseAction,
    data: Mapping[str, Any],
    *,
    now: datetime,
    deadlines: Mapping[CaseStatus, int],
) -> None:
    changed = CaseStatus(case.status) != state.status
    for name in ("jurisdiction", "lead_adcode", "escalated", "assignee", "referred_to"):
        setattr(case, name, getattr(state, name))
    case.status = state.status.value
    case.determination, case.resolution = state.determination, state.resolution
    case.measures, case.merged_into = list(state.measures), state.merged_into
    if action == CaseAction.REFER:
        case.referral_receipt, case.referral_acknowledged_at = str(data["receipt"]), None
    if action == CaseAction.ACKNOWLEDGE:
        case.referral_acknowledged_at = now
    if changed:
        case.status_since = state.status_since
    case.due_on = deadline(dataclasses.replace(state, status_since=case.status_since), deadlines)
    case.updated_at, case.version = now, case.version + 1


def link_evidence(
    session: Session,
    case: Case,
    actor: Actor,
    kind: str,
    ref_id: str,
    *,
    note: str | None,
    at: datetime,
) -> CaseLink:
    """Link evidence to a case in the caller's transaction (a repeated link is kept once)."""
    if kind not in LINK_KINDS:
        raise InvalidInput(f"unknown evidence kind {kind!r} (one of: {', '.join(LINK_KINDS)})")
    known = {"alert": Alert, "finding": Finding, "score": Score, "file": EvidenceFile, "case": Case}
    model = known.get(kind)
    if model is not None and session.get(model, ref_id) is None:
        raise InvalidInput(f"no {kind} {ref_id!r}")
    exists = session.scalars(
        sa.select(CaseLink).where(
            CaseLink.case_id == case.id, CaseLink.kind == kind, CaseLink.ref_id == ref_id
        )
    ).first()
    if exists is not None:
        return exists
    link = CaseLink(
        case_id=case.id, kind=kind, ref_id=ref_id, note=note, added_by=actor.user_id, added_at=at
    )
    session.add(link)
    session.flush()
    return link


def add_evidence(
    store: Store, actor: Actor, case_id: str, kind: str, ref_id: str, *, note: str | None = None
) -> dict[str, Any]:
    """Attach an alert, finding, score, entity, file, tip, report or case as evidence."""
    now = _now()
    with store.unit_of_work() as session:
        case = get_visible(session, case_id, actor)
        if refusal(actor, scope_of(case), CaseAction.ASSIGN) is not None:
            raise Forbidden("your role may not add evidence to cases")
        link = link_evidence(session, case, actor, kind, ref_id, note=note, at=now)
        audit.record(
            session,
            actor=actor.user_id,
            action="case.evidence",
            object_type="case",
            object_id=case.id,
            detail={"kind": kind, "ref_id": ref_id, "note": note},
        )
        return link_dict(link)


def link_dict(link: CaseLink) -> dict[str, Any]:
    """A piece of evidence as plain data."""
    return {
        "kind": link.kind,
        "ref_id": link.ref_id,
        "note": link.note,
        "added_by": link.added_by,
        "added_at": link.added_at,
    }


def get_case(store: Store, actor: Actor, case_id: str) -> dict[str, Any]:
    """A case with its history and evidence, and what the actor may do next."""
    with store.read_session() as session:
        case = get_visible(session, case_id, actor)
        events = session.scalars(
            sa.select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)
        )
        links = session.scalars(
            sa.select(CaseLink).where(CaseLink.case_id == case_id).order_by(CaseLink.id)
        )
        return {
            **case_dict(case, actor),
            "history": [
                {
                    "seq": e.seq,
                    "action": e.action,
                    "actor": e.actor,
                    "at": e.at,
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "data": e.data,
                }
                for e in events
            ],
            "evidence": [link_dict(link) for link in links],
        }


def visible(actor: Actor) -> sa.ColumnElement[bool]:
    """The SQL condition selecting the cases an actor can see (the same rule as can_view)."""
    if actor.is_admin:
        return sa.true()
    prefix = jurisdiction_prefix(actor.adcode) if actor.adcode else None
    options: list[sa.ColumnElement[bool]] = []
    territory = (
        sa.or_(Case.jurisdiction.startswith(prefix), Case.lead_adcode.startswith(prefix))
        if prefix
        else sa.false()
    )
    if Role.LEAD in actor.roles:
        options.append(territory)
    if actor.roles & {Role.OFFICER, Role.VIEWER}:
        sector = (
            sa.or_(
                Case.sector.is_(None),
                *[Case.sector.startswith(s, autoescape=True) for s in sorted(actor.sectors)],
            )
            if actor.sectors
            else sa.true()
        )
        options.append(sa.and_(territory, sector))
    if Role.POLICE in actor.roles and actor.agency_id:
        options.append(Case.referred_to == actor.agency_id)
    if Role.REPORTER in actor.roles and actor.agency_id:
        options.append(Case.reported_by == actor.agency_id)
    return sa.or_(*options) if options else sa.false()


def list_cases(
    store: Store,
    actor: Actor,
    *,
    statuses: Sequence[str] | None = None,
    overdue: bool = False,
    assignee: str | None = None,
    subject_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
    today: date | None = None,
    jurisdiction: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The cases the actor can see, most recently updated first.

    ``jurisdiction`` keeps the cases inside that division (its jurisdiction or lead region):
    ``340200`` or ``3402``, every case of 芜湖市.
    """
    if not 0 < limit <= 1000 or offset < 0:
        raise InvalidInput("limit must be 1..1000 and offset not negative")
    conditions = [visible(actor)]
    if statuses:
        conditions.append(Case.status.in_(list(statuses)))
    if overdue:
        conditions.append(Case.due_on < (today or _now().date()))
    if assignee:
        conditions.append(Case.assignee == assignee)
    if subject_id:
        conditions.append(Case.subject_id == subject_id)
    if jurisdiction:
        inside = jurisdiction_prefix(jurisdiction)
        conditions.append(
            sa.or_(
                Case.jurisdiction.startswith(inside, autoescape=True),
                Case.lead_adcode.startswith(inside, autoescape=True),
            )
        )
    with store.read_session() as session:
        total = session.execute(
            sa.select(sa.func.count()).select_from(Case).where(*conditions)
        ).scalar_one()
        rows = session.scalars(
            sa.select(Case)
            .where(*conditions)
            .order_by(Case.updated_at.desc(), Case.id)
            .limit(limit)
            .offset(offset)
        )
        return [case_dict(c, actor, today) for c in rows], int(total)


__all__ = [
    "LINK_KINDS",
    "act",
    "add_evidence",
    "append_event",
    "case_dict",
    "get_case",
    "get_visible",
    "link_dict",
    "link_evidence",
    "list_cases",
    "open_case",
    "scope_of",
    "visible",
]
