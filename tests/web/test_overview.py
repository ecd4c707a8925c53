"""The overview page and its map: figures with what they count, lists, drill-down data."""

from __future__ import annotations

from tests.api.world import IN, OUT, World, entity, referred_case
from tests.services.monitored import rename
from tests.web.conftest import sign_in


def test_the_overview_shows_seed_figures_each_with_what_it_counts(web: World) -> None:
    subject = entity(web, IN)
    referred_case(web, IN, subject)
    sign_in(web.client, "lead")
    page = web.client.get("/overview").text
    assert 'data-figure="referred">1<' in page
    assert 'data-figure="platform-first">1<' in page
    assert (
        "平台先于其他渠道发现的案件" in page
        and 'title="立案前平台已对该主体发出预警的案件"' in page
    )
    assert 'data-figure="amount">未记录<' in page


def test_the_overview_lists_top_entities_with_links_to_their_profiles(web: World) -> None:
    entity(web, OUT)
    sign_in(web.client, "lead")
    page = web.client.get("/overview").text
    red, blue = sorted(s for s in ("ent-340202-1", "ent-340202-2"))
    assert f'href="/entities/{red}"' in page and f'href="/entities/{blue}"' in page
    assert "ent-340207" not in page  # the neighbouring county's entity is not shown


def test_hostile_names_are_escaped_on_the_overview(web: World) -> None:
    rename(web, "ent-340202-1", "<script>alert(1)</script>有限公司")
    sign_in(web.client, "lead")
    page = web.client.get("/overview").text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;有限公司" in page


def test_the_overview_loads_charts_without_inline_script(web: World) -> None:
    sign_in(web.client, "lead")
    page = web.client.get("/overview").text
    assert "<script>" not in page and "style=" not in page
    assert 'data-map-start="340000"' in page and "data-trend=" in page


def test_the_map_data_holds_approximate_cells_and_grade_counts(web: World) -> None:
    sign_in(web.client, "city")
    data = web.client.get("/overview/map/340200.json").json()
    assert data["code"] == "340200" and data["as_of"] == "2026-11-01"
    jinghu = next(r for r in data["regions"] if r["code"] == IN)
    assert jinghu["grades"] == {"red": 1, "orange": 0, "yellow": 0, "blue": 1}
    codes = {f["properties"]["code"] for f in data["geojson"]["features"]}
    assert IN in codes and all(f["properties"]["approximate"] for f in data["geojson"]["features"])


def test_the_map_drills_down_from_the_province(web: World) -> None:
    sign_in(web.client, "city")
    province = web.client.get("/overview/map/340000.json").json()
    wuhu = next(r for r in province["regions"] if r["code"] == "340200")
    assert wuhu["risk"] == 1 and wuhu["drillable"]
    assert web.client.get("/overview/map/340202.json").status_code == 404


def test_the_police_get_no_map(web: World) -> None:
    sign_in(web.client, "police")
    assert web.client.get("/overview/map/340200.json").status_code == 403


def test_the_map_needs_a_session(web: World) -> None:
    assert web.client.get("/overview/map/340200.json").status_code == 303
