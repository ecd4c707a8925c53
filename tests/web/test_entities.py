"""The entity page: index, reasons with highlighted evidence, PII masked, who may see it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from smokewatch.services import users
from smokewatch.store import repos
from smokewatch.store.orm import Finding
from smokewatch.store.orm_cases import AuditEntry
from smokewatch.store.orm_patrol import PatrolEvent
from tests.api.world import IN, OUT, PHONE, ROOT, World, entity, referred_case
from tests.services.graph_world import publish_planted
from tests.services.monitored import rename
from tests.web.conftest import sign_in


def _cite_finding(web: World, subject: str) -> None:
    """Make the first contribution line cite the entity's finding, with a hostile ad text."""
    with web.store.unit_of_work() as session:
        finding = session.get_one(Finding, f"f-{subject}")
        finding.metrics = {"phrase": "<b>保本保息</b>年化24%", "name": "x"}
        finding.evidence = [{"field": "text", "text": "保本保息", "start": 3, "end": 7}]


def test_a_lead_reads_an_entitys_index_and_reasons(web: World) -> None:
    sign_in(web.client, "lead")
    page = web.client.get("/entities/ent-340202-1").text
    assert 'data-entity-grade="red"' in page and "72.5" in page
    assert "名称含“财富管理”" in page and "SW-R-0001@1" in page
    assert "data-radar=" in page and "data-history=" in page


def test_evidence_is_quoted_with_the_promise_marked_and_everything_else_escaped(
    web: World,
) -> None:
    _cite_finding(web, "ent-340202-1")
    sign_in(web.client, "lead")
    page = web.client.get("/entities/ent-340202-1").text
    assert "&lt;b&gt;<mark>保本保息</mark>&lt;/b&gt;年化24%" in page


def test_hostile_names_are_escaped_on_the_profile(web: World) -> None:
    rename(web, "ent-340202-1", "<script>alert(1)</script>")
    sign_in(web.client, "lead")
    page = web.client.get("/entities/ent-340202-1").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_phone_numbers_are_masked_for_viewers(web: World) -> None:
    sign_in(web.client, "viewer")
    page = web.client.get("/entities/ent-340202-1").text
    assert page.count("138") >= 1 and PHONE not in page


def test_an_entity_outside_the_territory_is_not_found(web: World) -> None:
    other = entity(web, OUT)
    sign_in(web.client, "lead")
    assert web.client.get(f"/entities/{other}").status_code == 404
    assert web.client.get("/entities/nobody").status_code == 404


def test_the_police_reach_an_entity_only_through_a_case(web: World) -> None:
    sign_in(web.client, "police")
    assert web.client.get("/entities/ent-340202-1").status_code == 404
    referred_case(web, IN, "ent-340202-1")
    page = web.client.get("/entities/ent-340202-1")
    assert page.status_code == 200 and "C-340202-" in page.text


def test_the_timeline_shows_the_score_and_the_alert(web: World) -> None:
    sign_in(web.client, "lead")
    page = web.client.get("/entities/ent-340202-1").text
    timeline = page[page.index('class="timeline"') :]
    assert "2026-11-01" in timeline and "alert.raised" in timeline


def test_before_a_graph_build_the_family_says_it_is_not_built(web: World) -> None:
    sign_in(web.client, "lead")
    data = web.client.get("/entities/ent-340202-1/graph.json").json()
    assert data["available"] is False and data["nodes"] == [] and data["reason"]["zh"]
    page = web.client.get("/entities/ent-340202-1").text
    assert "股权穿透" in page and "graph build" in page
    assert web.client.get(f"/entities/{entity(web, OUT)}/graph.json").status_code == 404


def _published(web: World) -> None:
    """The planted graph with e1 = the red entity, e2 = the blue one (both in the county)."""
    publish_planted(web.store, {"e1": "ent-340202-1", "e2": "ent-340202-2"})


def test_the_family_graph_is_read_from_the_published_model_with_grades(web: World) -> None:
    _published(web)
    sign_in(web.client, "lead")
    data = web.client.get("/entities/ent-340202-1/graph.json").json()
    grades = {n["record"]: n["grade"] for n in data["nodes"] if n["record"]}
    assert grades["ent-340202-1"] == "red" and grades["ent-340202-2"] == "blue"
    assert data["family"]["enterprises"] == 7 and data["more"] >= 0
    kinds = {e["kind"] for e in data["edges"]}
    assert {"owns", "legal_representative"} <= kinds


def test_expanding_a_node_fetches_its_neighbours_within_the_family(web: World) -> None:
    _published(web)
    sign_in(web.client, "lead")
    near = web.client.get("/entities/ent-340202-2/graph.json", params={"depth": 1}).json()
    person = next(n for n in near["nodes"] if n["label"] == "张三")
    more = web.client.get(
        "/entities/ent-340202-2/graph.json", params={"around": person["key"]}
    ).json()
    assert "ent-340202-1" in {n["record"] for n in more["nodes"]}
    stranger = web.client.get("/entities/ent-340202-2/graph.json", params={"around": 10_000})
    assert stranger.status_code == 404


def test_linked_companies_outside_the_territory_are_hidden(web: World) -> None:
    outside = entity(web, OUT)  # scored and routed to another county
    publish_planted(web.store, {"e1": "ent-340202-1", "e2": outside})
    sign_in(web.client, "lead")
    text = web.client.get("/entities/ent-340202-1/graph.json", params={"depth": 3}).text
    data = json.loads(text)
    (hidden,) = [n for n in data["nodes"] if n["hidden"]]
    assert (hidden["label"], hidden["id"], hidden["record"], hidden["grade"]) == (None,) * 4
    assert outside not in text and "芜湖鑫源财富管理有限公司" not in text
    around = {"around": hidden["key"]}
    assert web.client.get("/entities/ent-340202-1/graph.json", params=around).status_code == 404


def test_the_ownership_table_shows_cumulative_shares_paths_and_the_cycle(web: World) -> None:
    _published(web)
    sign_in(web.client, "lead")
    page = web.client.get("/entities/ent-340202-1").text
    table = page[page.index("data-ownership") :]
    assert "周九" in table and "50.00%" in table and "24.00%" in table
    assert "钱七" in table and "芜湖顶层控股有限公司" in table
    assert "data-ownership-cycles" in page and "交叉持股" in page


def test_phones_in_the_graph_are_masked_as_the_api_masks_them(web: World) -> None:
    _published(web)
    sign_in(web.client, "viewer")
    masked = web.client.get("/entities/ent-340202-2/graph.json").json()
    assert "13900000002" not in json.dumps(masked) and "139****0002" in json.dumps(masked)
    for user in ("viewer", "lead"):
        web.tokens[user] = users.issue_token(web.store, user, name="t", days=1, actor=ROOT).secret
    api = web.call("viewer", "GET", "/api/v1/entities/ent-340202-2/graph").json()
    assert [n["label"] for n in api["nodes"]] == [n["label"] for n in masked["nodes"]]
    shown = web.call("lead", "GET", "/api/v1/entities/ent-340202-2/graph").text
    assert "13900000002" in shown
    with web.store.read_session() as session:
        views = session.scalars(
            sa.select(AuditEntry.detail).where(AuditEntry.action == "entity.view_pii")
        ).all()
    assert any(v.get("view") == "graph" for v in views)


def test_the_evidence_view_of_a_pii_role_is_audited(web: World) -> None:
    sign_in(web.client, "lead")
    web.client.get("/entities/ent-340202-1")
    with web.store.read_session() as session:
        views = session.scalars(
            sa.select(AuditEntry.detail).where(AuditEntry.action == "entity.view_pii")
        ).all()
    assert any(v.get("view") == "profile" for v in views)


def test_the_timeline_shows_what_the_patrol_saw_in_the_pages_language(web: World) -> None:
    with web.store.unit_of_work() as session:
        repos.add_run(session, run_id="pat-1", kind="patrol", source_id="patrol_wealth")
        session.flush()
        session.add(
            PatrolEvent(
                id="pe-1",
                run_id="pat-1",
                patrol_id="wealth",
                site="鑫源财富",
                kind="promise_raised",
                url="http://x.cn/p/1",
                at=datetime(2026, 11, 2, tzinfo=UTC),
                subject_id="ent-340202-1",
                subject_table="enterprise",
                subject_name=None,
                summary_zh="宣传收益率由18%提高至24%：稳健一号",
                summary_en="Promised return raised from 18% to 24%: 稳健一号",
                detail={},
            )
        )
    sign_in(web.client, "lead")
    page = web.client.get("/entities/ent-340202-1").text
    timeline = page[page.index('class="timeline"') :]
    assert "patrol.promise_raised" in timeline and "宣传收益率由18%提高至24%" in timeline
    assert "Promised return raised" not in timeline
