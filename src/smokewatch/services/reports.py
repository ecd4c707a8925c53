"""The summary report: the figures a lead department reads, for the user's territory.

Alerts by grade and status (and how many open ones nobody acknowledged), the grade counts of
the latest evaluation date, cases by stage with the overdue ones, referrals to the police
(acknowledged or waiting), and finished cases by outcome (the labels the models learn from).
Every count is over what the user may see (:mod:`smokewatch.services.visibility`,
:func:`smokewatch.services.cases.visible`).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from smokewatch.cases.access import Actor
from smokewatch.cases.workflow import OPEN_STATUSES
from smokewatch.model.vocab import get_vocabulary
from smokewatch.services.alerts import DEFAULT_SCORECARD
from smokewatch.services.cases import visible
from smokewatch.services.visibility import region_condition, require_analyst
from smokewatch.store import scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, AlertStatus, Score
from smokewatch.store.orm_cases import Case


def summary(
    store: Store,
    actor: Actor,
    *,
    scorecard_id: str = DEFAULT_SCORECARD,
    today: date | None = None,
) -> dict[str, Any]:
    """Counts of alerts, scores and cases in the actor's territory.

    Raises:
        Forbidden: the role does not read monitoring results.
    """
    require_analyst(actor)
    day = today or datetime.now(UTC).date()
    alerts_where = region_condition(actor, Alert.adcode, Alert.sector)
    scores_where = region_condition(actor, Score.adcode, Score.sector)
    outcomes = {
        t.id: str(t.attrs.get("outcome", "none"))
        for t in get_vocabulary("case_resolution").terms.values()
    }
    with store.read_session() as session:
        by_alert = Counter[str]()
        unacknowledged = 0
        for grade, status, acked, count in session.execute(
            sa.select(
                Alert.grade,
                Alert.status,
                Alert.acknowledged_at.is_not(None),
                sa.func.count(),
            )
            .where(alerts_where)
            .group_by(Alert.grade, Alert.status, Alert.acknowledged_at.is_not(None))
        ):
            by_alert[f"{status}/{grade}"] += int(count)
            if str(status) == AlertStatus.OPEN and not acked:
                unacknowledged += int(count)
        latest = scoring.latest_as_of(session, scorecard_id)
        grades = (
            scoring.grade_counts(
                session, scorecard_id=scorecard_id, as_of=latest, where=scores_where
            )
            if latest
            else {}
        )
        stages = Counter[str]()
        overdue = referred = acknowledged = 0
        finished = Counter[str]()
        for stage, due_on, referred_to, ack_at, resolution in session.execute(
            sa.select(
                Case.status,
                Case.due_on,
                Case.referred_to,
                Case.referral_acknowledged_at,
                Case.resolution,
            ).where(visible(actor))
        ):
            stages[stage] += 1
            if stage in OPEN_STATUSES and due_on is not None and day > due_on:
                overdue += 1
            if referred_to is not None:
                referred += 1
                acknowledged += ack_at is not None
            if resolution is not None and stage in ("closed", "dismissed"):
                finished[outcomes.get(resolution, "none")] += 1
    return {
        "generated_on": day,
        "territory": actor.adcode or None,
        "alerts": {
            "by_status_and_grade": dict(sorted(by_alert.items())),
            "open_unacknowledged": unacknowledged,
        },
        "scores": {"scorecard": scorecard_id, "as_of": latest, "by_grade": grades},
        "cases": {
            "by_status": dict(sorted(stages.items())),
            "open": sum(n for s, n in stages.items() if s in OPEN_STATUSES),
            "overdue": overdue,
            "referred_to_police": referred,
            "referrals_acknowledged": acknowledged,
            "finished_by_outcome": dict(sorted(finished.items())),
        },
    }


__all__ = ["summary"]
