"""The crawl: robots.txt, overrides, hosts, depth, page limits, nofollow and crawl-delay."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from smokewatch.patrol.crawl import Crawler, Visit, host_allowed, normalise_url
from smokewatch.patrol.fetch import Fetcher, HostThrottle
from smokewatch.patrol.spec import PatrolSpec
from tests.patrol.site import FakeClock, FakeSite, Page, html, redirect

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def crawl(site: FakeSite, clock: FakeClock, **site_options: Any) -> list[Visit]:
    spec = PatrolSpec.model_validate(
        {
            "id": "t",
            "title": "测试",
            "sites": [{"name": "鑫源财富", "seeds": [site.url("/")], **site_options}],
            "fetch": {"retries": 0, "user_agent": "smokewatch-patrol/test"},
        }
    )
    fetcher = Fetcher(spec.fetch, HostThrottle(clock))
    return list(Crawler(spec, fetcher, lambda: NOW).crawl())


def links(*paths: str) -> str:
    return "".join(f'<a href="{p}">{p}</a>' for p in paths)


def pages(visits: list[Visit]) -> list[str]:
    return [v.url.split(":", 2)[2].split("/", 1)[1] for v in visits if v.role == "page"]


def test_robots_txt_is_read_first_and_its_disallowed_paths_are_not_requested(
    site: FakeSite, clock: FakeClock
) -> None:
    site.routes["/robots.txt"] = Page(
        b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    site.routes["/"] = Page(html(links("/private/list", "/about")))
    site.routes["/about"] = Page(html("关于我们"))
    visits = crawl(site, clock)
    assert [v.role for v in visits] == ["robots", "page", "refused", "page"]
    assert "/private/list" not in site.paths()
    assert visits[2].refused is not None and "robots.txt" in visits[2].refused


def test_an_authorised_override_fetches_disallowed_pages_and_says_so(
    site: FakeSite, clock: FakeClock
) -> None:
    site.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /\n", content_type="text/plain")
    site.routes["/"] = Page(html("年化18%"))
    override = {"reason": "联席会议决定（2026）3号", "authorised_by": "市地方金融管理局 张三"}
    visits = crawl(site, clock, robots_override=override)
    page = next(v for v in visits if v.role == "page")
    assert page.response is not None and page.response.ok
    assert page.override is not None and page.override.authorised_by == "市地方金融管理局 张三"


def test_a_missing_robots_txt_allows_everything(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/"] = Page(html("首页"))
    assert [v.role for v in crawl(site, clock)] == ["robots", "page"]


def test_an_unreachable_robots_txt_disallows_everything(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/robots.txt"] = Page(b"", status=503)
    site.routes["/"] = Page(html("首页"))
    assert [v.role for v in crawl(site, clock)] == ["robots", "refused"]
    assert "/" not in site.paths()


def test_crawl_delay_raises_the_interval_between_requests(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/robots.txt"] = Page(b"User-agent: *\nCrawl-delay: 3\n", content_type="text/plain")
    site.routes["/"] = Page(html(links("/a")))
    site.routes["/a"] = Page(html("a"))
    crawl(site, clock, min_interval_s=1)
    assert clock.sleeps == [3.0, 3.0]


def test_requests_to_one_host_keep_the_site_interval(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/"] = Page(html(links("/a", "/b")))
    for path in ("/a", "/b"):
        site.routes[path] = Page(html(path))
    crawl(site, clock, min_interval_s=2)
    assert clock.sleeps == [2.0, 2.0, 2.0]  # robots, /, /a, /b: three waits


def test_links_are_followed_breadth_first_up_to_max_depth(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/"] = Page(html(links("/1")))
    site.routes["/1"] = Page(html(links("/2")))
    site.routes["/2"] = Page(html(links("/3")))
    assert pages(crawl(site, clock, max_depth=2)) == ["", "1", "2"]


def test_max_pages_bounds_the_pages_fetched(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/"] = Page(html(links(*[f"/p{i}" for i in range(10)])))
    for i in range(10):
        site.routes[f"/p{i}"] = Page(html(str(i)))
    assert len(pages(crawl(site, clock, max_pages=4))) == 4


def test_links_to_other_hosts_are_not_followed(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/"] = Page(html(links("http://localhost:1/elsewhere", "/in")))
    site.routes["/in"] = Page(html("in"))
    assert pages(crawl(site, clock)) == ["", "in"]


def test_a_redirect_off_the_site_is_refused(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/"] = redirect("http://localhost:1/landing")
    visit = next(v for v in crawl(site, clock) if v.role == "page")
    assert visit.response is not None
    assert visit.response.error == "redirect to localhost outside the site's hosts"


def test_nofollow_pages_are_read_but_their_links_are_not_followed(
    site: FakeSite, clock: FakeClock
) -> None:
    site.routes["/"] = Page(html('<meta name="robots" content="nofollow">' + links("/a")))
    assert pages(crawl(site, clock)) == [""]


def test_gbk_pages_are_decoded_and_extracted(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/"] = Page(
        html("<p>年化收益高达18%</p>", title="鑫源", charset="gbk", meta=True),
        content_type="text/html",
    )
    visit = next(v for v in crawl(site, clock) if v.role == "page")
    assert visit.extracted is not None and visit.decoded is not None
    assert (visit.extracted.title, visit.extracted.text) == ("鑫源", "年化收益高达18%")
    assert visit.decoded.encoding == "gb18030"


def test_urls_are_normalised_and_hosts_matched_with_wildcards() -> None:
    assert normalise_url("HTTPS://A.cn:443") == "https://a.cn/"
    assert host_allowed("http://m.a.cn/x", ("*.a.cn",))
    assert host_allowed("http://a.cn/x", ("*.a.cn",))
    assert not host_allowed("http://bad-a.cn/x", ("*.a.cn",))


CANONICAL = "http://www.xinyuan.example.cn"


def mirrored(site: FakeSite, clock: FakeClock) -> list[Visit]:
    """Crawl :data:`CANONICAL`, fetched from ``site`` as its mirror."""
    spec = PatrolSpec.model_validate(
        {
            "id": "t",
            "title": "测试",
            "sites": [{"name": "鑫源财富", "seeds": [f"{CANONICAL}/"], "mirror": site.base}],
            "fetch": {"retries": 0, "user_agent": "smokewatch-patrol/test"},
        }
    )
    fetcher = Fetcher(spec.fetch, HostThrottle(clock), spec.mirrors)
    return list(Crawler(spec, fetcher, lambda: NOW).crawl())


def test_a_site_fetched_from_a_mirror_keeps_its_canonical_urls(
    site: FakeSite, clock: FakeClock
) -> None:
    # A relative link, an absolute link to the mirror itself, and a redirect: all canonical.
    site.routes["/robots.txt"] = Page(
        b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain"
    )
    site.routes["/"] = Page(html(links("/about", site.url("/product"), "/old", "/admin/")))
    site.routes["/about"] = Page(html("关于我们"))
    site.routes["/product"] = Page(html("年化18%"))
    site.routes["/old"] = redirect(site.url("/about"))
    visits = mirrored(site, clock)
    assert [(v.role, v.url.removeprefix(CANONICAL)) for v in visits] == [
        ("robots", "/robots.txt"),
        ("page", "/"),
        ("page", "/about"),
        ("page", "/product"),
        ("page", "/old"),
        ("refused", "/admin/"),
    ]
    assert site.paths() == ["/robots.txt", "/", "/about", "/product", "/old", "/about"]
    old = visits[4].response
    assert old is not None and old.ok
    assert (old.final_url, old.fetched_url) == (f"{CANONICAL}/about", site.url("/about"))
    assert [(h.url, h.location) for h in old.redirects] == [
        (f"{CANONICAL}/old", f"{CANONICAL}/about")
    ]
    assert all(v.response is None or v.response.fetched_url.startswith(site.base) for v in visits)
