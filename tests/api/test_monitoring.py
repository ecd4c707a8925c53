"""Entities, alerts, watch lists and reports through the API: explained, masked, audited."""

from __future__ import annotations

from smokewatch.services import audit
from tests.api.world import IN, OUT, PHONE, World, entity, referred_case
from tests.services.graph_world import publish_planted


def test_a_profile_explains_the_smoke_index_with_contributions_that_add_up(world: World) -> None:
    subject = entity(world, IN)
    body = world.call("lead", "GET", f"/api/v1/entities/{subject}").json()
    score = body["smoke_index"]
    assert (body["adcode"], body["sector"], score["grade"]) == (IN, "L7243", "red")
    assert sum(c["points"] for c in score["contributions"]) == score["smoke_index"]
    assert body["alert"]["id"] == f"al-{subject}"
    assert [f["rule"] for f in body["findings"]] == ["SW-R-0001@1"]
    assert body["history"] == [{"as_of": "2026-11-01", "smoke_index": 72.5, "grade": "red"}]


def test_pii_is_masked_for_officers_and_shown_to_leads_with_an_audit_entry(world: World) -> None:
    subject = entity(world, IN)
    masked = world.call("officer", "GET", f"/api/v1/entities/{subject}").text
    assert PHONE not in masked and "138****8000" in masked
    assert audit.history(world.store, "entity", subject) == []
    shown = world.call("lead", "GET", f"/api/v1/entities/{subject}").text
    assert PHONE in shown
    (entry,) = audit.history(world.store, "entity", subject)
    assert (entry["actor"], entry["action"]) == ("lead", "entity.view_pii")
    assert entry["detail"]["view"] == "profile" and entry["detail"]["values"] >= 1


def test_police_reach_an_entity_only_through_a_case_referred_to_them(world: World) -> None:
    subject = entity(world, IN)
    assert world.call("police", "GET", f"/api/v1/entities/{subject}").status_code == 404
    referred_case(world, IN, subject)
    body = world.call("police", "GET", f"/api/v1/entities/{subject}").json()
    assert [c["status"] for c in body["cases"]] == ["referred"]


def test_the_graph_says_it_is_not_built_until_a_build_publishes_it(world: World) -> None:
    subject = entity(world, IN)
    body = world.call("lead", "GET", f"/api/v1/entities/{subject}/graph").json()
    assert body["available"] is False and body["edges"] == [] and body["reason"]["zh"]


def test_the_graph_and_ownership_are_read_from_the_published_model(world: World) -> None:
    subject = entity(world, IN)
    publish_planted(world.store, {"e1": subject})
    graph = world.call("lead", "GET", f"/api/v1/entities/{subject}/graph").json()
    (root,) = [n for n in graph["nodes"] if n["root"]]
    assert (root["record"], root["grade"]) == (subject, "red")
    assert graph["family"]["enterprises"] == 7 and graph["edges"]
    owners = world.call("lead", "GET", f"/api/v1/entities/{subject}/ownership").json()
    assert {o["label"]: o["share"] for o in owners["owners"]}["周九"] == 0.5
    assert owners["cycle_share"] > 0 and owners["cycles"]
    other = entity(world, OUT)
    assert world.call("lead", "GET", f"/api/v1/entities/{other}/ownership").status_code == 404


def test_alerts_are_listed_by_territory_and_filtered_by_acknowledgement(world: World) -> None:
    inside, outside = entity(world, IN), entity(world, OUT)
    listed = world.call("lead", "GET", "/api/v1/alerts").json()
    assert [a["subject_id"] for a in listed["items"]] == [inside]
    world.call("lead", "POST", f"/api/v1/alerts/al-{inside}/ack", json={"note": "已阅"})
    city = world.call("city", "GET", "/api/v1/alerts", params={"acknowledged": False}).json()
    assert [a["subject_id"] for a in city["items"]] == [outside]
    assert (city["total"], city["limit"], city["offset"]) == (1, 50, 0)


def test_acknowledge_snooze_and_close_are_in_the_history_and_the_audit_log(world: World) -> None:
    alert = f"al-{entity(world, IN)}"
    world.call("officer", "POST", f"/api/v1/alerts/{alert}/ack", json={})
    again = world.call("officer", "POST", f"/api/v1/alerts/{alert}/ack", json={}).json()
    world.call(
        "officer",
        "POST",
        f"/api/v1/alerts/{alert}/snooze",
        json={"until": "2099-12-31", "reason": "待现场核查"},
    )
    closed = world.call(
        "lead", "POST", f"/api/v1/alerts/{alert}/close", json={"reason": "已核查"}
    ).json()
    assert [h["kind"] for h in again["history"]] == ["raised", "acknowledged"]
    assert [h["kind"] for h in closed["history"]] == ["raised", "acknowledged", "snoozed", "closed"]
    actions = [(e["actor"], e["action"]) for e in audit.history(world.store, "alert", alert)]
    assert actions == [
        ("officer", "alert.acknowledged"),
        ("officer", "alert.snoozed"),
        ("lead", "alert.closed"),
    ]
    refused = world.call("lead", "POST", f"/api/v1/alerts/{alert}/ack", json={})
    assert refused.status_code == 409


def test_a_case_opened_from_an_alert_holds_it_and_acknowledges_it(world: World) -> None:
    subject = entity(world, IN)
    case = world.call("officer", "POST", f"/api/v1/alerts/al-{subject}/cases", json={}).json()
    assert (case["jurisdiction"], case["subject_id"], case["status"]) == (IN, subject, "clue")
    detail = world.call("officer", "GET", f"/api/v1/cases/{case['id']}").json()
    assert {(e["kind"], e["ref_id"]) for e in detail["evidence"]} == {
        ("alert", f"al-{subject}"),
        ("entity", subject),
    }
    alert = world.call("officer", "GET", f"/api/v1/alerts/al-{subject}").json()
    assert alert["acknowledged_by"] == "officer"
    again = world.call("officer", "POST", f"/api/v1/alerts/al-{subject}/cases", json={})
    assert again.status_code == 409 and case["id"] in again.json()["error"]["message"]


def test_watch_list_changes_are_audited(world: World) -> None:
    subject = entity(world, IN)
    added = world.call(
        "lead",
        "POST",
        "/api/v1/watchlists/key_focus/entries",
        json={"subject_id": subject, "reason": "多次被投诉"},
    )
    assert added.status_code == 201 and added.json()["added_by"] == "lead"
    removed = world.call(
        "lead",
        "DELETE",
        f"/api/v1/watchlists/key_focus/entries/{subject}",
        params={"reason": "已整改"},
    ).json()
    assert removed["removal_reason"] == "已整改"
    entries = audit.history(world.store, "watchlist", "key_focus")
    assert [e["action"] for e in entries] == ["watchlist.add", "watchlist.remove"]


def test_the_summary_report_counts_what_the_user_sees(world: World) -> None:
    entity(world, IN)
    entity(world, OUT)
    referred_case(world, IN)
    county = world.call("lead", "GET", "/api/v1/reports/summary").json()
    city = world.call("city", "GET", "/api/v1/reports/summary").json()
    assert county["alerts"]["by_status_and_grade"] == {"open/red": 1}
    assert city["alerts"]["open_unacknowledged"] == 2
    assert county["scores"]["by_grade"] == {"red": 1}
    assert county["cases"]["referred_to_police"] == 1
    assert county["cases"]["by_status"] == {"referred": 1}


def test_invalid_requests_get_the_error_shape_with_field_details(world: World) -> None:
    response = world.call(
        "lead", "POST", "/api/v1/alerts/al-x/snooze", json={"until": "soon", "extra": 1}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["kind"] == "InvalidInput"
    assert {tuple(d["location"]) for d in error["details"]} >= {
        ("body", "until"),
        ("body", "extra"),
    }
    missing = world.call("lead", "GET", "/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json()["error"]["kind"] == "NotFound"


def test_an_alert_is_assigned_to_someone_who_can_work_on_it(world: World) -> None:
    alert = f"al-{entity(world, IN)}"
    given = world.call(
        "lead",
        "POST",
        f"/api/v1/alerts/{alert}/assign",
        json={"assignee": "officer", "note": "请核查"},
    )
    assert given.status_code == 200
    assert given.json()["assignee"] == "officer" and given.json()["assigned_at"] is not None
    assert given.json()["history"][-1]["reason"] == "→ officer: 请核查"
    mine = world.call("officer", "GET", "/api/v1/alerts", params={"assignee": "officer"}).json()
    assert [a["id"] for a in mine["items"]] == [alert]
    for refused in ("viewer", "jiujiang", "nobody"):  # cannot act / other county / unknown
        answer = world.call(
            "lead", "POST", f"/api/v1/alerts/{alert}/assign", json={"assignee": refused}
        )
        assert answer.status_code == 422, refused
    back = world.call("lead", "POST", f"/api/v1/alerts/{alert}/assign", json={"assignee": None})
    assert back.json()["assignee"] is None
    actions = [e["action"] for e in audit.history(world.store, "alert", alert)]
    assert actions == ["alert.assigned", "alert.assigned"]


def test_a_closed_alert_is_not_assigned(world: World) -> None:
    alert = f"al-{entity(world, IN)}"
    world.call("lead", "POST", f"/api/v1/alerts/{alert}/close", json={"reason": "已核查"})
    answer = world.call(
        "lead", "POST", f"/api/v1/alerts/{alert}/assign", json={"assignee": "officer"}
    )
    assert answer.status_code == 409


def test_pages_of_alerts_and_profile_findings_count_every_match(world: World) -> None:
    """The page and its total come from one statement; past the last page the total stays."""
    for _ in range(3):
        entity(world, IN)
    first = world.call("admin", "GET", "/api/v1/alerts", params={"limit": 2}).json()
    beyond = world.call("admin", "GET", "/api/v1/alerts", params={"offset": 50}).json()
    assert (first["total"], len(first["items"])) == (3, 2)
    assert (beyond["total"], beyond["items"]) == (3, [])
    subject = entity(world, OUT)
    profile = world.call("admin", "GET", f"/api/v1/entities/{subject}").json()
    assert profile["findings_total"] == len(profile["findings"]) == 1


def test_findings_and_the_overview_follow_the_territory(world: World) -> None:
    inside = entity(world, IN)
    entity(world, OUT)
    listed = world.call("lead", "GET", "/api/v1/findings").json()
    assert {f["subject_id"] for f in listed["items"]} == {inside}
    assert listed["items"][0]["adcode"] == IN
    overview = world.call("lead", "GET", "/api/v1/overview").json()
    assert overview["findings"] == 1
    city = world.call("city", "GET", "/api/v1/overview").json()
    assert city["findings"] == 2
