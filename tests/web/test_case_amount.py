"""The amount involved (涉案金额) on the case page, the board, the list and the overview."""

from __future__ import annotations

from smokewatch.services import audit, cases
from tests.api.world import IN, ROOT, World
from tests.web.conftest import csrf_of, sign_in


def _clue(web: World) -> str:
    return str(cases.open_case(web.store, ROOT, title="线索：某理财公司", jurisdiction=IN)["id"])


def _record(web: World, case_id: str, amount: str, version: str = "1") -> object:
    token = csrf_of(web.client.get(f"/cases/{case_id}").text)
    return web.client.post(
        f"/cases/{case_id}/amount",
        data={"amount_involved": amount, "version": version, "csrf_token": token},
    )


def test_a_lead_records_the_amount_and_it_shows_everywhere(web: World) -> None:
    clue = _clue(web)
    sign_in(web.client, "lead")
    assert 'name="amount_involved"' in web.client.get(f"/cases/{clue}").text
    recorded = _record(web, clue, "¥12,650,000.5")
    assert recorded.status_code == 303  # type: ignore[attr-defined]
    page = web.client.get(f"/cases/{clue}").text
    assert "¥12,650,000.50" in page
    assert "data-amount-step" in page  # the timeline step
    assert "¥12,650,000.50" in web.client.get("/cases").text  # the board's card
    assert "¥12,650,000.50" in web.client.get("/cases?view=list").text
    overview = web.client.get("/overview").text
    figure = overview[overview.index('data-figure="amount"') :]
    assert figure.split("<", 1)[0].endswith("¥12,650,000")
    entries = audit.history(web.store, "case", clue)
    assert any(e["action"] == "case.update" for e in entries)


def test_a_bad_amount_is_refused_with_the_reason(web: World) -> None:
    clue = _clue(web)
    sign_in(web.client, "lead")
    refused = _record(web, clue, "-5")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "zero or more" in refused.text  # type: ignore[attr-defined]
    assert cases.get_case(web.store, ROOT, clue)["amount_involved"] is None


def test_a_stale_page_does_not_overwrite_the_amount(web: World) -> None:
    clue = _clue(web)
    sign_in(web.client, "lead")
    assert _record(web, clue, "100").status_code == 303  # type: ignore[attr-defined]
    stale = _record(web, clue, "200", version="1")
    assert stale.status_code == 409  # type: ignore[attr-defined]
    assert str(cases.get_case(web.store, ROOT, clue)["amount_involved"]) == "100.00"


def test_a_viewer_reads_the_amount_but_has_no_form(web: World) -> None:
    clue = _clue(web)
    sign_in(web.client, "viewer")
    page = web.client.get(f"/cases/{clue}")
    assert page.status_code == 200
    assert "data-amount" in page.text and 'name="amount_involved"' not in page.text
