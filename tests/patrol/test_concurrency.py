"""Sites side by side: several hosts at once, each host still one request at a time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from smokewatch.patrol.crawl import Crawler, Visit
from smokewatch.patrol.fetch import Fetcher, HostThrottle, SystemClock
from smokewatch.patrol.spec import PatrolSpec
from tests.patrol.site import FakeSite, Page, html, serve

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def spec_of(sites: list[dict[str, Any]], workers: int) -> PatrolSpec:
    return PatrolSpec.model_validate(
        {"id": "t", "title": "测试", "sites": sites, "fetch": {"retries": 0, "workers": workers}}
    )


def crawl(spec: PatrolSpec) -> list[Visit]:
    fetcher = Fetcher(spec.fetch, HostThrottle(SystemClock()))
    return list(Crawler(spec, fetcher, lambda: NOW).crawl())


@pytest.fixture
def two_hosts() -> Iterator[tuple[FakeSite, FakeSite]]:
    """Two sites on two loopback addresses whose home pages only answer once both were asked.

    A crawl that visited one site after the other would wait on the first home page until the
    barrier gives up, and that page would fail with 503.
    """
    barrier = threading.Barrier(2, timeout=10)

    def meeting(text: str) -> Page:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return Page(b"alone", status=503, content_type="text/plain")
        return Page(html(text))

    first, second = FakeSite(host="127.0.0.1"), FakeSite(host="127.0.0.2")
    first.routes["/"] = lambda: meeting("鑫源财富")
    second.routes["/"] = lambda: meeting("聚宝理财")
    with serve(first), serve(second):
        yield first, second


def test_two_hosts_are_crawled_at_the_same_time(two_hosts: tuple[FakeSite, FakeSite]) -> None:
    first, second = two_hosts
    sites = [
        {"name": "鑫源财富", "seeds": [first.url("/")], "min_interval_s": 0},
        {"name": "聚宝理财", "seeds": [second.url("/")], "min_interval_s": 0},
    ]
    visits = crawl(spec_of(sites, workers=2))
    statuses = {v.site: v.response.status for v in visits if v.role == "page" and v.response}
    assert statuses == {"鑫源财富": 200, "聚宝理财": 200}


def test_each_site_keeps_its_own_order_when_sites_interleave(
    two_hosts: tuple[FakeSite, FakeSite],
) -> None:
    first, second = two_hosts
    for site in (first, second):
        site.routes["/a"] = Page(html("a"))
    body = '<a href="/a">a</a>'
    for site in (first, second):
        site.routes["/"] = lambda met=site.routes["/"]: _with_link(met(), body)
    sites = [
        {"name": "鑫源财富", "seeds": [first.url("/")], "min_interval_s": 0},
        {"name": "聚宝理财", "seeds": [second.url("/")], "min_interval_s": 0},
    ]
    visits = crawl(spec_of(sites, workers=2))
    for name in ("鑫源财富", "聚宝理财"):
        own = [(v.role, v.url.rsplit("/", 1)[1]) for v in visits if v.site == name]
        assert own == [("robots", "robots.txt"), ("page", ""), ("page", "a")]


def _with_link(page: Page, link: str) -> Page:
    if page.status != 200:
        return page
    return Page(page.body.replace(b"</body>", link.encode() + b"</body>"))


def test_sites_sharing_a_host_never_send_it_two_requests_at_once(site: FakeSite) -> None:
    def slow(text: str) -> Page:
        threading.Event().wait(0.02)  # hold the request open so that overlaps would show
        return Page(html(text))

    for i in range(4):
        site.routes[f"/{i}"] = lambda i=i: slow(f"第{i}页")
    sites = [
        {"name": f"站点{i}", "seeds": [site.url(f"/{i}")], "min_interval_s": 0, "max_depth": 0}
        for i in range(4)
    ]
    visits = crawl(spec_of(sites, workers=4))
    assert sum(v.role == "page" for v in visits) == 4
    assert site.paths().count("/robots.txt") == 1  # one origin, read once
    assert site.max_in_flight == 1


def test_a_failing_site_stops_the_crawl_with_its_error(site: FakeSite) -> None:
    class Boom(Exception):
        pass

    site.routes["/"] = Page(html("首页"))
    sites = [
        {"name": "甲", "seeds": [site.url("/")], "min_interval_s": 0},
        {"name": "乙", "seeds": ["http://127.0.0.9:9/"], "min_interval_s": 0},
    ]
    spec = spec_of(sites, workers=2)
    fetcher = Fetcher(spec.fetch, HostThrottle(SystemClock()))

    def now() -> datetime:
        if threading.current_thread() is not threading.main_thread():
            raise Boom("clock broke in a worker")
        return NOW

    with pytest.raises(Boom, match="clock broke"):
        list(Crawler(spec, fetcher, now).crawl())
