"""Fetching on loopback: redirects, limits, retries, media types and the per-host throttle."""

from __future__ import annotations

from smokewatch.patrol.fetch import Fetcher, HostThrottle, SystemClock
from smokewatch.patrol.spec import FetchLimits
from tests.patrol.site import FakeClock, FakeSite, Page, html, redirect


def fetcher(clock: FakeClock | SystemClock, **limits: object) -> Fetcher:
    options = {"retries": 0, "backoff_s": 0.5, **limits}
    return Fetcher(FetchLimits.model_validate(options), HostThrottle(clock, 0.0))


def test_a_page_comes_back_with_status_headers_and_raw_bytes(
    site: FakeSite, clock: FakeClock
) -> None:
    body = html("年化18%", charset="gbk", meta=True)
    site.routes["/"] = Page(body, content_type="text/html")
    response = fetcher(clock).fetch(site.url("/"))
    assert (response.ok, response.status, response.body) == (True, 200, body)
    assert response.media_type == "text/html"


def test_the_user_agent_of_the_spec_is_announced(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/"] = Page(html("x"))
    fetcher(clock, user_agent="smokewatch-patrol/test (+mailto:patrol@example.cn)").fetch(
        site.url("/")
    )
    assert site.requests == [("/", "smokewatch-patrol/test (+mailto:patrol@example.cn)")]


def test_redirects_are_followed_and_every_hop_recorded(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/old"] = redirect("/moved", 301)
    site.routes["/moved"] = redirect(site.url("/new"), 302)
    site.routes["/new"] = Page(html("新页面"))
    response = fetcher(clock).fetch(site.url("/old"))
    assert response.final_url == site.url("/new")
    assert [(h.url, h.status, h.location) for h in response.redirects] == [
        (site.url("/old"), 301, site.url("/moved")),
        (site.url("/moved"), 302, site.url("/new")),
    ]


def test_a_redirect_loop_stops_at_the_limit(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/a"] = redirect("/b")
    site.routes["/b"] = redirect("/a")
    response = fetcher(clock, max_redirects=3).fetch(site.url("/a"))
    assert response.error == "more than 3 redirects"
    assert len(site.requests) == 4


def test_a_redirect_the_guard_refuses_is_not_followed(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/go"] = redirect("http://elsewhere.invalid/")
    response = fetcher(clock).fetch(site.url("/go"), guard=lambda url: f"no: {url}")
    assert response.error == "no: http://elsewhere.invalid/"
    assert not response.ok


def test_an_oversized_body_is_kept_truncated_at_max_bytes(site: FakeSite, clock: FakeClock) -> None:
    site.routes["/big"] = Page(b"x" * 5000, content_type="text/html")
    response = fetcher(clock, max_bytes=1024).fetch(site.url("/big"))
    assert (len(response.body), response.truncated) == (1024, True)


def test_a_trickling_server_is_cut_off_at_the_total_timeout(site: FakeSite) -> None:
    site.routes["/slow"] = Page(b"y" * 200, content_type="text/html", trickle_s=0.05)
    response = fetcher(SystemClock(), total_timeout_s=0.3, connect_timeout_s=1).fetch(
        site.url("/slow")
    )
    assert response.error == "response took longer than 0.3 s"
    assert response.status is None


def test_bodies_of_media_types_not_patrolled_are_not_downloaded(
    site: FakeSite, clock: FakeClock
) -> None:
    site.routes["/logo.png"] = Page(b"\x89PNG" * 100, content_type="image/png")
    response = fetcher(clock).fetch(site.url("/logo.png"))
    assert (response.status, response.body) == (200, b"")
    assert response.skipped == "media type 'image/png' is not patrolled"


def test_server_errors_are_retried_with_doubling_backoff(site: FakeSite, clock: FakeClock) -> None:
    answers = iter([Page(b"", status=503), Page(b"", status=500), Page(html("好了"))])
    site.routes["/flaky"] = lambda: next(answers)
    response = fetcher(clock, retries=2, backoff_s=0.5).fetch(site.url("/flaky"))
    assert (response.status, response.attempts) == (200, 3)
    assert clock.sleeps == [0.5, 1.0]


def test_retry_after_lengthens_the_wait(site: FakeSite, clock: FakeClock) -> None:
    answers = iter([Page(b"", status=429, headers={"Retry-After": "7"}), Page(html("ok"))])
    site.routes["/busy"] = lambda: next(answers)
    fetcher(clock, retries=1, backoff_s=0.5).fetch(site.url("/busy"))
    assert clock.sleeps == [7.0]


def test_a_refused_connection_is_an_error_not_an_exception(clock: FakeClock) -> None:
    response = fetcher(clock).fetch("http://127.0.0.1:9/")
    assert response.status is None
    assert response.error is not None


def test_the_throttle_keeps_the_interval_per_host(clock: FakeClock) -> None:
    throttle = HostThrottle(clock, 2.0)
    waits = [throttle.wait("a.cn"), throttle.wait("b.cn"), throttle.wait("a.cn")]
    clock.now += 5
    waits.append(throttle.wait("a.cn"))
    assert waits == [0.0, 0.0, 2.0, 0.0]


def test_a_longer_interval_for_a_host_wins(clock: FakeClock) -> None:
    throttle = HostThrottle(clock, 1.0)
    throttle.set_interval("a.cn", 5.0)
    throttle.set_interval("a.cn", 2.0)
    throttle.wait("a.cn")
    assert throttle.wait("a.cn") == 5.0
