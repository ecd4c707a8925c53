"""The dashboard in a real chromium: sign in, read the overview, switch language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.world import PASSWORD, World


@pytest.mark.browser
def test_a_lead_signs_in_reads_the_overview_and_switches_to_english(
    served: tuple[str, World], page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    base, _ = served
    page.goto(base + "/")
    assert page.url.startswith(base + "/login")
    screenshot(page, "login")
    page.fill("#user_id", "lead")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/overview")
    assert page.inner_text("h1") == "总览"
    assert page.inner_text('[data-grade="red"]') == "1"
    screenshot(page, "overview-zh")
    page.click(".lang-switch a[hreflang=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("h1") == "Overview"
    screenshot(page, "overview-en")
    page.click(".signout button")
    page.wait_for_url(base + "/login")


@pytest.mark.browser
def test_a_lead_drills_into_the_map_and_reads_a_red_entitys_reasons(
    served: tuple[str, World], page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    base, _ = served
    page.goto(base + "/login")
    page.fill("#user_id", "city")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/overview")
    page.wait_for_selector('[data-map-code="340000"]')  # the province, drawn from centroids
    assert int(page.get_attribute("[data-map]", "data-map-regions")) >= 10
    screenshot(page, "overview-province")
    page.click('button[data-drill="340200"]')
    page.wait_for_selector('[data-map-code="340200"]')
    assert "芜湖市" in page.inner_text("[data-map-trail]")
    jinghu = page.locator("[data-map-table] tbody tr", has_text="镜湖区")
    assert jinghu.locator("td").nth(1).inner_text() == "1"  # one red entity
    screenshot(page, "overview-city")
    page.set_viewport_size({"width": 1920, "height": 1080})  # the wall screen
    page.wait_for_timeout(300)  # charts resize on the window's resize event
    screenshot(page, "overview-wall")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.click(".card a[href^='/entities/']")
    page.wait_for_selector("[data-entity-grade=red]")
    assert "名称含“财富管理”" in page.inner_text(".reasons")
    page.wait_for_selector("[data-graph-nodes='0']")  # no graph built: it says why
    screenshot(page, "entity-zh")
    page.click(".lang-switch a[hreflang=en]")
    page.wait_for_selector("html[lang=en]")
    assert "Why this index" in page.inner_text("#reasons-title")
    assert "Name contains 财富管理" in page.inner_text(".reasons")
    screenshot(page, "entity-en")


@pytest.mark.browser
def test_an_analyst_searches_the_watch_list_by_pinyin_initials(
    served: tuple[str, World], page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    base, _ = served
    page.goto(base + "/login?next=/watchlist")
    page.fill("#user_id", "lead")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/watchlist")
    page.fill("#q", "cfgl")
    page.press("#q", "Enter")
    page.wait_for_url("**/watchlist?q=cfgl**")
    page.wait_for_selector('[data-total="1"]')
    assert "拼音首字母" in page.inner_text("#results")
    screenshot(page, "watchlist")


@pytest.mark.browser
def test_the_three_drops_panel_draws_its_chart(
    served: tuple[str, World], page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    from tests.services.test_sector_trends import _months  # noqa: PLC0415

    base, world = served
    _months(
        world,
        "online_lending",
        [("2026-08", 9, 9e8, 900, 300), ("2026-09", 8, 8e8, 800, 250), ("2026-10", 6, 7e8, 700, 2)],
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "/login")
    page.fill("#user_id", "lead")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/overview")
    page.wait_for_selector("[data-declines] canvas")
    assert page.inner_text('[data-figure="three-drops"]') == "2 个月"
    screenshot(page, "overview-three-drops")
    assert errors == []
