"""Cases through the API: the workflow, refusals, evidence files, corrections, labels."""

from __future__ import annotations

import hashlib

from smokewatch.services import audit
from tests.api.world import IN, PHONE, ROOT, World, referred_case


def _open(world: World, role: str = "lead") -> dict[str, object]:
    response = world.call(
        role,
        "POST",
        "/api/v1/cases",
        json={"title": "鑫源财富涉嫌非法集资", "jurisdiction": IN, "subject_id": "e-1"},
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _act(world: World, role: str, case_id: object, **body: object) -> object:
    return world.call(role, "POST", f"/api/v1/cases/{case_id}/transitions", json=body)


def test_a_case_moves_through_its_stages_and_tells_each_user_what_they_may_do(
    world: World,
) -> None:
    case = _open(world)
    assert case["actions"][:2] == ["verify", "dismiss"] and "determine" not in case["actions"]
    steps = [
        ("lead", {"action": "verify", "assignee": "officer"}),
        ("officer", {"action": "determine", "determination": "illegal_fundraising"}),
        ("officer", {"action": "refer", "to_agency": "police-340202", "receipt": "移送-7"}),
        ("police", {"action": "acknowledge"}),
        ("lead", {"action": "start_aftermath"}),
        ("lead", {"action": "close", "resolution": "referred_to_police"}),
    ]
    for role, body in steps:
        response = _act(world, role, case["id"], **body)
        assert response.status_code == 200, (role, body, response.text)  # type: ignore[attr-defined]
    final = world.call("lead", "GET", f"/api/v1/cases/{case['id']}").json()
    assert final["status"] == "closed" and final["actions"] == ["reopen"]
    assert [h["action"] for h in final["history"]] == [
        "open", "verify", "determine", "refer", "acknowledge", "start_aftermath", "close",
    ]  # fmt: skip


def test_an_illegal_transition_is_409_and_only_the_refusal_is_recorded(world: World) -> None:
    case = _open(world)
    response = _act(world, "lead", case["id"], action="close", resolution="disposed")
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert response.json()["error"]["kind"] == "InvalidTransition"  # type: ignore[attr-defined]
    after = world.call("lead", "GET", f"/api/v1/cases/{case['id']}").json()
    assert (after["version"], after["status"]) == (case["version"], "clue")
    entries = audit.history(world.store, "case", str(case["id"]))
    assert [e["action"] for e in entries] == ["case.open", "case.refused"]


def test_a_stale_version_is_409(world: World) -> None:
    case = _open(world)
    _act(world, "lead", case["id"], action="assign", assignee="lead")
    stale = _act(world, "lead", case["id"], action="assign", assignee="officer", expected_version=1)
    assert stale.status_code == 409  # type: ignore[attr-defined]
    patched = world.call(
        "lead",
        "PATCH",
        f"/api/v1/cases/{case['id']}",
        json={"title": "更正", "expected_version": 2},
    )
    assert patched.status_code == 200 and patched.json()["title"] == "更正"


def test_files_are_kept_by_hash_and_only_ever_downloaded(world: World) -> None:
    case = _open(world)
    content = "举报人陈述：每月返息 3%".encode("gb18030")
    stored = world.call(
        "lead",
        "POST",
        f"/api/v1/cases/{case['id']}/files",
        params={"name": "../../陈述.txt"},
        content=content,
    ).json()
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()
    assert stored["media_type"] == "text/plain" and stored["note"] == "陈述.txt"
    download = world.call("officer", "GET", f"/api/v1/cases/{case['id']}/files/{stored['sha256']}")
    assert download.content == content
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["x-evidence-media-type"] == "text/plain"
    actions = [e["action"] for e in audit.history(world.store, "case", str(case["id"]))]
    assert actions[-2:] == ["case.file", "case.file_download"]


def test_executables_are_refused(world: World) -> None:
    case = _open(world)
    response = world.call(
        "lead",
        "POST",
        f"/api/v1/cases/{case['id']}/files",
        params={"name": "invoice.pdf"},
        content=b"MZ\x90\x00 pretending",
    )
    assert response.status_code == 422 and "never accepted" in response.json()["error"]["message"]


def test_case_details_mask_pii_for_the_roles_without_the_right(world: World) -> None:
    case_id = referred_case(world, IN)
    assert PHONE not in world.call("officer", "GET", f"/api/v1/cases/{case_id}").text
    assert PHONE in world.call("police", "GET", f"/api/v1/cases/{case_id}").text
    viewed = [
        e for e in audit.history(world.store, "case", case_id) if e["action"] == "case.view_pii"
    ]
    assert [e["actor"] for e in viewed] == ["police"]


def test_finished_cases_become_labels(world: World) -> None:
    from smokewatch.services import cases  # noqa: PLC0415

    case_id = referred_case(world, IN, "ent-label")
    cases.act(world.store, ROOT, case_id, "acknowledge", {})  # as admin: the referral is taken
    cases.act(world.store, ROOT, case_id, "start_aftermath", {})
    cases.act(world.store, ROOT, case_id, "close", {"resolution": "cleaned_up"})
    dismissed = _open(world)
    _act(world, "lead", dismissed["id"], action="dismiss", resolution="false_positive")
    rows = world.call("admin", "GET", "/api/v1/reports/labels").json()
    assert [(r["entity_id"], r["label"], r["kind"]) for r in rows] == [
        ("e-1", 0, "false_positive"),
        ("ent-label", 1, "illegal_fundraising"),
    ]
    assert world.call("lead", "GET", "/api/v1/reports/labels").status_code == 403


def test_the_amount_involved_is_recorded_to_the_fen_and_refused_when_negative(
    world: World,
) -> None:
    case = _open(world)
    assert case["amount_involved"] is None
    url = f"/api/v1/cases/{case['id']}"
    patched = world.call("lead", "PATCH", url, json={"amount_involved": "12650000.5"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["amount_involved"] == "12650000.50"
    negative = world.call("lead", "PATCH", url, json={"amount_involved": -1})
    assert negative.status_code == 422
    history = world.call("lead", "GET", url).json()["history"]
    assert history[-1]["data"]["after"] == {"amount_involved": "12650000.50"}
