"""Signing in to the dashboard: sessions in cookies, CSRF on every form, role-aware pages."""

from __future__ import annotations

from tests.api.world import World
from tests.web.conftest import csrf_of, sign_in


def test_the_dashboard_opens_on_the_overview_and_asks_to_sign_in(web: World) -> None:
    assert web.client.get("/").headers["location"] == "/overview"
    response = web.client.get("/overview?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Foverview%3Fx%3D1"


def test_the_sign_in_page_is_chinese_by_default_and_english_on_request(web: World) -> None:
    page = web.client.get("/login")
    assert '<html lang="zh-CN">' in page.text and "登录" in page.text
    english = web.client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in english.text and "Sign in" in english.text
    chosen = web.client.get("/login?lang=en")
    assert "lang=en" in chosen.headers["set-cookie"]
    assert '<html lang="en">' in web.client.get("/login").text  # the cookie remembers it


def test_signing_in_needs_the_form_token(web: World) -> None:
    web.client.get("/login")
    refused = web.client.post("/login", data={"user_id": "lead", "password": "x" * 20})
    assert refused.status_code == 403
    forged = web.client.post(
        "/login", data={"user_id": "lead", "password": "x" * 20, "csrf_token": "0" * 64}
    )
    assert forged.status_code == 403


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(web: World) -> None:
    response = sign_in(web.client, "lead", "wrong password!!")
    assert response.status_code == 401
    assert "用户或密码错误" in response.text
    assert "sw_session" not in response.headers.get("set-cookie", "")


def test_signing_in_opens_a_session_and_goes_where_the_user_was_heading(web: World) -> None:
    page = web.client.get("/login?next=/overview%3Fx%3D1")
    response = web.client.post(
        "/login",
        data={
            "user_id": "lead",
            "password": "long enough password",
            "next": "/overview?x=1",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/overview?x=1"
    cookie = response.headers["set-cookie"]
    assert "sw_session=swt_" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_sign_in_never_redirects_off_site(web: World) -> None:
    page = web.client.get("/login")
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = web.client.post(
            "/login",
            data={
                "user_id": "lead",
                "password": "long enough password",
                "next": target,
                "csrf_token": csrf_of(page.text),
            },
        )
        assert response.headers["location"] == "/overview", target
        web.client.cookies.clear()
        page = web.client.get("/login")


def test_a_lead_sees_the_grades_of_its_territory(web: World) -> None:
    sign_in(web.client, "lead")
    page = web.client.get("/overview")
    assert page.status_code == 200
    assert 'data-grade="red">1<' in page.text and 'data-grade="blue">1<' in page.text
    assert 'href="/runs"' in page.text  # leads see the runs


def test_a_neighbouring_county_sees_none_of_it(web: World) -> None:
    sign_in(web.client, "jiujiang")
    page = web.client.get("/overview")
    assert 'data-grade="red">0<' in page.text


def test_the_police_work_on_cases_only(web: World) -> None:
    sign_in(web.client, "police")
    page = web.client.get("/overview")
    assert page.status_code == 200
    assert 'href="/alerts"' not in page.text and 'href="/cases"' in page.text
    assert "data-grade" not in page.text


def test_signing_out_ends_the_session(web: World) -> None:
    sign_in(web.client, "lead")
    overview = web.client.get("/overview")
    assert overview.status_code == 200
    out = web.client.post("/logout", data={"csrf_token": csrf_of(overview.text)})
    assert out.headers["location"] == "/login"
    web.client.cookies.clear()
    assert web.client.get("/overview").status_code == 303


def test_pages_carry_the_strict_policy_and_the_api_docs_still_work(web: World) -> None:
    page = web.client.get("/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    docs = web.client.get("/docs")
    assert docs.status_code == 200 and "content-security-policy" not in docs.headers
    assert web.client.get("/api/v1/health").status_code == 200


def test_static_files_come_from_the_package(web: World) -> None:
    assert web.client.get("/static/vendor/echarts.min.js").status_code == 200
    assert web.client.get("/static/web/app.css").status_code == 200
    assert web.client.get("/static/../pages.py").status_code == 404
