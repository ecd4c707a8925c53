"""Patrol changes are events of the resolved operator: on its timeline, once per run."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from smokewatch.cases.access import Actor, Role
from smokewatch.services.detect import detect
from smokewatch.services.entity_page import entity_page
from smokewatch.services.patrol import record_patrol_events, run_patrol
from smokewatch.services.scores import score
from smokewatch.services.workspace import open_store
from smokewatch.settings import Settings
from smokewatch.store.orm_patrol import PatrolEvent
from tests.patrol.site import FakeClock, FakeSite, Page, html
from tests.services.test_patrol import platform  # noqa: F401 - the fake platform site
from tests.services.test_patrol_operator import OTHER, XINYUAN, _register, ws  # noqa: F401

FIRST = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SECOND = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
LEAD = Actor("city", frozenset({Role.LEAD}), "lead-340200", "340200")


def _raise_rate_and_take_down_the_about_page(site: FakeSite) -> None:
    site.routes["/product/1"] = Page(
        html("<p>稳健一号：年化收益高达24%，保本保息，推荐好友再返1%。</p>", title="稳健一号")
    )
    del site.routes["/about"]


def _events(ws: Settings) -> list[PatrolEvent]:  # noqa: F811
    with open_store(ws) as store, store.read_session() as session:
        return list(session.scalars(sa.select(PatrolEvent).order_by(PatrolEvent.id)))


def test_a_raised_rate_and_a_takedown_are_events_of_the_operator(
    ws: Settings,  # noqa: F811
    platform: FakeSite,  # noqa: F811
) -> None:
    _register(ws, [XINYUAN, OTHER])
    first = run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: FIRST)
    assert first.events == first.events_on_entities == 4  # the first run: four new pages
    _raise_rate_and_take_down_the_about_page(platform)
    second = run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: SECOND)
    assert not second.operators[0].resolved  # the page that named the operator is gone …
    events = [e for e in _events(ws) if e.run_id == second.run_id]
    kinds = sorted((e.kind, (e.url or "").rsplit("/", 1)[-1]) for e in events)
    assert kinds == [
        ("page_changed", "1"),
        ("page_gone", "about"),
        ("page_gone", "old"),
        ("promise_raised", "1"),
    ]
    assert {e.subject_id for e in events} == {"e1"}  # … so the earlier run's operator holds
    raised = next(e for e in events if e.kind == "promise_raised")
    assert raised.summary_zh.startswith("宣传收益率由18%提高至24%")
    assert raised.detail["operator"]["method"] == "page_uscc"
    assert raised.at == SECOND


def test_recording_a_runs_events_again_changes_nothing(
    ws: Settings,  # noqa: F811
    platform: FakeSite,  # noqa: F811
) -> None:
    _register(ws, [XINYUAN, OTHER])
    run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: FIRST)
    _raise_rate_and_take_down_the_about_page(platform)
    second = run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: SECOND)
    before = [(e.id, e.kind, e.subject_id, e.at, e.detail) for e in _events(ws)]
    again = record_patrol_events(ws, second.run_id)
    assert [(e.id, e.kind, e.subject_id, e.at, e.detail) for e in _events(ws)] == before
    assert len(again) == second.events


def test_the_entity_page_timeline_shows_the_patrol_and_a_takedown_after_an_alert(
    ws: Settings,  # noqa: F811
    platform: FakeSite,  # noqa: F811
) -> None:
    _register(ws, [XINYUAN, OTHER])
    run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: FIRST)
    detect(ws, rule_ids=["SW-R-0001", "SW-R-0101", "SW-R-0102"], as_of=date(2026, 11, 20))
    score(ws, scorecard_ids=["SW-S-0001"], as_of=date(2026, 11, 20))
    del platform.routes["/"], platform.routes["/product/1"], platform.routes["/about"]
    run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: datetime.now(UTC))
    with open_store(ws) as store:
        page = entity_page(store, ws, LEAD, "e1")
        alert = page["alert"]
    timeline = [e for e in page["timeline"] if e["kind"].startswith("patrol.")]
    assert [e["kind"] for e in timeline].count("patrol.page_new") == 4
    assert [e["kind"] for e in timeline].count("patrol.page_gone") == 1  # the seed: no links
    (site_gone,) = [e for e in timeline if e["kind"] == "patrol.site_gone"]
    assert alert is not None  # its name and the first run's promises: orange, an alert
    assert site_gone["value"].startswith("Site gone: 鑫源财富")
    assert "after alert" in site_gone["value"] and "预警" in site_gone["value_zh"]
