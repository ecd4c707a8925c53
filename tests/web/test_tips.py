"""The officers' tip inbox: territory, filters, the tip page and every action the services allow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from smokewatch.services import audit, tips, tips_documents, tips_inbox
from smokewatch.store.orm_tips import Tip
from tests.api.tips_world import ADDRESS, confirmed_tip, tip, tip_file
from tests.api.world import IN, OUT, ROOT, World
from tests.web.conftest import csrf_of, sign_in


def _get(web: World, path: str) -> str:
    page = web.client.get(path)
    assert page.status_code == 200, page.text
    return page.text


def _act(web: World, tip_id: str, action: str, **fields: str) -> object:
    token = csrf_of(_get(web, f"/tips/{tip_id}"))
    return web.client.post(
        f"/tips/{tip_id}/act", data={"csrf_token": token, "action": action, **fields}
    )


def _status(web: World, tip_id: str) -> str:
    return str(tips_inbox.get_tip(web.store, ROOT, tip_id)["status"])


def test_the_inbox_shows_the_tips_of_the_territory_only(web: World) -> None:
    mine, theirs = tip(web, IN), tip(web, OUT)
    sign_in(web.client, "lead")
    html = _get(web, "/tips")
    assert f'data-tip="{mine}"' in html and f'data-tip="{theirs}"' not in html
    assert "保本保息" in html  # the words behind the risk score
    assert 'href="/tips"' in html  # the navigation entry
    web.client.cookies.clear()
    sign_in(web.client, "jiujiang")
    html = _get(web, "/tips")
    assert f'data-tip="{theirs}"' in html and f'data-tip="{mine}"' not in html
    assert web.client.get(f"/tips/{mine}").status_code == 404  # not "forbidden": no probing


def test_the_police_and_reporting_banks_have_no_inbox(web: World) -> None:
    sign_in(web.client, "police")
    assert web.client.get("/tips").status_code == 403
    assert 'href="/tips"' not in _get(web, "/cases")


def test_filters_narrow_by_status_division_category_and_day(web: World) -> None:
    first, second = tip(web, IN), tip(web, OUT)
    tips_inbox.act(web.store, ROOT, first, "triage")
    sign_in(web.client, "admin")
    assert f'data-tip="{first}"' not in _get(web, "/tips?status=received")
    assert f'data-tip="{first}"' in _get(web, "/tips?status=triaged")
    by_region = _get(web, f"/tips?region={OUT}")
    assert f'data-tip="{second}"' in by_region and f'data-tip="{first}"' not in by_region
    assert f'data-tip="{second}"' in _get(web, "/tips?category=fundraising")
    assert "data-tip=" not in _get(web, "/tips?category=impersonation")
    today = datetime.now(UTC).date()
    assert f'data-tip="{second}"' in _get(web, f"/tips?since={today}&until={today}")
    tomorrow = today + timedelta(days=1)
    assert "data-tip=" not in _get(web, f"/tips?since={tomorrow}")
    assert web.client.get("/tips?since=yesterday").status_code == 422
    assert web.client.get("/tips?category=gambling").status_code == 422


def test_the_reporter_s_contact_is_masked_for_an_officer_and_shown_to_the_lead(web: World) -> None:
    submitted = tips.submit_tip(
        web.store,
        tips.TipForm(
            target_name="芜湖市鑫源联系财富管理有限公司",
            description="该公司承诺年化18%保本保息，拉人头返佣金，现在无法提现。",
            consent=True,
            target_address=ADDRESS[IN],
            contact="13912345678",
        ),
        files_dir=web.settings.workspace / "tips",
        home_adcode="340200",
    )
    sign_in(web.client, "officer")
    assert "13912345678" not in _get(web, f"/tips/{submitted.tip_id}")
    web.client.cookies.clear()
    sign_in(web.client, "lead")
    assert "13912345678" in _get(web, f"/tips/{submitted.tip_id}")
    viewed = audit.history(web.store, "tip", submitted.tip_id)
    assert [e["action"] for e in viewed].count("tip.view_contact") == 1


def test_files_download_as_attachments_never_inline(web: World) -> None:
    tip_id, sha = tip_file(web, IN)
    sign_in(web.client, "lead")
    assert f'href="/tips/{tip_id}/files/{sha}"' in _get(web, f"/tips/{tip_id}")
    got = web.client.get(f"/tips/{tip_id}/files/{sha}")
    assert got.status_code == 200 and got.content.startswith(b"\x89PNG")
    assert got.headers["content-disposition"].startswith("attachment")
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert web.client.get(f"/tips/{tip_id}/files/{'0' * 64}").status_code == 404
    assert web.client.get(f"/tips/{tip_id}/files/..%2F..%2Fstore.sqlite").status_code == 404


def test_acknowledge_reply_and_reject_are_tip_events_the_reporter_sees(web: World) -> None:
    tip_id = tip(web, IN)
    sign_in(web.client, "officer")
    assert _act(web, tip_id, "triage").status_code == 303  # type: ignore[attr-defined]
    assert _status(web, tip_id) == "triaged"
    _act(web, tip_id, "reply", note="请补充转账凭证。")
    refused = _act(web, tip_id, "dismiss")
    assert refused.status_code == 422 and "reason" in refused.text  # type: ignore[attr-defined]
    _act(web, tip_id, "dismiss", note="不属于本局管辖的民事纠纷")
    assert _status(web, tip_id) == "dismissed"
    html = _get(web, f"/tips/{tip_id}")
    assert "请补充转账凭证。" in html and "不属于本局管辖的民事纠纷" in html
    assert 'class="action" data-action="triage"' not in html


def test_routing_to_another_county_takes_the_tip_out_of_the_county_s_view(web: World) -> None:
    tip_id = tip(web, IN)
    sign_in(web.client, "lead")
    assert f'<option value="{OUT}"' in _get(web, f"/tips/{tip_id}")
    _act(web, tip_id, "reroute", adcode=OUT)
    with web.store.unit_of_work() as session:
        routed = session.get(Tip, tip_id)
        assert routed is not None and (routed.adcode, routed.routed_by) == (OUT, "officer")
    assert web.client.get(f"/tips/{tip_id}").status_code == 404


def test_merging_files_a_tip_under_the_original_and_shows_the_group(web: World) -> None:
    original, copy = tip(web, IN), tip(web, IN)
    sign_in(web.client, "lead")
    _act(web, copy, "merge", into=original)
    assert _status(web, copy) == "duplicate"
    html = _get(web, f"/tips/{original}")
    assert 'id="duplicates"' in html and f'data-tip="{copy}"' in html
    itself = _act(web, original, "merge", into=original)
    assert itself.status_code == 422  # type: ignore[attr-defined]
    outside = tip(web, OUT)
    assert _act(web, copy, "merge", into=outside).status_code == 404  # type: ignore[attr-defined]


def test_a_tip_is_converted_to_a_clue_or_attached_to_an_open_case(web: World) -> None:
    first, second = tip(web, IN), tip(web, IN)
    sign_in(web.client, "lead")
    _act(web, first, "convert")
    case_id = str(tips_inbox.get_tip(web.store, ROOT, first)["case_id"])
    assert case_id and _status(web, first) == "converted"
    assert tips_documents.document_id(first) in _get(web, f"/tips/{first}")  # counted from now
    _act(web, second, "attach", case_id=case_id, note="同一平台")
    assert tips_inbox.get_tip(web.store, ROOT, second)["case_id"] == case_id
    case_page = _get(web, f"/cases/{case_id}")
    assert f'href="/tips/{first}"' in case_page and f'href="/tips/{second}"' in case_page
    again = _act(web, second, "attach", case_id=case_id)
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_a_viewer_reads_a_tip_but_gets_no_forms_and_is_refused(web: World) -> None:
    tip_id = tip(web, IN)
    sign_in(web.client, "viewer")
    html = _get(web, f"/tips/{tip_id}")
    assert 'action="/tips/' not in html
    refused = _act(web, tip_id, "triage")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert _status(web, tip_id) == "received"


def test_actions_need_the_page_token(web: World) -> None:
    tip_id = tip(web, IN)
    sign_in(web.client, "lead")
    refused = web.client.post(f"/tips/{tip_id}/act", data={"action": "triage"})
    assert refused.status_code == 403 and _status(web, tip_id) == "received"


def test_the_reward_is_decided_once_the_case_confirmed_it_and_its_payment_recorded(
    web: World,
) -> None:
    tip_id = confirmed_tip(web, IN)
    sign_in(web.client, "officer")
    assert 'class="action" data-action="reward"' not in _get(web, f"/tips/{tip_id}")  # leads decide
    web.client.cookies.clear()
    sign_in(web.client, "lead")
    assert 'class="action" data-action="reward"' in _get(web, f"/tips/{tip_id}")
    _act(web, tip_id, "reward", illegal_amount="2,000,000", reason="线索属实")
    html = _get(web, f"/tips/{tip_id}")
    assert "¥20000.00" in html and 'class="action" data-action="payment"' in html
    unpaid = _act(web, tip_id, "payment", payment_status="paid")
    assert unpaid.status_code == 422  # type: ignore[attr-defined]  # a payment needs its reference
    _act(web, tip_id, "payment", payment_status="paid", reference="财付2026-118")
    html = _get(web, f"/tips/{tip_id}")
    assert "财付2026-118" in html and 'class="action" data-action="payment"' not in html


def test_a_hostile_target_name_is_shown_as_text(web: World) -> None:
    tip_id = tip(web, IN)
    with web.store.unit_of_work() as session:
        session.execute(
            sa.update(Tip).where(Tip.id == tip_id).values(target_name="<script>alert(1)</script>")
        )
    sign_in(web.client, "lead")
    for html in (_get(web, "/tips"), _get(web, f"/tips/{tip_id}")):
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_telecom_fraud_tip_is_filed_and_labelled_under_fraud(web: World) -> None:
    scam = tips.submit_tip(
        web.store,
        tips.TipForm(
            target_name="自称银行客服的人",
            description="对方让我开启屏幕共享，再把钱转到安全账户，说这样资金才安全。",
            consent=True,
            target_address=ADDRESS[IN],
        ),
        files_dir=web.settings.workspace / "tips",
        home_adcode="340200",
    ).tip_id
    other = tip(web, IN)
    sign_in(web.client, "lead")
    listed = _get(web, "/tips?category=fraud")
    assert f'data-tip="{scam}"' in listed and f'data-tip="{other}"' not in listed
    assert '<span class="badge">电信网络诈骗</span>' in _get(web, f"/tips/{scam}")
    assert "Telecom and online fraud" in _get(web, f"/tips/{scam}?lang=en")


def test_pages_are_in_english_on_request(web: World) -> None:
    tip(web, IN)
    sign_in(web.client, "lead")
    assert "举报" in _get(web, "/tips")
    assert "Reported" in _get(web, "/tips?lang=en")
