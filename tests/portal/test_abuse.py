"""Abuse resistance: challenge, rate limits, size limits, CSRF, headers; XSS rendered harmless."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from markupsafe import escape

from smokewatch.portal.guard import Challenges, RateLimiter, solve
from smokewatch.portal.pages import Guards, PortalConfig
from smokewatch.services import public_warnings
from smokewatch.store.orm_tips import Tip, TipAttachment
from tests.api.world import ROOT
from tests.portal.conftest import Portal, hidden, make_portal, tracking_code
from tests.portal.files import png

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{7*7}}{% raw %}",
    "' onmouseover='alert(1)",
]


def _count(portal: Portal) -> int:
    with portal.store.unit_of_work() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(Tip)) or 0)


def test_a_form_without_the_solved_challenge_stores_nothing(portal: Portal) -> None:
    answer = portal.submit({"pow": "", "answer": "999"})
    assert answer.status_code == 422 and 'role="alert"' in answer.text
    assert _count(portal) == 0


def test_the_question_answers_the_challenge_without_javascript(portal: Portal) -> None:
    form = portal.page("/report").text
    token = hidden(form, "challenge")
    challenges = _guards(portal).challenges
    answer = str(challenges.question(token).answer)
    sent = portal.submit(
        {"challenge": token, "csrf_token": hidden(form, "csrf_token"), "pow": "", "answer": answer}
    )
    assert sent.status_code == 200 and tracking_code(sent.text)


def test_a_challenge_is_used_once(portal: Portal) -> None:
    form = portal.page("/report").text
    token = hidden(form, "challenge")
    fields = {
        "challenge": token,
        "pow": str(solve(token, 4)),
        "csrf_token": hidden(form, "csrf_token"),
    }
    assert portal.submit(fields).status_code == 200
    assert (
        portal.submit(
            {**fields, "description": "另一段不同的描述，承诺每月返利百分之五。"}
        ).status_code
        == 422
    )
    assert _count(portal) == 1


def test_signed_challenges_cannot_be_forged_or_reused_after_they_expire() -> None:
    challenges = Challenges(b"k" * 32, bits=4)
    token = challenges.issue(now=1_000_000)
    counter = str(solve(token, 4))
    forged = token.replace(".4.", ".0.")
    assert challenges.verify(forged, "0", None, now=1_000_001) == "invalid challenge"
    assert challenges.verify(token, counter, None, now=1_000_000 + 3 * 3600) == "challenge expired"
    assert challenges.verify(token, counter, None, now=1_000_010) is None


def test_submissions_are_limited_per_address(tmp_path: Path) -> None:
    app, store, _, _ = make_portal(
        tmp_path, PortalConfig(pow_bits=2, submissions_per_ip=(2, 600.0))
    )
    with TestClient(app) as client:
        portal = Portal(client, store, None, {})  # type: ignore[arg-type]
        statuses = [
            portal.submit(
                {"description": f"第{i}次：承诺年化{20 + i}%，保本保息，拉人头返佣金，无法提现。"}
            ).status_code
            for i in range(3)
        ]
        assert statuses == [200, 200, 429]
        refused = portal.submit()
        assert int(refused.headers["retry-after"]) > 500
    store.dispose()


def test_look_ups_are_limited_per_tracking_code(tmp_path: Path) -> None:
    config = PortalConfig(pow_bits=2, per_code=(3, 3600.0), lookups_per_ip=(100, 600.0))
    app, store, _, _ = make_portal(tmp_path, config)
    with TestClient(app) as client:
        portal = Portal(client, store, None, {})  # type: ignore[arg-type]
        code = tracking_code(portal.submit().text)
        token = hidden(portal.page("/track").text, "csrf_token")
        guesses = [
            client.post("/track", data={"code": code, "csrf_token": token}).status_code
            for _ in range(4)
        ]
        assert guesses == [200, 200, 200, 429]
        assert client.post("/api/track", json={"code": code.lower()}).status_code == 429
    store.dispose()


def test_the_sliding_window_lets_requests_through_again() -> None:
    limiter = RateLimiter(2, 10.0)
    assert [limiter.hit("a", now=t) for t in (0, 1)] == [None, None]
    assert limiter.hit("a", now=2) == pytest.approx(8.0)
    assert limiter.hit("b", now=2) is None
    assert limiter.hit("a", now=10.5) is None


def test_requests_over_the_size_limit_are_refused_before_parsing(tmp_path: Path) -> None:
    app, store, _, _ = make_portal(tmp_path, PortalConfig(pow_bits=2, max_body_bytes=10_000))
    with TestClient(app) as client:
        portal = Portal(client, store, None, {})  # type: ignore[arg-type]
        answer = portal.submit(
            files=[("files", ("big.png", png() + b"\x00" * 20_000, "image/png"))]
        )
        assert answer.status_code == 413
        streamed = client.post(
            "/report",
            content=iter([b"a=" + b"x" * 6000, b"x" * 6000]),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert streamed.status_code == 413
    assert _count(portal) == 0
    store.dispose()


def test_a_refused_file_keeps_the_form_and_stores_nothing(portal: Portal) -> None:
    answer = portal.submit(files=[("files", ("evil.png", b"<svg onload=alert(1)>", "image/png"))])
    assert answer.status_code == 422 and "evil.png" in answer.text
    assert _count(portal) == 0
    folder = portal.settings.workspace / "tips"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_accepted_files_are_kept_by_hash_and_listed_for_officers(portal: Portal) -> None:
    answer = portal.submit(files=[("files", ("../../收据.png", png(), "text/html"))])
    assert answer.status_code == 200
    with portal.store.unit_of_work() as session:
        stored = session.scalars(sa.select(TipAttachment)).one()
        assert (stored.original_name, stored.media_type) == ("收据.png", "image/png")
    assert (portal.settings.workspace / "tips" / stored.sha256[:2] / stored.sha256).is_file()


def test_every_page_carries_the_strict_security_headers(portal: Portal) -> None:
    for path in ("/", "/report", "/track", "/warnings", "/api/warnings", "/feeds/warnings.rss"):
        headers = portal.page(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert portal.page("/report").headers["cache-control"] == "no-store"
    assert "httponly" in portal.page("/").headers.get("set-cookie", "httponly").lower()


def test_pages_have_no_inline_script_or_style(portal: Portal) -> None:
    for path in ("/", "/report", "/track", "/warnings"):
        html = portal.page(path).text
        assert "<script>" not in html and " style=" not in html and "onload=" not in html, path


def _harmless(text: str, payload: str) -> None:
    """The payload is in the page only as escaped text."""
    assert str(escape(payload)) in text
    if any(c in payload for c in "<>\"'"):
        assert payload not in text


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_are_rendered_as_text_everywhere_they_come_back(
    portal: Portal, payload: str
) -> None:
    story = payload + "，承诺年化20%保本保息，拉人头返佣金，现在无法提现。"
    refused = portal.submit({"target_name": payload, "description": story, "consent": ""})
    assert refused.status_code == 422
    _harmless(refused.text, payload)
    code = tracking_code(portal.submit({"target_name": payload, "description": story}).text)
    token = hidden(portal.page("/track").text, "csrf_token")
    _harmless(portal.client.post("/track", data={"code": code, "csrf_token": token}).text, payload)
    drafted = public_warnings.draft(
        portal.store,
        ROOT,
        title=payload,
        body=payload,
        issuing_agency="镜湖区金融办",
        adcode="340202",
        about=payload,
    )
    public_warnings.approve(portal.store, ROOT, str(drafted["id"]))
    _harmless(portal.page("/warnings").text, payload)
    _harmless(portal.page(f"/warnings/{drafted['id']}").text, payload)
    rss = portal.page("/feeds/warnings.rss").text
    assert xml_escape(payload) in rss and ("<" not in payload or payload not in rss)
    assert portal.page("/api/warnings").json()["items"][0]["title"] == payload


def _guards(portal: Portal) -> Guards:
    app = portal.client.app
    while not hasattr(app, "state"):
        app = app.app  # type: ignore[attr-defined]
    found: Guards = app.state.guards  # type: ignore[attr-defined]
    return found


def test_error_pages_speak_to_the_public_in_its_language(portal: Portal) -> None:
    missing = portal.page("/warnings/W-19990101-001")
    assert missing.status_code == 404 and "该页面或内容不存在。" in missing.text
    assert "no warning" not in missing.text
    english = portal.page("/warnings/W-19990101-001", headers={"accept-language": "en"})
    assert "This page or item does not exist." in english.text
