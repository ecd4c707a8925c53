"""The overview's "three drops" panel and its CSV download."""

from __future__ import annotations

from tests.api.world import World
from tests.services.test_sector_trends import _months
from tests.web.conftest import sign_in


def test_the_panel_shows_the_sector_in_three_drops_and_links_its_months(web: World) -> None:
    _months(
        web,
        "online_lending",
        [("2026-08", 9, 9e8, 900, 300), ("2026-09", 8, 8e8, 800, 250), ("2026-10", 6, 7e8, 700, 2)],
    )
    sign_in(web.client, "lead")
    page = web.client.get("/overview").text
    panel = page[page.index('data-sector="online_lending"') :]
    assert 'data-figure="institutions">6<' in panel
    assert 'data-figure="three-drops">2 个月<' in panel
    assert "data-declines=" in panel and "网络借贷" in panel
    download = web.client.get("/overview/sectors/online_lending.csv")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("month,institutions,balance")
    assert lines[-1].startswith("2026-10,6,") and lines[-1].endswith(",yes")


def test_without_published_statistics_there_is_no_panel(web: World) -> None:
    sign_in(web.client, "lead")
    assert "data-declines" not in web.client.get("/overview").text
    assert web.client.get("/overview/sectors/online_lending.csv").status_code == 422
    assert web.client.get("/overview/sectors/nonsense.csv").status_code == 404
