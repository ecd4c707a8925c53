"""In chromium, on the demo: an entity page draws its planted company family and expands it.

The demo publishes the graph's read model to the store during ``demo init`` (``graph build``);
the dashboard reads it there. The layered family (a controller → holdings → operating
companies) is planted with its truth in ``demo/families.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from smokewatch.cli.server import create_server_app
from smokewatch.services.demo import init_demo
from smokewatch.services.demo_cases import DEMO_USERS
from smokewatch.services.workspace import open_engine, open_store
from smokewatch.settings import Settings, load_settings
from tests.web.conftest import accessibility_problems

CITY_LEAD = next(u for u in DEMO_USERS if u.id == "wuhu.lead")


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A small demo city (the whole pipeline, the graph published), once for this module."""
    summary = init_demo(tmp_path_factory.mktemp("graph-demo") / "demo", enterprises=400)
    return load_settings(summary.workspace)


def _layered_member(settings: Settings) -> tuple[str, dict[str, Any]]:
    """The layered family's lowest company (never scored: the graph places it) and the truth."""
    lines = (settings.workspace / "demo" / "families.jsonl").read_text(encoding="utf-8")
    planted = next(
        f for f in map(json.loads, lines.splitlines()) if f["family"] == "family.layered"
    )
    with open_engine(settings) as engine:
        rows = engine.to_arrow(engine.table("enterprise").select("uscc", "id")).to_pylist()
    record_of = {r["uscc"]: r["id"] for r in rows}
    controller = planted["controller"]
    deepest = min(  # the controller's share shrinks down the layers
        planted["members"],
        key=lambda u: planted["ubo"][u].get(controller, 1.0),
    )
    return record_of[deepest], {**planted, "share": planted["ubo"][deepest][controller]}


@pytest.fixture
def demo_server(demo_settings: Settings, live_server: Any) -> Iterator[str]:
    with open_store(demo_settings) as store:
        yield live_server(create_server_app(demo_settings, store=store))


@pytest.mark.browser
def test_the_demos_layered_family_is_drawn_penetrated_and_expanded(
    demo_settings: Settings,
    demo_server: str,
    page: Any,
    screenshot: Callable[[Any, str], Path],
) -> None:
    record, planted = _layered_member(demo_settings)
    page.goto(f"{demo_server}/login?next=/entities/{record}")
    page.fill("#user_id", CITY_LEAD.id)
    page.fill("#password", CITY_LEAD.password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{demo_server}/entities/{record}")
    page.wait_for_selector("[data-graph-nodes]:not([data-graph-nodes='0'])")
    assert int(page.get_attribute(".chart-graph", "data-graph-edges")) >= 1
    assert "持股" in page.inner_text("[data-graph-legend]")
    owners = page.inner_text("[data-ownership]")
    assert planted["controller"] in owners and f"{planted['share'] * 100:.2f}%" in owners
    assert accessibility_problems(page) == []
    screenshot(page, "entity-family")
    page.click("details.graph-nodes summary")
    before = int(page.get_attribute(".chart-graph", "data-graph-nodes"))
    buttons = page.locator("button[data-expand]:not([disabled])")
    for index in range(buttons.count()):
        expanded = int(page.get_attribute(".chart-graph", "data-graph-expanded"))
        page.locator("button[data-expand]:not([disabled])").first.click()
        page.wait_for_selector(f".chart-graph[data-graph-expanded='{expanded + 1}']")
        if int(page.get_attribute(".chart-graph", "data-graph-nodes")) > before or index > 12:
            break
    after = int(page.get_attribute(".chart-graph", "data-graph-nodes"))
    assert after > before
    assert page.locator("[data-graph-table] tbody tr").count() == after
    assert "新增" in page.inner_text("[data-graph-note]")
    screenshot(page, "entity-family-expanded")
