"""In chromium: the tip inbox → a tip → acknowledge, reply, open a case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.tips_world import tip_file
from tests.api.world import IN, World
from tests.web.conftest import accessibility_problems
from tests.web.test_browser_work import _sign_in


@pytest.mark.browser
def test_an_officer_works_a_tip_from_the_inbox_into_a_case(
    served: tuple[str, World], page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    base, world = served
    tip_id, sha = tip_file(world, IN)
    _sign_in(page, base, "lead")
    page.click("nav.main-nav a[href='/tips']")
    page.wait_for_selector(f"tr[data-tip='{tip_id}']")
    assert accessibility_problems(page) == []
    screenshot(page, "tips-inbox")
    page.click(f"tr[data-tip='{tip_id}'] a[href='/tips/{tip_id}']")
    page.wait_for_url(f"{base}/tips/{tip_id}")
    assert page.get_attribute(f"a[href='/tips/{tip_id}/files/{sha}']", "download") is not None
    assert accessibility_problems(page) == []
    page.click("details[data-action=triage] button[type=submit]")
    page.wait_for_selector(".stage-line .badge[data-tip-status=triaged]")
    page.click("details[data-action=reply] summary")
    page.fill("#reply-note", "请补充您的转账凭证。")
    page.click("details[data-action=reply] button[type=submit]")
    page.wait_for_selector(".timeline li[data-action=reply]")
    assert "请补充您的转账凭证。" in page.inner_text(".timeline")
    page.click("details[data-action=convert] summary")
    page.click("details[data-action=convert] button[type=submit]")
    page.wait_for_selector(".stage-line .badge[data-tip-status=converted]")
    screenshot(page, "tip-converted")
    page.click(".stage-line a[href^='/cases/']")
    page.wait_for_url(f"{base}/cases/**")
    assert page.locator(f"a[href='/tips/{tip_id}']").count() == 1
