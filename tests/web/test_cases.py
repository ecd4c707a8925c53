"""The case board and the case page: stages, deadlines, guarded transitions, evidence files."""

from __future__ import annotations

from smokewatch.services import cases
from tests.api.world import IN, OUT, ROOT, World, case_with_file, referred_case
from tests.web.conftest import csrf_of, sign_in


def _clue(web: World, where: str = IN, title: str = "线索：某理财公司") -> str:
    case = cases.open_case(web.store, ROOT, title=title, jurisdiction=where)
    return str(case["id"])


def test_the_board_puts_each_open_case_in_its_stage(web: World) -> None:
    clue = _clue(web)
    referred = referred_case(web, IN)
    sign_in(web.client, "lead")
    html = web.client.get("/cases").text
    clue_column = html[html.index('data-stage="clue"') : html.index('data-stage="verifying"')]
    assert f'data-case="{clue}"' in clue_column
    referred_column = html[
        html.index('data-stage="referred"') : html.index('data-stage="aftermath"')
    ]
    assert f'data-case="{referred}"' in referred_column


def test_the_board_keeps_to_the_territory_and_the_region_filter(web: World) -> None:
    inside, outside = _clue(web, IN), _clue(web, OUT)
    sign_in(web.client, "city")
    html = web.client.get("/cases").text
    assert f'data-case="{inside}"' in html and f'data-case="{outside}"' in html
    only = web.client.get(f"/cases?region={OUT}").text
    assert f'data-case="{inside}"' not in only and f'data-case="{outside}"' in only
    web.client.cookies.clear()
    sign_in(web.client, "lead")
    assert f'data-case="{outside}"' not in web.client.get("/cases").text


def test_the_list_view_shows_finished_cases_too(web: World) -> None:
    clue = _clue(web)
    cases.act(web.store, ROOT, clue, "dismiss", {"resolution": "no_violation"})
    sign_in(web.client, "lead")
    assert f'data-case="{clue}"' not in web.client.get("/cases").text
    assert f'data-case="{clue}"' in web.client.get("/cases?view=list").text


def test_a_lead_moves_a_clue_into_verification(web: World) -> None:
    clue = _clue(web)
    sign_in(web.client, "lead")
    page = web.client.get(f"/cases/{clue}")
    assert 'data-action="verify"' in page.text
    moved = web.client.post(
        f"/cases/{clue}/act",
        data={
            "action": "verify",
            "assignee": "officer",
            "version": "1",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert moved.status_code == 303
    after = web.client.get(f"/cases/{clue}").text
    assert 'data-stage="verifying"' in after and "officer" in after
    assert 'data-action="determine"' in after


def test_a_refused_transition_shows_the_reason_on_the_case(web: World) -> None:
    clue = _clue(web)
    sign_in(web.client, "lead")
    token = csrf_of(web.client.get(f"/cases/{clue}").text)
    skipped = web.client.post(
        f"/cases/{clue}/act",
        data={
            "action": "refer",
            "to_agency": "police-340202",
            "receipt": "R-1",
            "csrf_token": token,
        },
    )
    assert skipped.status_code == 409 and 'id="refusal"' in skipped.text
    stale = web.client.post(
        f"/cases/{clue}/act",
        data={"action": "verify", "assignee": "lead", "version": "99", "csrf_token": token},
    )
    assert stale.status_code == 409 and 'data-stage="clue"' in stale.text


def test_the_police_see_the_referral_with_its_receipt_and_acknowledge_it(web: World) -> None:
    referred = referred_case(web, IN)
    sign_in(web.client, "police")
    board = web.client.get("/cases").text
    assert f'data-case="{referred}"' in board
    page = web.client.get(f"/cases/{referred}").text
    assert "data-receipt" in page and "等待公安签收" in page
    assert 'data-action="acknowledge"' in page and 'data-action="close"' not in page
    done = web.client.post(
        f"/cases/{referred}/act", data={"action": "acknowledge", "csrf_token": csrf_of(page)}
    )
    assert done.status_code == 303
    assert "公安签收于" in web.client.get(f"/cases/{referred}").text


def test_files_are_uploaded_kept_by_hash_and_downloaded_as_attachments(web: World) -> None:
    case_id, sha = case_with_file(web, IN)
    sign_in(web.client, "lead")
    page = web.client.get(f"/cases/{case_id}").text
    assert f"/cases/{case_id}/files/{sha}" in page
    download = web.client.get(f"/cases/{case_id}/files/{sha}")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.content == "举报材料：收益承诺每月 3%".encode("gb18030")
    uploaded = web.client.post(
        f"/cases/{case_id}/files",
        data={"csrf_token": csrf_of(page), "note": "现场照片"},
        files={"file": ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")},
    )
    assert uploaded.status_code == 303
    assert "现场照片" in web.client.get(f"/cases/{case_id}").text


def test_an_executable_is_refused(web: World) -> None:
    case_id, _ = case_with_file(web, IN)
    sign_in(web.client, "lead")
    page = web.client.get(f"/cases/{case_id}").text
    refused = web.client.post(
        f"/cases/{case_id}/files",
        data={"csrf_token": csrf_of(page)},
        files={"file": ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf")},
    )
    assert refused.status_code == 422


def test_a_case_outside_the_territory_is_not_found(web: World) -> None:
    outside = _clue(web, OUT)
    sign_in(web.client, "lead")
    assert web.client.get(f"/cases/{outside}").status_code == 404
