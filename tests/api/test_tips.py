"""The officers' side of tips over the API: inbox, reply seen by the reporter, conversion, files."""

from __future__ import annotations

import sqlalchemy as sa

from smokewatch.services import tips
from smokewatch.store.orm_tips import Tip
from tests.api import tips_world
from tests.api.world import IN, OUT, World


def _code(world: World, tip_id: str) -> str:
    """Give the tip a known tracking code (the real one is shown once and never stored)."""
    code = tips.new_tracking_code()
    with world.store.unit_of_work() as session:
        session.execute(
            sa.update(Tip).where(Tip.id == tip_id).values(tracking_hash=tips.code_hash(code))
        )
    return code


def test_the_county_lead_reads_its_tips_riskiest_first_with_the_words_behind(
    shared_world: World,
) -> None:
    mine, other = tips_world.tip(shared_world, IN), tips_world.tip(shared_world, OUT)
    page = shared_world.call("lead", "GET", "/api/v1/tips", params={"limit": 1000}).json()
    ids = [item["id"] for item in page["items"]]
    assert mine in ids and other not in ids
    item = next(i for i in page["items"] if i["id"] == mine)
    assert item["routed_by"] == "address" and item["signals"] and item["risk_score"] > 0.5
    scores = [i["risk_score"] for i in page["items"]]
    assert scores == sorted(scores, reverse=True)


def test_a_reply_reaches_the_reporter_and_internal_notes_do_not(shared_world: World) -> None:
    tip_id = tips_world.tip(shared_world, IN)
    code = _code(shared_world, tip_id)
    reply = {"action": "reply", "note": "已收到，我们正在核查。"}
    assert (
        shared_world.call("lead", "POST", f"/api/v1/tips/{tip_id}/actions", json=reply).status_code
        == 200
    )
    routed = {"action": "reroute", "adcode": "340207", "note": "内部：转鸠江区"}
    assert (
        shared_world.call(
            "admin", "POST", f"/api/v1/tips/{tip_id}/actions", json=routed
        ).status_code
        == 200
    )
    seen = tips.track(shared_world.store, code)
    messages = [h["message"] for h in seen["history"]]
    assert "已收到，我们正在核查。" in messages and not any("内部" in (m or "") for m in messages)
    assert (
        shared_world.call("lead", "GET", f"/api/v1/tips/{tip_id}").status_code == 404
    )  # now 鸠江区's


def test_conversion_opens_a_clue_in_the_tip_s_county_holding_the_tip(shared_world: World) -> None:
    tip_id = tips_world.tip(shared_world, IN)
    code = _code(shared_world, tip_id)
    answer = shared_world.call("lead", "POST", f"/api/v1/tips/{tip_id}/case", json={})
    assert answer.status_code == 201, answer.text
    case = answer.json()["case"]
    assert (case["jurisdiction"], case["status"]) == (IN, "clue")
    evidence = shared_world.call("lead", "GET", f"/api/v1/cases/{case['id']}").json()["evidence"]
    assert {"kind": "tip", "ref_id": tip_id} in [
        {"kind": e["kind"], "ref_id": e["ref_id"]} for e in evidence
    ]
    assert tips.track(shared_world.store, code)["status"] == "case_opened"
    again = shared_world.call("lead", "POST", f"/api/v1/tips/{tip_id}/case", json={})
    assert again.status_code == 409


def test_files_are_downloaded_as_attachments_never_rendered(shared_world: World) -> None:
    tip_id, sha = tips_world.tip_file(shared_world, IN)
    answer = shared_world.call("lead", "GET", f"/api/v1/tips/{tip_id}/files/{sha}")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.headers["content-type"] == "application/octet-stream"
    assert answer.headers["content-security-policy"].startswith("sandbox")
    assert answer.headers["x-evidence-media-type"] == "image/png"


def test_the_contact_is_masked_for_an_officer_and_shown_to_the_lead(shared_world: World) -> None:
    submitted = tips.submit_tip(
        shared_world.store,
        tips.TipForm(
            "芜湖鑫源财富管理有限公司",
            "承诺年化18%，保本保息，拉人头返佣金，现在无法提现。",
            consent=True,
            target_address="芜湖市镜湖区中山路8号",
            contact="13912345678",
        ),
        files_dir=shared_world.settings.workspace / "tips",
    )
    lead = shared_world.call("lead", "GET", f"/api/v1/tips/{submitted.tip_id}").json()
    officer = shared_world.call("officer", "GET", f"/api/v1/tips/{submitted.tip_id}").json()
    assert lead["contact"] == "13912345678" and not lead["anonymous"]
    assert officer["contact"] != "13912345678" and "5678" in officer["contact"]
