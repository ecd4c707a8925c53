"""The alerts inbox: what each role sees, and acknowledging, snoozing, closing, opening a case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.world import World, entity
from tests.web.conftest import csrf_of, sign_in

HTMX = {"HX-Request": "true"}


def _inbox(web: World, query: str = "") -> str:
    page = web.client.get("/alerts" + query)
    assert page.status_code == 200, page.text
    return page.text


def test_the_inbox_lists_the_alerts_of_the_territory_with_their_reason(web: World) -> None:
    sign_in(web.client, "lead")
    html = _inbox(web)
    assert html.count('data-alert="al-ent-340202-') == 2
    assert "名称含“财富管理”" in html
    assert 'href="/entities/ent-340202-1"' in html


def test_filters_narrow_by_grade(web: World) -> None:
    sign_in(web.client, "lead")
    html = _inbox(web, "?grade=red")
    assert html.count("data-alert=") == 1 and 'class="badge grade-red"' in html


def test_a_neighbouring_county_and_the_police_see_nothing_here(web: World) -> None:
    sign_in(web.client, "jiujiang")
    assert "data-alert=" not in _inbox(web)
    web.client.cookies.clear()
    sign_in(web.client, "police")
    assert web.client.get("/alerts").status_code == 403


def test_a_viewer_reads_but_has_no_buttons(web: World) -> None:
    sign_in(web.client, "viewer")
    html = _inbox(web)
    assert "data-alert=" in html and "/acknowledge" not in html


def test_acknowledging_returns_the_updated_row_for_htmx(web: World) -> None:
    sign_in(web.client, "lead")
    token = csrf_of(_inbox(web))
    row = web.client.post(
        "/alerts/al-ent-340202-1/acknowledge", headers={**HTMX, "X-CSRF-Token": token}
    )
    assert row.status_code == 200
    assert row.text.lstrip().startswith("<tr") and "✓ lead" in row.text
    assert "/acknowledge" not in row.text  # nothing left to acknowledge


def test_actions_need_the_page_token(web: World) -> None:
    sign_in(web.client, "lead")
    refused = web.client.post("/alerts/al-ent-340202-1/acknowledge", headers=HTMX)
    assert refused.status_code == 403


def test_snoozing_needs_a_future_day_and_a_reason(web: World) -> None:
    sign_in(web.client, "lead")
    token = csrf_of(_inbox(web))
    headers = {**HTMX, "X-CSRF-Token": token}
    past = web.client.post(
        "/alerts/al-ent-340202-1/snooze",
        data={"until": "2020-01-01", "reason": "waiting for the bank"},
        headers=headers,
    )
    assert past.status_code == 422 and "future" in past.text
    tomorrow = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    ok = web.client.post(
        "/alerts/al-ent-340202-1/snooze",
        data={"until": tomorrow, "reason": "waiting for the bank"},
        headers=headers,
    )
    assert ok.status_code == 200 and 'data-status="snoozed"' in ok.text


def test_closing_without_javascript_goes_back_to_the_inbox(web: World) -> None:
    sign_in(web.client, "lead")
    token = csrf_of(_inbox(web))
    done = web.client.post(
        "/alerts/al-ent-340202-2/close",
        data={"reason": "licensed institution", "csrf_token": token},
    )
    assert done.status_code == 303
    assert "al-ent-340202-2" not in _inbox(web)
    assert 'data-alert="al-ent-340202-2"' in _inbox(web, "?status=closed")


def test_opening_a_case_from_an_alert_leads_to_the_case(web: World) -> None:
    sign_in(web.client, "lead")
    token = csrf_of(_inbox(web))
    opened = web.client.post(
        "/alerts/al-ent-340202-1/case", headers={**HTMX, "X-CSRF-Token": token}
    )
    assert opened.status_code == 204
    target = opened.headers["HX-Redirect"]
    assert target.startswith("/cases/")
    case = web.client.get(target)
    assert case.status_code == 200 and "芜湖ent-340202-1财富管理有限公司" in case.text
    again = web.client.post("/alerts/al-ent-340202-1/case", headers={**HTMX, "X-CSRF-Token": token})
    assert again.status_code == 409 and "already" in again.text


def test_a_hostile_name_is_shown_as_text(web: World) -> None:
    subject = entity(web, "340202")
    with web.store.unit_of_work() as session:
        from smokewatch.store.orm import Alert  # noqa: PLC0415

        alert = session.get(Alert, f"al-{subject}")
        assert alert is not None
        alert.subject_name = '<script>alert("x")</script>'
    sign_in(web.client, "lead")
    html = _inbox(web)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_an_alert_is_assigned_and_found_under_assigned_to_me(web: World) -> None:
    sign_in(web.client, "lead")
    token = csrf_of(_inbox(web))
    row = web.client.post(
        "/alerts/al-ent-340202-1/assign",
        data={"assignee": "officer"},
        headers={**HTMX, "X-CSRF-Token": token},
    )
    assert row.status_code == 200 and "→ officer" in row.text
    refused = web.client.post(
        "/alerts/al-ent-340202-1/assign",
        data={"assignee": "jiujiang"},
        headers={**HTMX, "X-CSRF-Token": token},
    )
    assert refused.status_code == 422
    web.client.cookies.clear()
    sign_in(web.client, "officer")
    html = _inbox(web, "?mine=true")
    assert html.count("data-alert=") == 1 and 'data-alert="al-ent-340202-1"' in html
