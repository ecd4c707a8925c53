"""The officers' tip desk beyond :mod:`smokewatch.services.tips_inbox`: duplicates and cases.

- :func:`merge` files a tip as a duplicate of another the officer can see (the reporter keeps
  "under review"); the group is then the original and every tip filed under it
  (:func:`duplicate_group`).
- :func:`attach_to_case` holds a tip as evidence of a case that is already open (instead of
  opening a new clue with :func:`smokewatch.services.tips_inbox.convert`).
- :func:`allowed_actions` lists what the actor may do with a tip now — the guards of the
  services, for pages that offer only the buttons that will work (the services still check).

Both actions are tip events and audit entries in the transaction of the change, like every
other tip action.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

import sqlalchemy as sa

from smokewatch.cases.access import TRIAGE_ROLES, Actor, refusal
from smokewatch.cases.workflow import CaseAction
from smokewatch.errors import Conflict, Forbidden, InvalidInput
from smokewatch.services import audit, cases
from smokewatch.services.tips import add_event
from smokewatch.services.tips_inbox import can_read, summary, visible_tip
from smokewatch.services.tips_rewards import APPROVERS
from smokewatch.store.db import Store
from smokewatch.store.orm_tips import RewardDecision, Tip

FINISHED: Final = frozenset({"converted", "closed", "dismissed"})
"""Statuses a tip cannot be merged or attached from."""


def _may_act(actor: Actor) -> None:
    if not actor.is_admin and not actor.roles & TRIAGE_ROLES:
        raise Forbidden("your role may not act on tips")


def merge(store: Store, actor: Actor, tip_id: str, into: str) -> dict[str, Any]:
    """File ``tip_id`` as a duplicate of ``into`` (or of the tip ``into`` duplicates).

    Raises:
        NotFound: either tip is not visible to the actor; Forbidden: the role may not act;
        InvalidInput: a tip merged into itself or into its own duplicate;
        Conflict: the tip is finished (converted, closed, dismissed).
    """
    now = datetime.now(UTC)
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        _may_act(actor)
        original = visible_tip(session, actor, into.strip())
        if original.duplicate_of:
            original = visible_tip(session, actor, original.duplicate_of)
        if original.id == tip.id:
            raise InvalidInput("a tip cannot be a duplicate of itself")
        if tip.status in FINISHED:
            raise Conflict(f"tip {tip.id} is {tip.status}")
        before = tip.status
        tip.status, tip.duplicate_of, tip.updated_at = "duplicate", original.id, now
        # The tips filed under this one follow it to the original (a group has one root).
        session.execute(
            sa.update(Tip).where(Tip.duplicate_of == tip.id).values(duplicate_of=original.id)
        )
        data = {"from": before, "to": tip.status, "duplicate_of": original.id}
        add_event(session, tip, "merge", actor.user_id, now, public=False, **data)
        audit.record(
            session,
            actor=actor.user_id,
            action="tip.merge",
            object_type="tip",
            object_id=tip.id,
            detail=data,
        )
        return summary(tip)


def duplicate_group(store: Store, actor: Actor, tip_id: str) -> list[dict[str, Any]]:
    """The tip's duplicate group that the actor can see: the original first, then the others.

    Empty when the tip neither duplicates another nor has duplicates.
    """
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        root = tip.duplicate_of or tip.id
        members = session.scalars(
            sa.select(Tip)
            .where(sa.or_(Tip.id == root, Tip.duplicate_of == root))
            .order_by(Tip.submitted_at, Tip.id)
        ).all()
        seen = [summary(m) for m in members if can_read(actor, m)]
        seen.sort(key=lambda row: row["id"] != root)
        return seen if len(seen) > 1 else []


def attach_to_case(
    store: Store, actor: Actor, tip_id: str, case_id: str, *, note: str | None = None
) -> dict[str, Any]:
    """Hold the tip as evidence of an open case; the tip becomes ``converted`` to that case.

    Raises:
        NotFound: the tip or the case is not visible; Forbidden: the role may not act on tips
        or add evidence to that case; Conflict: the tip is finished or the case is closed.
    """
    now = datetime.now(UTC)
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        _may_act(actor)
        if tip.status in FINISHED:
            raise Conflict(f"tip {tip.id} is {tip.status}")
        case = cases.get_visible(session, case_id.strip(), actor)
        if case.status == "closed":
            raise Conflict(f"case {case.id} is closed")
        if refusal(actor, cases.scope_of(case), CaseAction.ASSIGN) is not None:
            raise Forbidden("your role may not add evidence to this case")
        cases.link_evidence(session, case, actor, "tip", tip.id, note=note, at=now)
        tip.status, tip.case_id, tip.updated_at = "converted", case.id, now
        add_event(session, tip, "attached", actor.user_id, now, public=True, case_id=case.id)
        audit.record(
            session,
            actor=actor.user_id,
            action="tip.attach",
            object_type="tip",
            object_id=tip.id,
            detail={"case_id": case.id, "note": note},
        )
        return summary(tip)


def allowed_actions(store: Store, actor: Actor, tip_id: str) -> frozenset[str]:
    """What the actor may do with the tip now, as the services decide.

    Names: ``triage``, ``reply``, ``reroute``, ``dismiss``, ``spam``, ``not_spam``, ``merge``,
    ``convert``, ``attach``, ``reward``, ``payment``.
    """
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        allowed: set[str] = set()
        if actor.is_admin or actor.roles & TRIAGE_ROLES:
            allowed |= {"reply", "reroute"}
            if tip.status in ("received", "duplicate", "spam"):
                allowed.add("triage")
            if tip.status not in ("converted", "closed"):
                allowed |= {"spam"} if tip.status != "spam" else {"not_spam"}
                if tip.status != "dismissed":
                    allowed.add("dismiss")
            if tip.status not in FINISHED:
                allowed |= {"merge", "attach"}
                if tip.adcode:
                    allowed.add("convert")
        if tip.case_id and (actor.is_admin or actor.roles & APPROVERS):
            decision = session.get(RewardDecision, tip.id)
            if decision is None:
                allowed.add("reward")
            elif decision.payment_status != "paid":
                allowed.add("payment")
        return frozenset(allowed)


__all__ = [
    "FINISHED",
    "allowed_actions",
    "attach_to_case",
    "duplicate_group",
    "merge",
]
