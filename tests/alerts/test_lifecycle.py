"""The alert lifecycle as a table: what a new grade does to an existing alert."""

from __future__ import annotations

from datetime import date

import pytest

from smokewatch.alerts.lifecycle import Action, AlertState, GradeOrder, on_score

ORDER = GradeOrder(["red", "orange", "yellow", "blue"], "orange")
TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("existing", "grade", "actions", "status", "held", "notify"),
    [
        (None, "yellow", None, None, None, None),
        (None, "orange", (Action.RAISED,), "open", "orange", True),
        (None, "red", (Action.RAISED,), "open", "red", True),
        (AlertState("open", "orange", "orange"), "orange", None, None, None, None),
        (AlertState("open", "orange", "orange"), "red", (Action.ROSE,), "open", "red", True),
        (AlertState("open", "red", "red"), "yellow", (Action.FELL,), "open", "red", False),
        (AlertState("open", "red", "yellow"), "yellow", None, None, None, None),
        (AlertState("open", "red", "yellow"), "orange", None, None, None, None),
        (
            AlertState("snoozed", "orange", "orange", date(2026, 12, 1)),
            "red",
            (Action.ROSE,),
            "snoozed",
            "red",
            False,
        ),
        (
            AlertState("snoozed", "orange", "orange", date(2026, 11, 20)),
            "orange",
            (Action.WOKE,),
            "open",
            "orange",
            False,
        ),
        (
            AlertState("snoozed", "orange", "orange", date(2026, 11, 20)),
            "red",
            (Action.WOKE, Action.ROSE),
            "open",
            "red",
            True,
        ),
        (AlertState("closed", "orange", "orange"), "orange", None, None, None, None),
        (AlertState("closed", "orange", "orange"), "red", (Action.REOPENED,), "open", "red", True),
        (
            AlertState("closed", "orange", "none"),
            "orange",
            (Action.REOPENED,),
            "open",
            "orange",
            True,
        ),
        (AlertState("closed", "red", "none"), "yellow", None, None, None, None),
    ],
)
def test_what_a_new_grade_does(
    existing: AlertState | None,
    grade: str,
    actions: tuple[Action, ...] | None,
    status: str | None,
    held: str | None,
    notify: bool | None,
) -> None:
    decision = on_score(existing, grade, ORDER, TODAY)
    if actions is None:
        assert decision is None
        return
    assert decision is not None
    assert (decision.actions, decision.status, decision.grade, decision.notify) == (
        actions,
        status,
        held,
        notify,
    )


def test_grades_rank_from_the_top_and_none_is_lowest() -> None:
    assert ORDER.rank("red") > ORDER.rank("orange") > ORDER.rank("blue") > ORDER.rank("none")
    assert ORDER.alerts("orange") and ORDER.alerts("red") and not ORDER.alerts("yellow")


def test_the_alert_grade_must_be_a_grade() -> None:
    with pytest.raises(ValueError, match="not one of"):
        GradeOrder(["red"], "purple")
