"""The case workflow as an explicit transition table, with guards, deadlines and events.

A case (案件/线索) about an entity moves through the stages the joint mechanism uses::

    clue 线索 ─verify─► verifying 研判核查 ─determine─► determined 认定 ─dispose─► disposing 处置
                                                          │                         │
                                                          └──refer──► referred 移送公安 ◄┘
    disposing / referred (acknowledged) ─start_aftermath─► aftermath 善后 ─close─► closed
    clue / verifying / determined ─dismiss─► dismissed (with a resolution reason)
    closed / dismissed ─reopen─► verifying;   any open stage ─merge─► merged (into another case)

Some actions keep the stage: ``assign`` (reassignment), ``escalate`` (to the level above, for
cases that cross county or city lines), ``designate_lead`` (the upper level names the lead
region), ``acknowledge`` (the receiving police unit confirms a referral).

:data:`TRANSITIONS` is the table; :func:`apply` checks an action against it, its required
fields and its guard, and returns the new state with the :class:`CaseEvent` to append — or
raises :class:`~smokewatch.errors.InvalidTransition` (409) or
:class:`~smokewatch.errors.InvalidInput` (422). Who may act is :mod:`smokewatch.cases.access`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from smokewatch.errors import InvalidInput, InvalidTransition


class CaseStatus(StrEnum):
    """The stage a case is in."""

    CLUE = "clue"
    VERIFYING = "verifying"
    DETERMINED = "determined"
    DISPOSING = "disposing"
    REFERRED = "referred"
    AFTERMATH = "aftermath"
    CLOSED = "closed"
    DISMISSED = "dismissed"
    MERGED = "merged"


OPEN_STATUSES: Final = frozenset(
    {
        CaseStatus.CLUE,
        CaseStatus.VERIFYING,
        CaseStatus.DETERMINED,
        CaseStatus.DISPOSING,
        CaseStatus.REFERRED,
        CaseStatus.AFTERMATH,
    }
)
"""Stages with work to do (deadlines apply)."""


class CaseAction(StrEnum):
    """What a user can do to a case."""

    VERIFY = "verify"
    DETERMINE = "determine"
    DISPOSE = "dispose"
    REFER = "refer"
    ACKNOWLEDGE = "acknowledge"
    START_AFTERMATH = "start_aftermath"
    CLOSE = "close"
    DISMISS = "dismiss"
    REOPEN = "reopen"
    ESCALATE = "escalate"
    DESIGNATE_LEAD = "designate_lead"
    ASSIGN = "assign"
    MERGE = "merge"


@dataclass(frozen=True, slots=True)
class CaseState:
    """What the workflow needs to know about a case (the store keeps more)."""

    status: CaseStatus
    jurisdiction: str
    """Division code of the region that owns the case (属地): county, city or province."""
    status_since: datetime
    assignee: str | None = None
    lead_adcode: str | None = None
    """The lead region designated by the upper level, when the case was escalated."""
    escalated: bool = False
    referred_to: str | None = None
    """Agency id of the police unit the case was referred to."""
    referral_acknowledged: bool = False
    determination: str | None = None
    measures: tuple[str, ...] = ()
    resolution: str | None = None
    merged_into: str | None = None


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One appended step of a case's history."""

    action: CaseAction
    actor: str
    at: datetime
    from_status: CaseStatus
    to_status: CaseStatus
    data: Mapping[str, Any] = field(default_factory=dict)
    """The action's fields (assignee, measures, resolution, reason, receipt …)."""


Guard = Callable[[CaseState, Mapping[str, Any]], str | None]
"""Returns why the action is refused in this state, or ``None``."""


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table: from which stages, to which, with which fields and guard."""

    action: CaseAction
    sources: frozenset[CaseStatus]
    target: CaseStatus | None
    """``None``: the stage does not change."""
    requires: tuple[str, ...] = ()
    guard: Guard | None = None
    """Refuses by the case's state alone (also decides whether the action is offered)."""
    doc: str = ""
    check: Guard | None = None
    """Refuses by the action's fields (run after the guard, when the action is taken)."""


def _referral_acknowledged(state: CaseState, _: Mapping[str, Any]) -> str | None:
    if state.status == CaseStatus.REFERRED and not state.referral_acknowledged:
        return "the police unit has not acknowledged the referral yet"
    return None


def _referral_pending(state: CaseState, _: Mapping[str, Any]) -> str | None:
    if state.referred_to is None:
        return "the case was not referred"
    if state.referral_acknowledged:
        return "the referral is already acknowledged"
    return None


def _not_province(state: CaseState, _: Mapping[str, Any]) -> str | None:
    if state.jurisdiction.endswith("0000"):
        return "a province-level case cannot be escalated further"
    return None


def _escalated(state: CaseState, _: Mapping[str, Any]) -> str | None:
    return None if state.escalated else "a lead region is designated only for escalated cases"


def _lead_within(state: CaseState, data: Mapping[str, Any]) -> str | None:
    lead = str(data.get("lead_adcode", ""))
    if not lead.startswith(jurisdiction_prefix(state.jurisdiction)):
        return f"the lead region {lead} is not within {state.jurisdiction}"
    return None


def jurisdiction_prefix(adcode: str) -> str:
    """The code prefix of everything inside a division: ``340000`` → ``34``, ``340200`` → ``3402``.

    Examples:
        >>> [jurisdiction_prefix(code) for code in ("340000", "340200", "340202")]
        ['34', '3402', '340202']
    """
    if len(adcode) == 6 and adcode.endswith("0000"):
        return adcode[:2]
    if len(adcode) == 6 and adcode.endswith("00"):
        return adcode[:4]
    return adcode


_VOCABULARIES: Final = {
    "determination": "case_determination",
    "measures": "disposal_measure",
    "resolution": "case_resolution",
}
"""Fields whose values must be terms of a vocabulary (model/vocab/*.yml)."""


def _unknown_terms(data: Mapping[str, Any]) -> list[str]:
    from smokewatch.model.vocab import get_vocabulary  # noqa: PLC0415 - loaded on first use

    problems = []
    for name, vocabulary in _VOCABULARIES.items():
        if name not in data:
            continue
        vocab = get_vocabulary(vocabulary)
        values = data[name] if isinstance(data[name], list | tuple) else [data[name]]
        for value in values:
            if vocab.resolve(str(value)) is None:
                known = ", ".join(vocab.terms)
                problems.append(f"{name} {value!r} is not one of: {known}")
    return problems


TRANSITIONS: Final[tuple[Transition, ...]] = (
    Transition(CaseAction.VERIFY, frozenset({CaseStatus.CLUE}), CaseStatus.VERIFYING,
               ("assignee",), doc="Start desk analysis or on-site verification (研判核查)."),
    Transition(CaseAction.DETERMINE, frozenset({CaseStatus.VERIFYING}), CaseStatus.DETERMINED,
               ("determination",), doc="Record what the activity is (认定)."),
    Transition(CaseAction.DISPOSE, frozenset({CaseStatus.DETERMINED}), CaseStatus.DISPOSING,
               ("measures",), doc="Order disposal measures (处置)."),
    Transition(CaseAction.REFER, frozenset({CaseStatus.DETERMINED, CaseStatus.DISPOSING}),
               CaseStatus.REFERRED, ("to_agency", "receipt"),
               doc="Refer to the police with a handover receipt (移送公安)."),
    Transition(CaseAction.ACKNOWLEDGE, frozenset({CaseStatus.REFERRED}), None, (),
               _referral_pending, doc="The receiving police unit acknowledges the referral."),
    Transition(CaseAction.START_AFTERMATH, frozenset({CaseStatus.DISPOSING, CaseStatus.REFERRED}),
               CaseStatus.AFTERMATH, (), _referral_acknowledged,
               doc="Aftermath: clean-up, repayment, stability (善后)."),
    Transition(CaseAction.CLOSE, frozenset({CaseStatus.AFTERMATH, CaseStatus.DISPOSING}),
               CaseStatus.CLOSED, ("resolution",), doc="Close with a resolution reason."),
    Transition(CaseAction.DISMISS,
               frozenset({CaseStatus.CLUE, CaseStatus.VERIFYING, CaseStatus.DETERMINED}),
               CaseStatus.DISMISSED, ("resolution",),
               doc="Dismiss: no violation, insufficient evidence, duplicate …"),
    Transition(CaseAction.REOPEN, frozenset({CaseStatus.CLOSED, CaseStatus.DISMISSED}),
               CaseStatus.VERIFYING, ("reason",), doc="Reopen for new verification."),
    Transition(CaseAction.ESCALATE, OPEN_STATUSES, None, ("reason",), _not_province,
               doc="Escalate to the level above (cross-region cases)."),
    Transition(CaseAction.DESIGNATE_LEAD, OPEN_STATUSES, None, ("lead_adcode",), _escalated,
               doc="The upper level designates the lead region.", check=_lead_within),
    Transition(CaseAction.ASSIGN, OPEN_STATUSES, None, ("assignee",),
               doc="Assign or reassign the case."),
    Transition(CaseAction.MERGE, OPEN_STATUSES, CaseStatus.MERGED, ("into", "reason"),
               doc="Merge into another case about the same company family."),
)  # fmt: skip

_BY_ACTION: Final = {t.action: t for t in TRANSITIONS}

DEFAULT_DEADLINES: Final[Mapping[CaseStatus, int]] = {
    CaseStatus.CLUE: 7,
    CaseStatus.VERIFYING: 30,
    CaseStatus.DETERMINED: 15,
    CaseStatus.DISPOSING: 90,
    CaseStatus.REFERRED: 30,
    CaseStatus.AFTERMATH: 180,
}
"""Days a case may stay in each open stage before it is overdue (configurable per workspace)."""


def transition(action: CaseAction | str) -> Transition:
    """The table row of an action.

    Raises:
        InvalidInput: no such action.
    """
    try:
        return _BY_ACTION[CaseAction(action)]
    except ValueError as exc:
        allowed = ", ".join(a.value for a in CaseAction)
        raise InvalidInput(f"unknown case action {action!r} (one of: {allowed})") from exc


def allowed_actions(state: CaseState) -> list[CaseAction]:
    """The actions the table allows in this state: right stage, and no guard refuses.

    Examples:
        >>> from datetime import datetime
        >>> case = CaseState(CaseStatus.DISPOSING, "340202", datetime(2026, 11, 1))
        >>> [a.value for a in allowed_actions(case)]
        ['refer', 'start_aftermath', 'close', 'escalate', 'assign', 'merge']
        >>> escalated = dataclasses.replace(case, jurisdiction="340200", escalated=True)
        >>> "designate_lead" in [a.value for a in allowed_actions(escalated)]
        True
    """
    return [
        t.action
        for t in TRANSITIONS
        if state.status in t.sources and (t.guard is None or t.guard(state, {}) is None)
    ]


def _parent_jurisdiction(adcode: str) -> str:
    """The division one level up: county → city, city → province."""
    if adcode.endswith("00"):
        return adcode[:2] + "0000"
    return adcode[:4] + "00"


def _next_state(
    state: CaseState, t: Transition, data: Mapping[str, Any], now: datetime
) -> CaseState:
    changes: dict[str, Any] = {}
    if t.target is not None and t.target != state.status:
        changes.update(status=t.target, status_since=now)
    action = t.action
    if action in (CaseAction.VERIFY, CaseAction.ASSIGN):
        changes["assignee"] = str(data["assignee"])
    elif action == CaseAction.DETERMINE:
        changes["determination"] = str(data["determination"])
    elif action == CaseAction.DISPOSE:
        changes["measures"] = tuple(str(m) for m in data["measures"])
    elif action == CaseAction.REFER:
        changes.update(referred_to=str(data["to_agency"]), referral_acknowledged=False)
    elif action == CaseAction.ACKNOWLEDGE:
        changes["referral_acknowledged"] = True
    elif action in (CaseAction.CLOSE, CaseAction.DISMISS):
        changes["resolution"] = str(data["resolution"])
    elif action == CaseAction.REOPEN:
        changes["resolution"] = None
    elif action == CaseAction.ESCALATE:
        changes.update(jurisdiction=_parent_jurisdiction(state.jurisdiction), escalated=True)
    elif action == CaseAction.DESIGNATE_LEAD:
        changes["lead_adcode"] = str(data["lead_adcode"])
    elif action == CaseAction.MERGE:
        changes["merged_into"] = str(data["into"])
    return dataclasses.replace(state, **changes)


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | set | frozenset):
        return bool(value)
    return True


def apply(
    state: CaseState,
    action: CaseAction | str,
    data: Mapping[str, Any],
    *,
    actor: str,
    now: datetime,
) -> tuple[CaseState, CaseEvent]:
    """Apply an action: the new state and the event to append.

    Raises:
        InvalidInput: an unknown action or a required field missing.
        InvalidTransition: the action is not allowed in this stage, or its guard refuses.
    """
    row = transition(action)
    if state.status not in row.sources:
        allowed = ", ".join(a.value for a in allowed_actions(state)) or "none"
        raise InvalidTransition(
            f"cannot {row.action.value} a case in stage {state.status.value} (allowed: {allowed})"
        )
    missing = [name for name in row.requires if not _present(data.get(name))]
    if missing:
        raise InvalidInput(f"{row.action.value} needs {', '.join(missing)}")
    unknown = _unknown_terms({k: v for k, v in data.items() if k in row.requires})
    if unknown:
        raise InvalidInput(f"{row.action.value}: {'; '.join(unknown)}")
    for guard in (row.guard, row.check):
        refusal = guard(state, data) if guard is not None else None
        if refusal is not None:
            raise InvalidTransition(f"cannot {row.action.value}: {refusal}")
    new = _next_state(state, row, data, now)
    event = CaseEvent(row.action, actor, now, state.status, new.status, dict(data))
    return new, event


def deadline(state: CaseState, days: Mapping[CaseStatus, int] = DEFAULT_DEADLINES) -> date | None:
    """The last day the case may stay in its stage, or ``None`` for a finished case."""
    if state.status not in OPEN_STATUSES:
        return None
    return (state.status_since + timedelta(days=days[state.status])).date()


def is_overdue(
    state: CaseState, today: date, days: Mapping[CaseStatus, int] = DEFAULT_DEADLINES
) -> bool:
    """Whether the case stayed in its stage past its deadline."""
    last = deadline(state, days)
    return last is not None and today > last


__all__ = [
    "DEFAULT_DEADLINES",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "CaseAction",
    "CaseEvent",
    "CaseState",
    "CaseStatus",
    "Transition",
    "allowed_actions",
    "apply",
    "deadline",
    "is_overdue",
    "jurisdiction_prefix",
    "transition",
]
