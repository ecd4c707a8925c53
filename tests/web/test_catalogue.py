"""Rules, scorecards and runs as analysts read them; a rule's precision from finished cases."""

from __future__ import annotations

from smokewatch.services import cases
from tests.api.world import IN, ROOT, World, entity
from tests.web.conftest import sign_in


def _finish(web: World, subject: str, resolution: str) -> str:
    case_id = str(
        cases.open_case(
            web.store,
            ROOT,
            title="t",
            jurisdiction=IN,
            subject_id=subject,
            subject_table="enterprise",
        )["id"]
    )
    if resolution == "no_violation":
        cases.act(web.store, ROOT, case_id, "dismiss", {"resolution": resolution})
        return case_id
    cases.act(web.store, ROOT, case_id, "verify", {"assignee": "admin"})
    cases.act(web.store, ROOT, case_id, "determine", {"determination": "illegal_fundraising"})
    cases.act(web.store, ROOT, case_id, "dispose", {"measures": ["order_to_stop"]})
    cases.act(web.store, ROOT, case_id, "close", {"resolution": resolution})
    return case_id


def _row(html: str, rule_id: str) -> str:
    start = html.index(f'data-rule="{rule_id}"')
    return html[start : html.index("</tr>", start)]


def test_every_rule_is_listed_with_no_precision_before_any_case_finishes(web: World) -> None:
    sign_in(web.client, "officer")
    html = web.client.get("/rules").text
    assert 'data-rule="SW-R-0001"' in html and 'data-scorecard="SW-S-0001"' in html
    assert "暂无办结案件" in _row(html, "SW-R-0001")


def test_precision_counts_confirmed_and_refuted_cases_of_flagged_entities(web: World) -> None:
    confirmed = _finish(web, "ent-340202-1", "disposed")  # the web fixture's red entity
    refuted = _finish(web, "ent-340202-2", "no_violation")
    sign_in(web.client, "lead")
    row = _row(web.client.get("/rules").text, "SW-R-0001")
    assert "50%" in row and "(1/2)" in row
    page = web.client.get("/rules/SW-R-0001").text
    assert f'href="/cases/{confirmed}"' in page and f'href="/cases/{refuted}"' in page
    entity(web, IN)  # an entity without a case changes nothing
    assert "(1/2)" in _row(web.client.get("/rules").text, "SW-R-0001")


def test_a_rule_page_shows_its_legal_basis_bands_and_body(web: World) -> None:
    sign_in(web.client, "lead")
    page = web.client.get("/rules/SW-R-0001")
    assert page.status_code == 200
    assert "法律依据" in page.text and "binding_word" in page.text and 'class="code"' in page.text
    assert web.client.get("/rules/SW-R-9999").status_code == 404


def test_a_scorecard_page_shows_grades_and_the_rules_behind_each_dimension(web: World) -> None:
    sign_in(web.client, "lead")
    page = web.client.get("/scorecards/SW-S-0001").text
    assert "grade-red" in page and 'href="/rules/SW-R-0001"' in page


def test_runs_are_listed_and_rejects_shown_to_the_workspaces_level_masked_by_role(
    web: World,
) -> None:
    sign_in(web.client, "city")  # the city's lead: its division is the workspace's
    runs = web.client.get("/runs").text
    assert 'data-run="ing-1"' in runs and 'data-run="det-1"' in runs
    city_view = web.client.get("/runs/ing-1").text
    assert "USCC check character" in city_view and "13800138000" in city_view
    web.client.cookies.clear()
    sign_in(web.client, "lead")  # a county: the run, not the workspace's raw rows
    county_view = web.client.get("/runs/ing-1").text
    assert "data-rejects-hidden" in county_view and "USCC check character" not in county_view


def test_the_police_do_not_read_rules_or_runs(web: World) -> None:
    sign_in(web.client, "police")
    assert web.client.get("/rules").status_code == 403
    assert web.client.get("/runs").status_code == 403
