"""The watch list page: filters, name search, paging, exports, and who may see it."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.api.world import IN, OUT, PHONE, World, entity
from tests.services.monitored import rename
from tests.web.conftest import sign_in


def test_a_lead_filters_the_list_by_grade(web: World) -> None:
    sign_in(web.client, "lead")
    page = web.client.get("/watchlist?grade=red").text
    assert 'data-total="1"' in page and "ent-340202-1" in page and "ent-340202-2" not in page


def test_the_filter_form_gets_only_the_results_through_htmx(web: World) -> None:
    sign_in(web.client, "lead")
    fragment = web.client.get("/watchlist?q=cfgl", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and 'data-total="2"' in fragment
    assert "拼音首字母" in fragment  # says how the name matched


def test_names_are_found_by_short_name(web: World) -> None:
    rename(web, "ent-340202-1", "芜湖智鼎资产管理有限公司")
    sign_in(web.client, "lead")
    page = web.client.get("/watchlist", params={"q": "智鼎资管"}).text
    assert 'data-total="1"' in page and "简称" in page


def test_hostile_names_are_escaped_in_the_list(web: World) -> None:
    rename(web, "ent-340202-1", '"><img src=x onerror=alert(1)>')
    sign_in(web.client, "lead")
    page = web.client.get("/watchlist").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_neighbouring_county_does_not_see_the_entities(web: World) -> None:
    sign_in(web.client, "jiujiang")
    assert 'data-total="0"' in web.client.get("/watchlist").text


def test_the_police_may_not_open_the_list(web: World) -> None:
    sign_in(web.client, "police")
    assert web.client.get("/watchlist").status_code == 403
    assert web.client.get("/watchlist/export.csv").status_code == 403


def test_a_bad_filter_is_an_error_page(web: World) -> None:
    sign_in(web.client, "lead")
    assert web.client.get("/watchlist?grade=purple").status_code == 422


def test_pages_link_to_each_other_keeping_the_filters(web: World) -> None:
    for _ in range(30):
        entity(web, IN)
    sign_in(web.client, "lead")
    page = web.client.get("/watchlist?grade=red").text
    assert "第 1 页，共 2 页" in page
    assert 'href="/watchlist?grade=red&amp;page=2"' in page


def test_the_csv_export_holds_every_filtered_row(web: World) -> None:
    for _ in range(30):
        entity(web, IN)
    entity(web, OUT)
    sign_in(web.client, "lead")
    response = web.client.get("/watchlist/export.csv?grade=red")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 31 and {r["grade"] for r in rows} == {"red"}
    assert all(r["adcode"] == IN for r in rows)


def test_the_xlsx_export_is_a_workbook_of_the_list(web: World) -> None:
    sign_in(web.client, "viewer")
    response = web.client.get("/watchlist/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][0] == "subject_id"
    assert PHONE not in str(rows)


def test_an_unknown_export_format_is_not_found(web: World) -> None:
    sign_in(web.client, "lead")
    assert web.client.get("/watchlist/export.pdf").status_code == 404
