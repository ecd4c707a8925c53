"""When a score raises, raises again, or leaves alone an alert: the rules, as pure functions.

One alert per subject and scorecard (the dedupe key). A score run hands each subject's new
grade to :func:`on_score`, which decides what happens:

==========================  ===============================================================
no alert yet                grade at or above the scorecard's alert grade → ``raised``
alert open or snoozed       higher grade than the alert's → ``rose`` (a snoozed alert stays
                            snoozed: the rise is recorded, nobody is notified)
                            same grade → nothing (re-running the same data raises nothing)
                            lower grade → ``fell`` is recorded once per new grade; the alert
                            keeps its highest grade until someone closes it
alert closed                grade at or above the alert grade and higher than when it was
                            closed → ``reopened``; otherwise nothing
snoozed, expiry passed      ``woke`` first (status back to open), then the rules above
==========================  ===============================================================

A grade is compared by its rank in the scorecard (``red`` above ``orange`` …); ``none``
ranks below all. Shadow scores (a scorecard in testing) never reach this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

NO_GRADE = "none"


class Action(StrEnum):
    """What :func:`on_score` decided (the alert event kinds a score can cause)."""

    RAISED = "raised"
    ROSE = "rose"
    FELL = "fell"
    WOKE = "woke"
    REOPENED = "reopened"


@dataclass(frozen=True, slots=True)
class AlertState:
    """What the store knows of an existing alert."""

    status: str
    """``open``, ``snoozed`` or ``closed``."""
    grade: str
    """The highest grade since it was raised or reopened."""
    last_grade: str
    """The grade of the latest score that reached it (to record a fall once)."""
    snoozed_until: date | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """The events to record, in order, and the alert's state afterwards."""

    actions: tuple[Action, ...]
    status: str
    grade: str
    notify: bool
    """Whether someone should be told (raised, rose or reopened while not snoozed)."""


class GradeOrder:
    """Ranks of a scorecard's grades: ``grades`` from the highest, ``none`` below all."""

    def __init__(self, grades: Sequence[str], alert_from: str) -> None:
        if alert_from not in grades:
            raise ValueError(f"alert grade {alert_from!r} is not one of {list(grades)}")
        self._rank = {code: len(grades) - i for i, code in enumerate(grades)}
        self._rank[NO_GRADE] = 0
        self.alert_from = alert_from

    def rank(self, grade: str) -> int:
        """Higher is worse; ``none`` and unknown grades are 0."""
        return self._rank.get(grade, 0)

    def alerts(self, grade: str) -> bool:
        """Whether this grade is at or above the alert grade."""
        return self.rank(grade) >= self.rank(self.alert_from)


def on_score(
    existing: AlertState | None, grade: str, order: GradeOrder, today: date
) -> Decision | None:
    """What a new score with ``grade`` does to the alert (``None``: nothing to record)."""
    if existing is None:
        if not order.alerts(grade):
            return None
        return Decision((Action.RAISED,), "open", grade, notify=True)
    actions: list[Action] = []
    status = existing.status
    if (
        status == "snoozed"
        and existing.snoozed_until is not None
        and existing.snoozed_until < today
    ):
        actions.append(Action.WOKE)
        status = "open"
    rank, held = order.rank(grade), order.rank(existing.grade)
    if status == "closed":
        if order.alerts(grade) and rank > order.rank(existing.last_grade):
            actions.append(Action.REOPENED)
            return Decision(tuple(actions), "open", grade, notify=True)
        return Decision(tuple(actions), status, existing.grade, False) if actions else None
    if rank > held:
        actions.append(Action.ROSE)
        return Decision(tuple(actions), status, grade, notify=status == "open")
    if rank < order.rank(existing.last_grade):
        actions.append(Action.FELL)
    if not actions:
        return None
    return Decision(tuple(actions), status, existing.grade, notify=False)


__all__ = ["NO_GRADE", "Action", "AlertState", "Decision", "GradeOrder", "on_score"]
