"""Two portal processes over one store share the rate limits and the used challenges."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from smokewatch.portal.app import create_portal_app
from smokewatch.portal.guard import solve
from smokewatch.portal.pages import PortalConfig
from smokewatch.store.orm_tips import TipLimitHit
from tests.portal.conftest import DESCRIPTION, Portal, hidden, make_portal

CONFIG = PortalConfig(pow_bits=2, submissions_per_ip=(2, 600.0))


def test_the_limit_of_an_address_holds_across_processes(tmp_path: Path) -> None:
    first, store, settings, _ = make_portal(tmp_path, CONFIG)
    second = create_portal_app(settings, store=store, config=CONFIG)
    with (
        TestClient(first, client=("203.0.113.7", 1)) as one,
        TestClient(second, client=("203.0.113.7", 2)) as two,
    ):
        statuses = [
            Portal(client, store, settings, {})
            .submit({"description": f"第{i}次：{DESCRIPTION}"})
            .status_code
            for i, client in enumerate((one, two, one, two))
        ]
        assert statuses == [200, 200, 429, 429]
        with store.unit_of_work() as session:
            keys = session.scalars(sa.select(TipLimitHit.key)).all()
        assert keys and not any("203.0.113.7" in key for key in keys)  # HMAC-ed, never the address
    store.dispose()


def test_a_challenge_used_by_one_process_is_refused_by_the_other(tmp_path: Path) -> None:
    first, store, settings, _ = make_portal(tmp_path, CONFIG)
    second = create_portal_app(settings, store=store, config=CONFIG)
    with TestClient(first) as one, TestClient(second) as two:
        form = one.get("/report").text
        token = hidden(form, "challenge")
        fields = {
            "challenge": token,
            "pow": str(solve(token, CONFIG.pow_bits)),
            "csrf_token": hidden(form, "csrf_token"),
            "consent": "yes",
            "target_name": "芜湖鑫源财富管理有限公司",
            "description": DESCRIPTION,
        }
        assert one.post("/report", data=fields).status_code == 200
        two.cookies.update(one.cookies)  # the same visitor, so the CSRF token holds
        replay = two.post("/report", data=fields)
        assert replay.status_code == 422
    store.dispose()
