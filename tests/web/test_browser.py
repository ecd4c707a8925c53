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
