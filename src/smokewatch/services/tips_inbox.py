"""The officers' side of tips: the inbox of a territory, reading a tip, acting on it.

Who sees a tip follows territory like cases (:mod:`smokewatch.cases.access`): admins every
tip; leads, officers and viewers the tips routed inside their division; police and reporting
institutions none. The reporter's contact is PII: shown to PII roles (and the view audited),
masked for others. Acting (triage, reply, reroute, dismiss, mark spam or not, convert) needs a
role that may act on cases (lead, officer, admin); every action is a tip event and an audit
entry, in one transaction with the change.

**Conversion** opens a case clue (线索) through :func:`smokewatch.services.cases.open_case` in
the tip's county, with the tip and its files linked as evidence; the tip becomes
``converted`` and its reporter sees "case opened".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.cases.access import TRIAGE_ROLES, Actor, Role, mask, mask_text, within
from smokewatch.cases.workflow import jurisdiction_prefix
from smokewatch.errors import Conflict, Forbidden, InvalidInput, NotFound
from smokewatch.model.divisions import load_divisions
from smokewatch.services import audit, cases
from smokewatch.services import tips_processing as processing
from smokewatch.services.tips import add_event
from smokewatch.store.db import Store
from smokewatch.store.orm_tips import Tip, TipAttachment, TipEvent

READERS: Final = TRIAGE_ROLES | {Role.VIEWER}
ACTIONS: Final = ("triage", "reply", "reroute", "dismiss", "spam", "not_spam")
"""Actions of :func:`act` (conversion is :func:`convert`)."""
CATEGORIES: Final = (
    "fundraising",
    "lending",
    "pyramid",
    "speculation",
    "impersonation",
    "fraud",
)
"""Families of the text module's signal kinds (``fundraising.guarantee`` …): a tip's categories."""
OPEN: Final = frozenset({"received", "triaged", "duplicate"})
"""Statuses with work to do (what the inbox shows by default)."""


def _now() -> datetime:
    return datetime.now(UTC)


def can_read(actor: Actor, tip: Tip) -> bool:
    """Whether the actor may see the tip (territory; admins everything)."""
    if actor.is_admin:
        return True
    if not actor.roles & READERS:
        return False
    return bool(tip.adcode) and within(tip.adcode, actor.adcode)


def _visible(actor: Actor) -> sa.ColumnElement[bool]:
    if actor.is_admin:
        return sa.true()
    if not actor.roles & READERS or not actor.adcode:
        return sa.false()
    return Tip.adcode.startswith(jurisdiction_prefix(actor.adcode))


def _reader(actor: Actor) -> None:
    if not actor.is_admin and not actor.roles & READERS:
        raise Forbidden("your role does not read tips")


def visible_tip(session: Session, actor: Actor, tip_id: str) -> Tip:
    """The tip, if the actor may see it.

    Raises:
        Forbidden: the role reads no tips; NotFound: no such tip in the actor's territory.
    """
    _reader(actor)
    tip = session.get(Tip, tip_id)
    if tip is None or not can_read(actor, tip):
        raise NotFound(f"no tip {tip_id!r}")
    return tip


def _may_act(actor: Actor) -> None:
    if not actor.is_admin and not actor.roles & TRIAGE_ROLES:
        raise Forbidden("your role may not act on tips")


def categories_of(analysis: dict[str, Any]) -> list[str]:
    """The :data:`CATEGORIES` the tip's signals belong to, strongest first."""
    found: list[str] = []
    signals = sorted(analysis.get("signals", []), key=lambda s: -float(s.get("weight", 0)))
    for signal in signals:
        family = str(signal.get("kind", "")).split(".", 1)[0]
        if family in CATEGORIES and family not in found:
            found.append(family)
    return found


def summary(tip: Tip) -> dict[str, Any]:
    """A tip as the inbox lists it."""
    return {
        "id": tip.id,
        "status": tip.status,
        "submitted_at": tip.submitted_at.isoformat(),
        "target_name": tip.target_name,
        "adcode": tip.adcode,
        "agency_id": tip.agency_id,
        "routed_by": tip.routed_by,
        "entity_id": tip.entity_id,
        "risk_score": tip.risk_score,
        "signals": list(processing.strongest_signals(tip.analysis)),
        "categories": categories_of(tip.analysis),
        "duplicate_of": tip.duplicate_of,
        "spam_reasons": list(tip.spam_reasons),
        "case_id": tip.case_id,
    }


def inbox(
    store: Store,
    actor: Actor,
    *,
    statuses: Sequence[str] | None = None,
    agency_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
    adcode_prefix: str | None = None,
    category: str | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The tips the actor may see, riskiest and newest first (open tips unless told).

    Filters (combined, inside the actor's territory): the division the tip is routed to
    (``adcode_prefix``: a division code, everything inside it), the ``category`` (a family of
    :data:`CATEGORIES` that one of the text module's signals belongs to), and the day of
    submission (``submitted_from`` … ``submitted_to``, both included, UTC).

    Raises:
        InvalidInput: an unknown category or a division code that is not digits.
    """
    _reader(actor)
    wanted = list(statuses) if statuses else sorted(OPEN)
    where = [_visible(actor), Tip.status.in_(wanted)]
    if agency_id:
        where.append(Tip.agency_id == agency_id)
    if adcode_prefix:
        if not adcode_prefix.isdigit() or len(adcode_prefix) > 12:
            raise InvalidInput(f"not a division code: {adcode_prefix!r}")
        where.append(Tip.adcode.startswith(jurisdiction_prefix(adcode_prefix.ljust(6, "0"))))
    if category:
        if category not in CATEGORIES:
            raise InvalidInput(f"unknown category {category!r} (one of: {', '.join(CATEGORIES)})")
        # The analysis is stored as the same compact JSON text on SQLite and PostgreSQL (the
        # store's serializer, a ``json`` column): a signal of the family reads
        # ``"kind":"<family>.`` (a signal the text module discounted counts too).
        where.append(sa.cast(Tip.analysis, sa.Text).contains(f'"kind":"{category}.'))
    if submitted_from:
        start = datetime.combine(submitted_from, datetime.min.time(), tzinfo=UTC)
        where.append(Tip.submitted_at >= start)
    if submitted_to:
        end = datetime.combine(submitted_to + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        where.append(Tip.submitted_at < end)
    with store.unit_of_work() as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(Tip).where(*where))
        rows = session.scalars(
            sa.select(Tip)
            .where(*where)
            .order_by(Tip.risk_score.desc(), Tip.submitted_at.desc(), Tip.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return [summary(tip) for tip in rows], int(total or 0)


def get_tip(store: Store, actor: Actor, tip_id: str) -> dict[str, Any]:
    """A tip in full for an officer: fields, analysis, files, history (contact by role)."""
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        contact = tip.contact
        if contact and actor.sees_pii:
            audit.record(
                session,
                actor=actor.user_id,
                action="tip.view_contact",
                object_type="tip",
                object_id=tip.id,
            )
        elif contact:
            contact = mask(contact, "phone") if contact.isdigit() else mask_text(contact)[0]
        files = session.scalars(
            sa.select(TipAttachment)
            .where(TipAttachment.tip_id == tip.id)
            .order_by(TipAttachment.id)
        ).all()
        events = session.scalars(
            sa.select(TipEvent).where(TipEvent.tip_id == tip.id).order_by(TipEvent.seq)
        ).all()
        return {
            **summary(tip),
            "target_url": tip.target_url,
            "target_wechat": tip.target_wechat,
            "target_phone": tip.target_phone,
            "target_address": tip.target_address,
            "description": tip.description,
            "amount": None if tip.amount is None else str(tip.amount),
            "happened_on": None if tip.happened_on is None else tip.happened_on.isoformat(),
            "learnt_via": tip.learnt_via,
            "contact": contact,
            "anonymous": tip.contact is None,
            "entity_name": tip.entity_name,
            "analysis": tip.analysis,
            "files": [
                {
                    "sha256": f.sha256,
                    "size": f.size,
                    "media_type": f.media_type,
                    "name": f.original_name,
                }
                for f in files
            ],
            "history": [
                {
                    "seq": e.seq,
                    "action": e.action,
                    "actor": e.actor,
                    "at": e.at.isoformat(),
                    "public": e.public,
                    "data": e.data,
                }
                for e in events
            ],
        }


def _apply(
    session: Session, tip: Tip, action: str, note: str | None, adcode: str | None
) -> str | None:
    """Change the tip for ``action``; returns the public message, if any."""
    if action == "triage":
        if tip.status not in ("received", "duplicate", "spam"):
            raise Conflict(f"tip {tip.id} is {tip.status}: only new tips are triaged")
        tip.status = "triaged"
        return None
    if action == "reply":
        if not note:
            raise InvalidInput("a reply needs a message")
        return note
    if action == "reroute":
        if not adcode or adcode not in load_divisions():
            raise InvalidInput(f"unknown division code {adcode!r}")
        tip.adcode = processing.county_of(adcode)
        tip.agency_id = processing.agency_for(session, tip.adcode)
        tip.routed_by = "officer"
        return None
    if tip.status in ("converted", "closed"):
        raise Conflict(f"tip {tip.id} is {tip.status}")
    if action == "dismiss":
        if not note:
            raise InvalidInput("dismissing a tip needs a reason")
        tip.status = "dismissed"
        return None
    if action == "spam":
        tip.status = "spam"
        return None
    if action == "not_spam":
        tip.status = "triaged"
        return None
    raise InvalidInput(f"unknown tip action {action!r} (one of: {', '.join(ACTIONS)})")


def act(
    store: Store,
    actor: Actor,
    tip_id: str,
    action: str,
    *,
    note: str | None = None,
    adcode: str | None = None,
) -> dict[str, Any]:
    """Triage, reply to the reporter, reroute, dismiss, or mark spam / not spam.

    Raises:
        NotFound: no such tip for the actor; Forbidden: the role may not act;
        InvalidInput: unknown action or missing note/division; Conflict: not possible now.
    """
    now = _now()
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        _may_act(actor)
        before = tip.status
        message = _apply(session, tip, action, note, adcode)
        tip.updated_at = now
        public = action in ("reply", "dismiss", "triage")
        data: dict[str, Any] = {"from": before, "to": tip.status, "note": note}
        if message is not None:
            data["message"] = message
        if action == "reroute":
            data["adcode"] = tip.adcode
        add_event(session, tip, action, actor.user_id, now, public=public, **data)
        audit.record(
            session,
            actor=actor.user_id,
            action=f"tip.{action}",
            object_type="tip",
            object_id=tip.id,
            detail=data,
        )
        return summary(tip)


def convert(store: Store, actor: Actor, tip_id: str, *, title: str | None = None) -> dict[str, Any]:
    """Open a case clue from the tip (in its county, the tip and its files as evidence).

    Raises:
        Conflict: the tip is already converted, dismissed or closed; Forbidden / NotFound as
        :func:`act`; InvalidInput: the tip has no division to open the case in.
    """
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        _may_act(actor)
        if tip.status in ("converted", "dismissed", "closed"):
            raise Conflict(f"tip {tip.id} is {tip.status}")
        if not tip.adcode:
            raise InvalidInput(f"tip {tip.id} is routed nowhere: reroute it first")
        jurisdiction, target, entity = tip.adcode, tip.target_name, tip.entity_id
    opened = cases.open_case(
        store,
        actor,
        title=title or f"举报线索：{target}",
        jurisdiction=jurisdiction,
        subject_id=entity,
        subject_table="enterprise" if entity else None,
        subject_name=target,
        links=[("tip", tip_id)],
        note=f"converted from tip {tip_id}",
    )
    now = _now()
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        tip.status, tip.case_id, tip.updated_at = "converted", str(opened["id"]), now
        add_event(session, tip, "converted", actor.user_id, now, public=True, case_id=tip.case_id)
        audit.record(
            session,
            actor=actor.user_id,
            action="tip.convert",
            object_type="tip",
            object_id=tip.id,
            detail={"case_id": tip.case_id},
        )
        return {**summary(tip), "case": opened}


def open_attachment(store: Store, actor: Actor, tip_id: str, sha: str) -> dict[str, Any]:
    """A tip's file for download (the view is audited).

    Raises:
        NotFound: the tip is not visible or has no such file.
    """
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        found = session.scalars(
            sa.select(TipAttachment).where(
                TipAttachment.tip_id == tip.id, TipAttachment.sha256 == sha
            )
        ).first()
        if found is None:
            raise NotFound(f"tip {tip_id} has no file {sha}")
        audit.record(
            session,
            actor=actor.user_id,
            action="tip.file_download",
            object_type="tip",
            object_id=tip.id,
            detail={"sha256": sha},
        )
        return {"sha256": sha, "media_type": found.media_type, "name": found.original_name}


__all__ = [
    "ACTIONS",
    "CATEGORIES",
    "OPEN",
    "act",
    "can_read",
    "categories_of",
    "convert",
    "get_tip",
    "inbox",
    "open_attachment",
    "summary",
    "visible_tip",
]
