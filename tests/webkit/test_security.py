"""Every browser response carries the security headers; CSRF tokens bind to their session."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from smokewatch.webkit import security
from smokewatch.webkit.templating import static_directory


def _page(_: Request) -> Response:
    return HTMLResponse("<p>hi</p>")


def _data(_: Request) -> Response:
    return JSONResponse({"ok": True}, headers={"X-Frame-Options": "SAMEORIGIN"})


def _client() -> TestClient:
    app = Starlette(routes=[Route("/page", _page), Route("/data", _data)])
    return TestClient(security.SecurityHeaders(app))


def test_html_gets_a_strict_policy_and_is_not_cached() -> None:
    response = _client().get("/page")
    assert response.headers["content-security-policy"] == security.CSP
    assert "script-src 'self'" in security.CSP and "unsafe-inline" not in security.CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


def test_a_header_set_by_the_route_is_kept() -> None:
    response = _client().get("/data")
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert "cache-control" not in response.headers


def test_csrf_tokens_are_bound_to_their_session_and_key() -> None:
    key = security.new_secret()
    token = security.csrf_token(key, "session-1")
    assert security.csrf_valid(key, "session-1", token)
    assert not security.csrf_valid(key, "session-2", token)
    assert not security.csrf_valid(security.new_secret(), "session-1", token)
    assert not security.csrf_valid(key, "session-1", None)
    assert not security.csrf_valid(key, "", security.csrf_token(key, ""))


def test_vendored_javascript_matches_the_hashes_in_vendor_md() -> None:
    vendor = Path(static_directory()) / "vendor"
    table = (vendor / "VENDOR.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\S+\.js) \|.*\| ([0-9a-f]{64}) \|$", table, flags=re.MULTILINE)
    assert {name for name, _ in rows} == {"echarts.min.js", "htmx.min.js"}
    for name, digest in rows:
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
