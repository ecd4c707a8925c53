"""Public risk warnings: only approved ones appear, searchable, with JSON and RSS feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from smokewatch.errors import Conflict, Forbidden
from smokewatch.services import public_warnings
from tests.api.world import ROOT
from tests.portal.conftest import Portal


def _warning(portal: Portal, title: str, about: str | None, day: date | None) -> str:
    drafted = public_warnings.draft(
        portal.store,
        ROOT,
        title=title,
        body=f"{title}。请广大群众提高警惕，远离非法集资。",
        issuing_agency="芜湖市地方金融管理局",
        adcode="340200",
        about=about,
    )
    if day is not None:
        public_warnings.approve(portal.store, ROOT, str(drafted["id"]), on=day)
    return str(drafted["id"])


@pytest.fixture
def published(portal: Portal) -> dict[str, str]:
    return {
        "pension": _warning(portal, "警惕以养老服务为名的非法集资", None, date(2026, 10, 1)),
        "xinyuan": _warning(
            portal, "关于鑫源财富的风险提示", "芜湖鑫源财富管理有限公司", date(2026, 11, 2)
        ),
        "draft": _warning(portal, "关于某某平台的风险提示（草稿）", "某某平台", None),
    }


def test_the_list_shows_published_warnings_newest_first_with_date_and_agency(
    portal: Portal, published: dict[str, str]
) -> None:
    page = portal.page("/warnings").text
    assert page.index("鑫源财富") < page.index("养老服务")
    assert "2026-11-02 · 芜湖市地方金融管理局" in page
    assert "草稿" not in page
    assert portal.page(f"/warnings/{published['draft']}").status_code == 404
    assert "远离非法集资" in portal.page(f"/warnings/{published['xinyuan']}").text


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("鑫源", ["xinyuan"]),
        ("养老 集资", ["pension"]),
        ("风险提示", ["xinyuan"]),
        ("没有的词", []),
    ],
)
def test_search_finds_words_in_title_body_or_subject(
    portal: Portal, published: dict[str, str], query: str, found: list[str]
) -> None:
    feed = portal.page("/api/warnings", params={"q": query}).json()
    assert [item["id"] for item in feed["items"]] == [published[k] for k in found]
    assert feed["total"] == len(found)
    page = portal.page("/warnings", params={"q": query}).text
    assert all(f"/warnings/{published[k]}" in page for k in found)


def test_the_json_and_rss_feeds_list_the_same_warnings(
    portal: Portal, published: dict[str, str]
) -> None:
    items = portal.page("/api/warnings").json()["items"]
    assert [i["id"] for i in items] == [published["xinyuan"], published["pension"]]
    assert items[0]["about"] == "芜湖鑫源财富管理有限公司" and "status" not in items[0]
    answer = portal.page("/feeds/warnings.rss")
    assert answer.headers["content-type"].startswith("application/rss+xml")
    channel = ET.fromstring(answer.content).find("channel")  # noqa: S314 - our own feed
    assert channel is not None
    rss = [
        (i.findtext("guid"), i.findtext("pubDate"), i.findtext("author"))
        for i in channel.iter("item")
    ]
    assert rss == [
        (published["xinyuan"], "Mon, 02 Nov 2026 00:00:00 +0000", "芜湖市地方金融管理局"),
        (published["pension"], "Thu, 01 Oct 2026 00:00:00 +0000", "芜湖市地方金融管理局"),
    ]


def test_a_withdrawn_warning_leaves_the_portal(portal: Portal, published: dict[str, str]) -> None:
    public_warnings.withdraw(portal.store, ROOT, published["pension"], reason="主体已整改")
    assert [i["id"] for i in portal.page("/api/warnings").json()["items"]] == [published["xinyuan"]]
    with pytest.raises(Conflict):
        public_warnings.withdraw(portal.store, ROOT, published["pension"], reason="again")


def test_a_lead_cannot_approve_their_own_draft(portal: Portal) -> None:
    lead = portal.actors["city"]
    drafted = public_warnings.draft(
        portal.store,
        lead,
        title="风险提示",
        body="内容",
        issuing_agency="市金融局",
        adcode="340202",
    )
    with pytest.raises(Forbidden, match="other than its author"):
        public_warnings.approve(portal.store, lead, str(drafted["id"]))
    assert (
        public_warnings.approve(portal.store, portal.actors["admin"], str(drafted["id"]))["status"]
        == "published"
    )
