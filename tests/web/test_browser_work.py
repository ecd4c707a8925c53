"""In chromium: triage an alert into a case, move the case one stage, read the board and rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.world import PASSWORD, World
from tests.web.conftest import accessibility_problems


def _sign_in(page: Any, base: str, user: str) -> None:
    page.goto(base + "/login")
    page.fill("#user_id", user)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(base + "/overview")


@pytest.mark.browser
def test_an_alert_becomes_a_case_that_moves_one_stage(
    served: tuple[str, World], page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    base, _ = served
    _sign_in(page, base, "lead")
    page.click("nav.main-nav a[href='/alerts']")
    page.wait_for_selector("tr[data-alert]")
    assert accessibility_problems(page) == []
    screenshot(page, "alerts")
    row = page.locator("tr[data-alert]").first
    row.locator("button.ack").click()
    page.wait_for_selector("tr[data-alert] .ack:has-text('lead')")
    page.locator("tr[data-alert] button.open-case").first.click()
    page.wait_for_url(f"{base}/cases/**")
    assert page.get_attribute(".stage-line .badge.stage", "data-stage") == "clue"
    assert accessibility_problems(page) == []
    screenshot(page, "case-clue")
    page.fill("#verify-assignee", "officer")
    page.click("details[data-action=verify] button[type=submit]")
    page.wait_for_selector(".badge.stage[data-stage=verifying]")
    assert "开始核查" in page.inner_text(".timeline")
    screenshot(page, "case-verifying")
    page.click("nav.main-nav a[href='/cases']")
    page.wait_for_selector("section[data-stage=verifying] article.case-card")
    assert accessibility_problems(page) == []
    screenshot(page, "board")
    page.click("nav.main-nav a[href='/rules']")
    page.wait_for_selector("tr[data-rule='SW-R-0001']")
    assert accessibility_problems(page) == []
    screenshot(page, "rules")
    page.click(".lang-switch a[hreflang=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("h1") == "Rules and scorecards"


@pytest.mark.browser
@pytest.mark.allow_console_errors  # the refused request is logged by the browser as a 409
def test_a_refused_action_shows_the_servers_reason(served: tuple[str, World], page: Any) -> None:
    base, _ = served
    _sign_in(page, base, "lead")
    page.goto(base + "/alerts")
    page.locator("tr[data-alert] button.open-case").first.click()
    page.wait_for_url(f"{base}/cases/**")
    page.goto(base + "/alerts?status=all")
    page.locator("tr[data-alert] button.open-case").first.click()
    page.wait_for_selector("#flash")
    assert "already" in page.inner_text("#flash")


@pytest.mark.browser
def test_every_page_fits_a_wall_screen_and_passes_the_accessibility_basics(
    served: tuple[str, World], chromium: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    base, _ = served
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    wall = context.new_page()
    try:
        _sign_in(wall, base, "city")
        for path in (
            "/overview",
            "/watchlist",
            "/entities/ent-340202-1",
            "/alerts",
            "/cases",
            "/rules",
            "/runs",
        ):
            wall.goto(base + path)
            assert accessibility_problems(wall) == [], path
            screenshot(wall, "wall" + path.replace("/", "-"))
    finally:
        context.close()
