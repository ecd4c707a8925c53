"""Rewards for tips that lead to cases (举报奖励): schemes per province, decisions, payment.

A :class:`~smokewatch.store.orm_tips.RewardScheme` gives a share (``rate``) of the illegal
amount the case established, raised to a ``floor`` and limited by a ``cap``, in one province
from ``valid_from`` (to ``valid_to``). :func:`compute_reward` is the pure calculation with its
explanation lines (share → floor → cap), in yuan with cents rounded half-up.

:func:`decide_reward` records the decision for a converted tip once its case is **closed with
illegal activity confirmed** (a resolution whose ``outcome`` is ``positive`` in the
``case_resolution`` vocabulary): the scheme in force in the tip's province on the day of the
decision, the amount computed and the amount awarded (an approver may award less — or nothing
— and the reason says why), with approver and reason. The reporter sees it by tracking code;
:func:`set_payment` moves the payment on (``pending`` → ``paid`` / ``unclaimed`` /
``withheld``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.cases.access import Actor, Role
from smokewatch.errors import Conflict, Forbidden, InvalidInput, NotFound
from smokewatch.model.divisions import load_divisions
from smokewatch.model.vocab import get_vocabulary
from smokewatch.services import audit
from smokewatch.services.tips import add_event
from smokewatch.services.tips_inbox import visible_tip
from smokewatch.store.db import Store
from smokewatch.store.orm_cases import Case
from smokewatch.store.orm_tips import RewardDecision, RewardScheme

APPROVERS: Final = frozenset({Role.ADMIN, Role.LEAD})
"""Who decides rewards and payments."""
PAYMENT_STATUSES: Final = ("pending", "paid", "unclaimed", "withheld")
_CENT: Final = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Scheme:
    """The numbers of a scheme (what :func:`compute_reward` reads)."""

    rate: Decimal
    floor: Decimal
    cap: Decimal


def compute_reward(illegal_amount: Decimal, scheme: Scheme) -> tuple[Decimal, list[dict[str, str]]]:
    """The reward for an established illegal amount, with the lines that explain it.

    Examples:
        >>> anhui = Scheme(Decimal("0.01"), Decimal("500"), Decimal("100000"))
        >>> compute_reward(Decimal("2000000"), anhui)[0], compute_reward(Decimal("10000"), anhui)[0]
        (Decimal('20000.00'), Decimal('500.00'))
    """
    if illegal_amount < 0:
        raise InvalidInput("the illegal amount cannot be negative")
    share = (illegal_amount * scheme.rate).quantize(_CENT, rounding=ROUND_HALF_UP)
    lines = [
        {
            "step": "share",
            "value": str(share),
            "reason": f"{illegal_amount} × {scheme.rate}",
        }
    ]
    amount = share
    if amount < scheme.floor:
        amount = scheme.floor.quantize(_CENT)
        lines.append(
            {"step": "floor", "value": str(amount), "reason": f"raised to the floor {scheme.floor}"}
        )
    if amount > scheme.cap:
        amount = scheme.cap.quantize(_CENT)
        lines.append(
            {"step": "cap", "value": str(amount), "reason": f"limited to the cap {scheme.cap}"}
        )
    return amount, lines


def add_scheme(
    store: Store,
    actor: Actor,
    *,
    scheme_id: str,
    name: str,
    province: str,
    rate: Decimal,
    floor: Decimal,
    cap: Decimal,
    valid_from: date,
    valid_to: date | None = None,
) -> dict[str, Any]:
    """Record a province's reward scheme (schemes are not edited: add a new one with dates).

    Raises:
        Forbidden: not an admin; InvalidInput: not a province, rate outside 0–1, floor above
        cap, dates reversed; Conflict: the id is taken.
    """
    if not actor.is_admin:
        raise Forbidden("only administrators set reward schemes")
    if province not in load_divisions() or not province.endswith("0000"):
        raise InvalidInput(f"{province!r} is not a province code")
    if not Decimal(0) <= rate <= Decimal(1) or floor < 0 or floor > cap:
        raise InvalidInput("a scheme needs 0 ≤ rate ≤ 1 and 0 ≤ floor ≤ cap")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("valid_to is before valid_from")
    with store.unit_of_work() as session:
        if session.get(RewardScheme, scheme_id) is not None:
            raise Conflict(f"scheme {scheme_id} exists")
        scheme = RewardScheme(
            id=scheme_id,
            name=name,
            province=province,
            rate=rate,
            floor=floor,
            cap=cap,
            valid_from=valid_from,
            valid_to=valid_to,
            created_by=actor.user_id,
            created_at=datetime.now(UTC),
        )
        session.add(scheme)
        audit.record(
            session,
            actor=actor.user_id,
            action="reward.scheme",
            object_type="reward_scheme",
            object_id=scheme_id,
            detail={"province": province, "rate": str(rate), "floor": str(floor), "cap": str(cap)},
        )
        return scheme_dict(scheme)


def scheme_dict(scheme: RewardScheme) -> dict[str, Any]:
    """A scheme as the API shows it."""
    return {
        "id": scheme.id,
        "name": scheme.name,
        "province": scheme.province,
        "rate": str(scheme.rate),
        "floor": str(scheme.floor),
        "cap": str(scheme.cap),
        "valid_from": scheme.valid_from.isoformat(),
        "valid_to": None if scheme.valid_to is None else scheme.valid_to.isoformat(),
    }


def list_schemes(store: Store) -> list[dict[str, Any]]:
    """Every scheme, by province and date."""
    with store.unit_of_work() as session:
        rows = session.scalars(
            sa.select(RewardScheme).order_by(RewardScheme.province, RewardScheme.valid_from)
        ).all()
        return [scheme_dict(s) for s in rows]


def scheme_in_force(session: Session, adcode: str, day: date) -> RewardScheme | None:
    """The newest scheme of the province of ``adcode`` in force on ``day``."""
    province = adcode[:2] + "0000"
    return session.scalars(
        sa.select(RewardScheme)
        .where(
            RewardScheme.province == province,
            RewardScheme.valid_from <= day,
            sa.or_(RewardScheme.valid_to.is_(None), RewardScheme.valid_to >= day),
        )
        .order_by(RewardScheme.valid_from.desc(), RewardScheme.id)
        .limit(1)
    ).first()


def decision_dict(decision: RewardDecision) -> dict[str, Any]:
    """A decision as the API shows it."""
    return {
        "tip_id": decision.tip_id,
        "case_id": decision.case_id,
        "scheme_id": decision.scheme_id,
        "illegal_amount": str(decision.illegal_amount),
        "computed": str(decision.computed),
        "awarded": str(decision.awarded),
        "explanation": decision.explanation,
        "approver": decision.approver,
        "reason": decision.reason,
        "decided_at": decision.decided_at.isoformat(),
        "payment_status": decision.payment_status,
        "payment_ref": decision.payment_ref,
    }


def _approver(actor: Actor) -> None:
    if not actor.is_admin and not actor.roles & APPROVERS:
        raise Forbidden("only leads and administrators decide rewards and payments")


def _confirmed(case: Case) -> bool:
    if case.status != "closed" or not case.resolution:
        return False
    term = get_vocabulary("case_resolution").terms.get(case.resolution)
    return term is not None and term.attrs.get("outcome") == "positive"


def decide_reward(
    store: Store,
    actor: Actor,
    tip_id: str,
    *,
    illegal_amount: Decimal,
    reason: str,
    awarded: Decimal | None = None,
) -> dict[str, Any]:
    """Record the reward of a tip whose case closed with illegal activity confirmed.

    Raises:
        Forbidden: not a lead or admin; NotFound: tip not visible; Conflict: no case, the case
        not closed as confirmed, no scheme in force, or a decision exists; InvalidInput: no
        reason, or an award above the computed amount.
    """
    now = datetime.now(UTC)
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        _approver(actor)
        if not reason.strip():
            raise InvalidInput("a reward decision needs a reason")
        case = session.get(Case, tip.case_id) if tip.case_id else None
        if case is None or not _confirmed(case):
            raise Conflict(f"tip {tip_id}: its case is not closed with illegal activity confirmed")
        if session.get(RewardDecision, tip_id) is not None:
            raise Conflict(f"tip {tip_id} already has a reward decision")
        scheme = scheme_in_force(session, tip.adcode or case.jurisdiction, now.date())
        if scheme is None:
            raise Conflict(f"no reward scheme in force in the province of {tip.adcode}")
        computed, lines = compute_reward(
            illegal_amount, Scheme(scheme.rate, scheme.floor, scheme.cap)
        )
        given = computed if awarded is None else awarded.quantize(_CENT)
        if given < 0 or given > computed:
            raise InvalidInput(f"the award must lie between 0 and the computed {computed}")
        decision = RewardDecision(
            tip_id=tip.id,
            case_id=case.id,
            scheme_id=scheme.id,
            illegal_amount=illegal_amount.quantize(_CENT),
            computed=computed,
            awarded=given,
            explanation=lines,
            approver=actor.user_id,
            reason=reason.strip(),
            decided_at=now,
            payment_status="pending",
            payment_ref=None,
            payment_at=None,
        )
        session.add(decision)
        tip.status, tip.updated_at = "closed", now
        add_event(session, tip, "rewarded", actor.user_id, now, public=True, amount=str(given))
        audit.record(
            session,
            actor=actor.user_id,
            action="reward.decide",
            object_type="tip",
            object_id=tip.id,
            detail={"computed": str(computed), "awarded": str(given), "scheme": scheme.id},
        )
        session.flush()
        return decision_dict(decision)


def set_payment(
    store: Store, actor: Actor, tip_id: str, status: str, *, reference: str | None = None
) -> dict[str, Any]:
    """Move a reward's payment on (``paid`` needs the payment reference).

    Raises:
        Forbidden / NotFound as :func:`decide_reward`; InvalidInput: unknown status or no
        reference for ``paid``; Conflict: already paid.
    """
    now = datetime.now(UTC)
    with store.unit_of_work() as session:
        tip = visible_tip(session, actor, tip_id)
        _approver(actor)
        if status not in PAYMENT_STATUSES:
            raise InvalidInput(f"unknown payment status {status!r}")
        if status == "paid" and not (reference or "").strip():
            raise InvalidInput("a payment needs its reference")
        decision = session.get(RewardDecision, tip_id)
        if decision is None:
            raise NotFound(f"no reward decision for tip {tip_id!r}")
        if decision.payment_status == "paid":
            raise Conflict(f"the reward of tip {tip_id} is paid")
        decision.payment_status, decision.payment_ref = status, reference
        decision.payment_at = now if status == "paid" else None
        add_event(session, tip, "payment", actor.user_id, now, public=True, payment_status=status)
        audit.record(
            session,
            actor=actor.user_id,
            action="reward.payment",
            object_type="tip",
            object_id=tip.id,
            detail={"status": status, "reference": reference},
        )
        return decision_dict(decision)


def get_decision(store: Store, actor: Actor, tip_id: str) -> dict[str, Any]:
    """The reward decision of a tip.

    Raises:
        NotFound: none, or the tip is not visible.
    """
    with store.unit_of_work() as session:
        visible_tip(session, actor, tip_id)
        decision = session.get(RewardDecision, tip_id)
        if decision is None:
            raise NotFound(f"no reward decision for tip {tip_id!r}")
        return decision_dict(decision)


__all__ = [
    "APPROVERS",
    "PAYMENT_STATUSES",
    "Scheme",
    "add_scheme",
    "compute_reward",
    "decide_reward",
    "decision_dict",
    "get_decision",
    "list_schemes",
    "scheme_dict",
    "scheme_in_force",
    "set_payment",
]
