"""The overview's figures: trend, new alerts, overdue cases, top entities, seed figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from smokewatch.errors import Forbidden
from smokewatch.services import alerts, dashboard
from smokewatch.store import scoring
from smokewatch.store.orm import Score
from smokewatch.store.orm_cases import Case
from tests.api.world import DAY, IN, OUT, World, entity, referred_case
from tests.services.monitored import world  # noqa: F401


def _earlier(world: World, subject_id: str, grade: str, days: int) -> None:  # noqa: F811
    """A score of the entity ``days`` before :data:`DAY`."""
    with world.store.unit_of_work() as session:
        latest = session.scalars(sa.select(Score).where(Score.subject_id == subject_id)).one()
        row = {c.key: getattr(latest, c.key) for c in sa.inspect(Score).columns}
        row |= {"id": f"{latest.id}-{days}", "as_of": DAY - timedelta(days=days), "grade": grade}
        scoring.replace_scores(session, "sco-1", [row])


def test_the_trend_counts_each_grade_on_each_evaluation_date(world: World) -> None:  # noqa: F811
    first = entity(world, IN, grade="red")
    entity(world, IN, grade="blue")
    _earlier(world, first, "orange", 30)
    trend = dashboard.grade_trend(world.store, world.actors["lead"])
    assert trend["dates"] == [(DAY - timedelta(days=30)).isoformat(), DAY.isoformat()]
    assert trend["series"]["orange"] == [1, 0]
    assert trend["series"]["red"] == [0, 1] and trend["series"]["blue"] == [0, 1]


def test_the_trend_stays_in_the_territory(world: World) -> None:  # noqa: F811
    entity(world, OUT, grade="red")
    assert dashboard.grade_trend(world.store, world.actors["lead"])["dates"] == []


def test_new_alerts_are_the_open_ones_nobody_acknowledged(world: World) -> None:  # noqa: F811
    seen = entity(world, IN)
    fresh = entity(world, IN)
    alerts.acknowledge_alert(world.store, f"al-{seen}", actor="tests")
    found = dashboard.new_alerts(world.store, world.actors["lead"])
    assert [a["subject_id"] for a in found["items"]] == [fresh]


def test_top_entities_are_the_highest_indices_in_view(world: World) -> None:  # noqa: F811
    mine = entity(world, IN)
    entity(world, OUT)
    top = dashboard.top_entities(world.store, world.actors["lead"])
    assert [s["subject_id"] for s in top] == [mine]


def test_overdue_cases_are_past_their_stage_deadline(world: World) -> None:  # noqa: F811
    case_id = referred_case(world, IN)
    assert dashboard.overdue_cases(world.store, world.actors["lead"])["total"] == 0
    with world.store.unit_of_work() as session:
        session.get_one(Case, case_id).due_on = date(2020, 1, 1)
    overdue = dashboard.overdue_cases(world.store, world.actors["lead"])
    assert [c["id"] for c in overdue["items"]] == [case_id]


def test_seed_figures_count_referrals_warnings_and_cases_found_first(world: World) -> None:  # noqa: F811
    flagged = entity(world, IN)
    referred_case(world, IN, flagged)  # its alert was raised before the case was opened
    referred_case(world, IN)  # a clue from a bank report: no alert behind it
    seeds = dashboard.seed_figures(world.store, world.actors["lead"])
    assert seeds["referred_to_police"]["value"] == 2
    assert seeds["warnings_issued"]["value"] == 1
    assert seeds["found_by_platform_first"] == {"value": 1, "of": 2, "href": "/cases"}
    assert seeds["amount_involved"]["value"] is None  # no case recorded an amount
    assert seeds["warning_interviews"]["value"] == 0


def test_seed_figures_are_for_analysts(world: World) -> None:  # noqa: F811
    with pytest.raises(Forbidden):
        dashboard.seed_figures(world.store, world.actors["police"])
