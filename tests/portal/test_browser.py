"""The portal in a real chromium on a phone: report, keep the code, track, switch language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from smokewatch.store.db import Store
from smokewatch.store.orm_tips import Tip, TipAttachment
from tests.portal.conftest import make_portal
from tests.portal.files import png


@pytest.fixture
def served(tmp_path: Path, live_server: Any) -> Iterator[tuple[str, Store]]:
    """The portal on a loopback port (proof of work at the test difficulty)."""
    app, store, _, _ = make_portal(tmp_path)
    yield live_server(app), store
    store.dispose()


@pytest.fixture
def phone(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A phone-sized page (390x844, touch, zh-CN); console errors fail the test."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, f"the browser console reported errors: {errors}"


@pytest.mark.browser
def test_a_reporter_on_a_phone_reports_keeps_the_code_and_tracks_the_tip(
    served: tuple[str, Store], phone: Any, screenshot: Callable[[Any, str], Path], tmp_path: Path
) -> None:
    base, store = served
    evidence = tmp_path / "收据.png"
    evidence.write_bytes(png())
    phone.goto(base + "/report")
    assert phone.inner_text("h1") == "非法金融活动举报"
    phone.fill("#target_name", "芜湖鑫源财富管理有限公司")
    phone.fill("#target_address", "安徽省芜湖市镜湖区中山路8号")
    phone.fill("#description", "业务员说年化18%，保本保息，介绍朋友投资还有返佣金。现在无法提现。")
    phone.fill("#amount", "50000")
    phone.select_option("#learnt_via", "acquaintance")
    phone.set_input_files("#files", str(evidence))
    phone.check("input[name=consent]")
    phone.wait_for_selector("form[data-pow-solved=true]")  # the proof of work, done by pow.js
    assert not phone.is_visible("#answer")
    screenshot(phone, "form-zh")
    phone.click("button[type=submit]")
    phone.wait_for_selector("#tracking-code")
    code = phone.inner_text("#tracking-code")
    screenshot(phone, "code-zh")
    with store.unit_of_work() as session:
        tip = session.scalars(sa.select(Tip)).one()
        assert (tip.adcode, tip.agency_id, tip.learnt_via) == (
            "340202",
            "lead-340202",
            "acquaintance",
        )
        assert session.scalars(sa.select(TipAttachment.original_name)).all() == ["收据.png"]
    phone.goto(base + "/track")
    phone.fill("#code", code.lower())
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-status]")
    assert phone.get_attribute("[data-status]", "data-status") == "received"
    phone.fill("#more", "他们还在微信群“鑫源财富VIP群”里继续拉人。")
    phone.wait_for_selector("form[data-pow-solved=true]")
    phone.click("form[action='/track/more'] button[type=submit]")
    phone.wait_for_selector("p.ok")
    screenshot(phone, "status-zh")
    phone.click(".lang-switch a[hreflang=en]")
    phone.wait_for_selector("html[lang=en]")
    assert phone.inner_text("h1") == "Track my report"
    screenshot(phone, "track-en")
