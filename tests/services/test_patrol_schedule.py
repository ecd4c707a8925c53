"""Scheduled patrols: what is due, and ``run --due`` running it (failures reported, not fatal)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from smokewatch.services.patrol import run_patrol
from smokewatch.services.patrol_schedule import patrols_due, run_due
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import Settings, load_settings
from tests.patrol.site import FakeClock, FakeSite, Page, html, serve

SECRET = b"test workspace key"


@pytest.fixture
def site() -> Iterator[FakeSite]:
    fake = FakeSite()
    fake.routes["/"] = Page(html("<p>年化收益高达18%</p>", title="鑫源财富"))
    with serve(fake) as served:
        yield served


def write_spec(root: Path, patrol_id: str, site: FakeSite, **extra: Any) -> None:
    spec = {
        "id": patrol_id,
        "title": patrol_id,
        "sites": [{"name": patrol_id, "seeds": [site.url("/")], "min_interval_s": 0}],
        "fetch": {"retries": 0},
        **extra,
    }
    (root / "patrol" / f"{patrol_id}.yml").write_text(json.dumps(spec), encoding="utf-8")


@pytest.fixture
def ws(tmp_path: Path, site: FakeSite) -> Settings:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200", as_of=date(2026, 11, 1))
    (root / "patrol").mkdir()
    write_spec(root, "daily", site, schedule={"every_hours": 24})
    write_spec(root, "manual", site)
    return load_settings(root)


def due_now(ws: Settings, now: datetime) -> dict[str, bool]:
    return {d.patrol_id: d.due for d in patrols_due(ws, now=now)}


def test_a_scheduled_patrol_that_never_ran_is_due_and_one_without_a_schedule_never(
    ws: Settings,
) -> None:
    assert due_now(ws, datetime.now(UTC)) == {"daily": True, "manual": False}


def test_a_patrol_is_due_again_its_interval_after_its_last_successful_run(ws: Settings) -> None:
    summary = run_patrol(ws, "daily", clock=FakeClock(), secret=SECRET)
    (daily, _) = patrols_due(ws)
    assert daily.last_run == summary.run_id
    assert daily.last_finished_at is not None and daily.due_at is not None
    assert daily.due_at - daily.last_finished_at == timedelta(hours=24)
    assert due_now(ws, daily.due_at - timedelta(minutes=1))["daily"] is False
    assert due_now(ws, daily.due_at)["daily"] is True


def test_run_due_runs_what_is_due_and_reports_a_failure_without_stopping(
    ws: Settings, site: FakeSite
) -> None:
    broken = {"chromium": "/nonexistent/chromium"}
    write_spec(ws.workspace, "apps", site, schedule={"every_hours": 1}, render=broken)
    spec_path = ws.workspace / "patrol" / "apps.yml"
    spec = json.loads(spec_path.read_text("utf-8"))
    spec["sites"][0]["render"] = True
    spec_path.write_text(json.dumps(spec), "utf-8")
    result = run_due(ws, clock=FakeClock(), secret=SECRET)
    assert [s.patrol_id for s in result.ran] == ["daily"]
    assert [(p, "chromium at /nonexistent/chromium" in e) for p, e in result.failed] == [
        ("apps", True)
    ]
    assert [d.patrol_id for d in result.not_due] == ["manual"]
    again = run_due(ws, clock=FakeClock(), secret=SECRET)
    assert (again.ran, [p for p, _ in again.failed]) == ((), ["apps"])  # daily is not due
