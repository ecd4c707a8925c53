"""The overview's figures beyond the summary report: trend, new alerts, top entities, seeds.

Every figure is over what the user may see (scores and alerts routed to their territory,
cases they can see) and says what it counts (``explain``: a message id the UI translates),
so a leader can ask "what is this number?" and get the rows behind it by following ``href``.

The seed figures are those the plans ask a platform to report: clues transferred to the
police, amounts involved (when a case records one), warnings issued (alerts raised, and
warning interviews ordered), and cases the platform found first (an alert on the entity was
raised before the case was opened). Institutions and balances trending down come from the
supervisory returns in the analytic engine, which the dashboard does not read
(``smokewatch sector stats`` reports them).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Final

import sqlalchemy as sa

from smokewatch.cases.access import Actor
from smokewatch.services import alerts, cases
from smokewatch.services.alerts import DEFAULT_SCORECARD
from smokewatch.services.visibility import region_condition, require_analyst, shown
from smokewatch.store import scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, AlertEvent, Score
from smokewatch.store.orm_cases import Case, CaseEvent

TREND_DATES: Final = 24
"""The grade trend covers at most this many evaluation dates (the most recent)."""

WARNING_MEASURE: Final = "warning_notice"
"""The disposal measure that is a warning interview (警示约谈)."""


def grade_trend(
    store: Store, actor: Actor, *, scorecard_id: str = DEFAULT_SCORECARD
) -> dict[str, Any]:
    """Entities per grade on each evaluation date (oldest first), in the actor's territory.

    Raises:
        Forbidden: the role does not read monitoring results.
    """
    require_analyst(actor)
    with store.read_session() as session:
        rows = session.execute(
            sa.select(Score.as_of, Score.grade, sa.func.count())
            .where(
                Score.scorecard_id == scorecard_id,
                Score.shadow.is_(False),
                region_condition(actor, Score.adcode, Score.sector),
            )
            .group_by(Score.as_of, Score.grade)
        ).all()
    per_day: dict[date, dict[str, int]] = defaultdict(dict)
    for as_of, grade, count in rows:
        per_day[as_of][str(grade)] = int(count)
    days = sorted(per_day)[-TREND_DATES:]
    return {
        "scorecard": scorecard_id,
        "dates": [d.isoformat() for d in days],
        "series": {
            grade: [per_day[d].get(grade, 0) for d in days]
            for grade in ("red", "orange", "yellow", "blue")
        },
    }


def new_alerts(store: Store, actor: Actor, *, limit: int = 8) -> dict[str, Any]:
    """Open alerts nobody acknowledged yet, most recently changed first."""
    items, total = alerts.list_alerts(
        store, statuses=("open",), acknowledged=False, limit=limit, actor=actor
    )
    return {"items": items, "total": total}


def overdue_cases(store: Store, actor: Actor, *, limit: int = 8) -> dict[str, Any]:
    """Open cases past the deadline of their stage, that the actor can see."""
    items, total = cases.list_cases(store, actor, overdue=True, limit=limit)
    return {"items": [c for c in items if c["overdue"]], "total": total}


def top_entities(
    store: Store, actor: Actor, *, limit: int = 10, scorecard_id: str = DEFAULT_SCORECARD
) -> list[dict[str, Any]]:
    """The highest smoke indices of the latest evaluation date in the actor's territory.

    One lean query (no contributions: they are long and the overview does not show them).
    """
    require_analyst(actor)
    with store.read_session() as session:
        as_of = scoring.latest_as_of(session, scorecard_id)
        if as_of is None:
            return []
        rows = session.execute(
            sa.select(Score.subject_id, Score.subject_name, Score.score, Score.grade, Score.adcode)
            .where(
                Score.scorecard_id == scorecard_id,
                Score.as_of == as_of,
                Score.shadow.is_(False),
                region_condition(actor, Score.adcode, Score.sector),
            )
            .order_by(Score.score.desc(), Score.subject_id)
            .limit(limit)
        ).all()
    top = [
        {
            "subject_id": r.subject_id,
            "subject_name": r.subject_name,
            "smoke_index": r.score,
            "grade": r.grade,
            "adcode": r.adcode,
            "as_of": as_of,
        }
        for r in rows
    ]
    masked, _ = shown(actor, top)
    return list(masked)


def _amounts(events: list[dict[str, Any]]) -> float | None:
    """The amount involved of a case: the last ``amount_involved`` recorded by a step."""
    amount = None
    for data in events:
        value = data.get("amount_involved")
        if isinstance(value, int | float) and value >= 0:
            amount = float(value)
    return amount


def seed_figures(store: Store, actor: Actor) -> dict[str, Any]:
    """The figures the plans ask for, each with what it counts and where to see the rows.

    Raises:
        Forbidden: the role does not read monitoring results.
    """
    require_analyst(actor)
    with store.read_session() as session:
        visible_cases = session.execute(
            sa.select(
                Case.id, Case.subject_id, Case.opened_at, Case.referred_to, Case.measures
            ).where(cases.visible(actor))
        ).all()
        ids = [row.id for row in visible_cases]
        steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if ids:
            for case_id, data in session.execute(
                sa.select(CaseEvent.case_id, CaseEvent.data)
                .where(CaseEvent.case_id.in_(ids))
                .order_by(CaseEvent.case_id, CaseEvent.seq)
            ):
                steps[case_id].append(dict(data or {}))
        subjects = {row.subject_id for row in visible_cases if row.subject_id}
        first_alert: dict[str, Any] = {}
        if subjects:
            for subject, raised in session.execute(
                sa.select(Alert.subject_id, sa.func.min(Alert.raised_at))
                .where(Alert.subject_id.in_(sorted(subjects)))
                .group_by(Alert.subject_id)
            ):
                first_alert[subject] = raised
        raised_alerts = session.execute(
            sa.select(sa.func.count())
            .select_from(AlertEvent)
            .join(Alert, Alert.id == AlertEvent.alert_id)
            .where(
                AlertEvent.kind == "raised",
                region_condition(actor, Alert.adcode, Alert.sector),
            )
        ).scalar_one()
    amounts = [a for a in (_amounts(steps[i]) for i in ids) if a is not None]
    platform_first = sum(
        1
        for row in visible_cases
        if row.subject_id in first_alert and first_alert[row.subject_id] <= row.opened_at
    )
    return {
        "referred_to_police": {
            "value": sum(1 for row in visible_cases if row.referred_to),
            "href": "/cases",
        },
        "amount_involved": {
            "value": sum(amounts) if amounts else None,
            "cases": len(amounts),
            "href": "/cases",
        },
        "warnings_issued": {"value": int(raised_alerts), "href": "/alerts"},
        "warning_interviews": {
            "value": sum(1 for row in visible_cases if WARNING_MEASURE in (row.measures or [])),
            "href": "/cases",
        },
        "found_by_platform_first": {
            "value": platform_first,
            "of": len(visible_cases),
            "href": "/cases",
        },
    }


__all__ = [
    "TREND_DATES",
    "WARNING_MEASURE",
    "grade_trend",
    "new_alerts",
    "overdue_cases",
    "seed_figures",
    "top_entities",
]
