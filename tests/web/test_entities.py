"""The entity page: index, reasons with highlighted evidence, PII masked, who may see it."""

from __future__ import annotations

import sqlalchemy as sa

from smokewatch.store.orm import Finding
from smokewatch.store.orm_cases import AuditEntry
from tests.api.world import IN, OUT, PHONE, World, entity, referred_case
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


def test_the_graph_data_is_the_entitys_neighbourhood(web: World) -> None:
    sign_in(web.client, "lead")
    data = web.client.get("/entities/ent-340202-1/graph.json").json()
    assert data["nodes"][0]["id"] == "ent-340202-1" and data["nodes"][0]["root"]
    assert web.client.get(f"/entities/{entity(web, OUT)}/graph.json").status_code == 404


def test_the_evidence_view_of_a_pii_role_is_audited(web: World) -> None:
    sign_in(web.client, "lead")
    web.client.get("/entities/ent-340202-1")
    with web.store.read_session() as session:
        views = session.scalars(
            sa.select(AuditEntry.detail).where(AuditEntry.action == "entity.view_pii")
        ).all()
    assert any(v.get("view") == "profile" for v in views)
