"""The demo's patrol: two runs over the fixture site, its changes, and the planted page cases.

The workspace holds a small city whose only planted case is the site's operator (the demo's
``patrol_operator`` planter), ingested before the patrol, as ``demo init`` does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from smokewatch.demo import FunctionPlanter, write_demo_sources
from smokewatch.demo.patrol_site import OPERATOR, OPERATOR_USCC
from smokewatch.demo.planters.patrol import plant_patrol_operator
from smokewatch.services.demo import check_planted
from smokewatch.services.demo_patrol import DemoPatrol, demo_patrol
from smokewatch.services.detect import detect
from smokewatch.services.ingest import ingest
from smokewatch.services.patrol import verify_patrol_run
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import Settings, load_settings

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, DemoPatrol, Path]:
    root = tmp_path_factory.mktemp("demo-patrol") / "ws"
    init_workspace(root, title="演示", adcode="340200", as_of=AS_OF)
    planter = FunctionPlanter("patrol_operator", plant_patrol_operator)
    manifest = write_demo_sources(root, enterprises=300, as_of=AS_OF, planters=[planter])
    settings = load_settings(root)
    ingest(settings)
    planted = manifest.planted_file
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


def test_the_rules_meet_every_planted_page_case_and_the_operators_case(
    ran: tuple[Settings, DemoPatrol, Path],
) -> None:
    settings, _, planted = ran
    run = detect(settings, as_of=AS_OF)
    check = check_planted(settings, planted, run.run_id)
    assert check.misses == ()
    assert check.unexpected == 0
    by_rule = {r.rule_id: (r.caught, r.expected_hits) for r in check.rules}
    assert by_rule["SW-R-0101"] == by_rule["SW-R-0102"] == (2, 2)  # the two products
    assert by_rule["SW-R-0002"] == (1, 1)  # 财富管理咨询 in the operator's scope


def test_the_registered_operator_is_resolved_by_the_uscc_its_pages_show(
    ran: tuple[Settings, DemoPatrol, Path],
) -> None:
    _, patrol, _ = ran
    (operator,) = patrol.after.operators
    assert operator.resolved and operator.entity is not None
    assert (operator.entity.uscc, operator.entity.name) == (OPERATOR_USCC, OPERATOR)
    assert operator.method == "page_uscc"
    # changed ×3, the raised rate ×2 (the product and the old link to it), new, gone — all on
    # the operator's timeline
    assert patrol.after.events == patrol.after.events_on_entities == 7
