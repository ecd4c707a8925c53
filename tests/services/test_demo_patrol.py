"""The demo's patrol: two runs over the fixture site, its changes, and the planted page cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from smokewatch.services.demo import check_planted
from smokewatch.services.demo_patrol import DemoPatrol, demo_patrol
from smokewatch.services.detect import detect
from smokewatch.services.patrol import verify_patrol_run
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import Settings, load_settings

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, DemoPatrol, Path]:
    root = tmp_path_factory.mktemp("demo-patrol") / "ws"
    init_workspace(root, title="演示", adcode="340200", as_of=AS_OF)
    planted = root / "planted.jsonl"
    planted.write_text("", encoding="utf-8")
    settings = load_settings(root)
    return settings, demo_patrol(settings, root, planted, AS_OF), planted


def test_the_second_run_sees_a_raised_rate_a_new_product_and_a_takedown(
    ran: tuple[Settings, DemoPatrol, Path],
) -> None:
    _, patrol, _ = ran
    changes = {c.url.removeprefix(patrol.base): c for c in patrol.after.changes.changes}
    assert {path: c.change for path, c in changes.items()} == {
        "/products/wenying-1": "changed",
        "/old-products": "changed",  # it redirects to /products/wenying-1
        "/products/wenying-2": "new",
        "/notice": "gone",
        "/": "changed",  # the home page links the new product
    }
    assert any("24%" in line for line in changes["/products/wenying-1"].added)
    assert patrol.before.refused == patrol.after.refused == 1  # /admin/ in robots.txt


def test_both_runs_are_intact_and_the_about_page_yields_the_operators_contacts(
    ran: tuple[Settings, DemoPatrol, Path],
) -> None:
    settings, patrol, _ = ran
    for summary in (patrol.before, patrol.after):
        assert verify_patrol_run(settings, summary.run_id).intact
    assert patrol.after.facts >= 5


def test_the_text_rules_meet_every_planted_page_case(
    ran: tuple[Settings, DemoPatrol, Path],
) -> None:
    settings, _, planted = ran
    run = detect(settings, as_of=AS_OF, rule_ids=["SW-R-0101", "SW-R-0102", "SW-R-0103"])
    check = check_planted(settings, planted, run.run_id)
    assert check.misses == ()
    assert check.unexpected == 0
    assert (check.caught, check.expected_hits) == (4, 4)  # two products × rate and guarantee
