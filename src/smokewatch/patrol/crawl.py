"""The crawl: each site breadth-first from its seeds, inside its hosts, depth and page limits.

Before the first page of an origin the crawler reads its robots.txt; a URL it disallows is not
requested unless the site records an authorised override (reason and authoriser), and the
refusal itself is reported, so the evidence shows what was deliberately left alone. Links
are followed to allowed hosts only, up to ``max_depth`` hops, never from a ``nofollow`` page;
redirects to other hosts are refused. Every outcome is yielded as a :class:`Visit`, in order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from smokewatch.patrol.decode import Decoded, decode_body
from smokewatch.patrol.extract import Extracted, extract
from smokewatch.patrol.fetch import Fetcher, Response
from smokewatch.patrol.robots import RobotsRules, fetch_robots, origin_of
from smokewatch.patrol.spec import PatrolSpec, RobotsOverride, Site

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Visit:
    """One step of the crawl: a page fetched, a robots.txt read, or a URL refused."""

    site: str
    role: str
    """``page``, ``robots`` or ``refused`` (not requested)."""
    url: str
    depth: int
    fetched_at: datetime
    response: Response | None = None
    decoded: Decoded | None = None
    extracted: Extracted | None = None
    refused: str | None = None
    """Why the URL was not requested (robots.txt), for ``refused``."""
    override: RobotsOverride | None = None
    """The authorisation under which robots.txt was overridden for this page."""


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, ``/`` for an empty path.

    Examples:
        >>> normalise_url("HTTP://Example.CN:80/a?b=1#top")
        'http://example.cn/a?b=1'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if parts.port in {None, _DEFAULT_PORTS.get(scheme)} else f"{host}:{parts.port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def host_allowed(url: str, hosts: tuple[str, ...]) -> bool:
    """Is the URL's host one of ``hosts`` (``*.example.cn`` covers sub-domains)?"""
    host = (urlsplit(url).hostname or "").lower()
    for allowed in hosts:
        if allowed.startswith("*."):
            if host == allowed[2:] or host.endswith(allowed[1:]):
                return True
        elif host == allowed:
            return True
    return False


class Crawler:
    """Crawls the sites of one spec with one fetcher (which owns the per-host throttle)."""

    def __init__(self, spec: PatrolSpec, fetcher: Fetcher, now: Callable[[], datetime]) -> None:
        self.spec = spec
        self.fetcher = fetcher
        self.now = now
        self._robots: dict[str, RobotsRules] = {}
        self._read: list[Visit] = []
        """robots.txt visits not yet yielded (read before a page or during a redirect)."""

    def crawl(self) -> Iterator[Visit]:
        """Every visit of every site, site by site."""
        for site in self.spec.sites:
            for host in site.hosts:
                self.fetcher.throttle.set_interval(host.removeprefix("*."), site.min_interval_s)
            yield from self._site(site)

    def _site(self, site: Site) -> Iterator[Visit]:
        queue = deque((normalise_url(seed), 0) for seed in site.seeds)
        seen = {url for url, _ in queue}
        pages = 0
        while queue and pages < site.max_pages:
            url, depth = queue.popleft()
            self._ensure_robots(site, url)
            yield from self._drain()
            refusal = self._robots_refusal(site, url)
            if refusal is not None:
                yield Visit(site.name, "refused", url, depth, self.now(), refused=refusal)
                continue
            visit = self._page(site, url, depth)
            pages += 1
            yield from self._drain()
            yield visit
            if visit.response is not None:
                seen.add(normalise_url(visit.response.final_url))
            if visit.extracted is None or visit.extracted.nofollow or depth >= site.max_depth:
                continue
            for link in visit.extracted.links:
                target = normalise_url(link)
                if target not in seen and host_allowed(target, site.hosts):
                    seen.add(target)
                    queue.append((target, depth + 1))

    def _drain(self) -> Iterator[Visit]:
        read, self._read = self._read, []
        yield from read

    def _ensure_robots(self, site: Site, url: str) -> None:
        origin = origin_of(url)
        if origin in self._robots:
            return
        fetched_at = self.now()
        rules = fetch_robots(self.fetcher, origin)
        self._robots[origin] = rules
        if rules.crawl_delay_s is not None:
            host = (urlsplit(url).hostname or "").lower()
            self.fetcher.throttle.set_interval(host, rules.crawl_delay_s)
        self._read.append(
            Visit(site.name, "robots", rules.response.url, 0, fetched_at, response=rules.response)
        )

    def _robots_refusal(self, site: Site, url: str) -> str | None:
        rules = self._robots.get(origin_of(url))
        if rules is None or rules.allows(url, self.fetcher.limits.user_agent):
            return None
        if site.robots_override is not None:
            return None
        return f"robots.txt of {rules.origin} disallows it ({rules.verdict})"

    def _guard(self, site: Site) -> Callable[[str], str | None]:
        def guard(target: str) -> str | None:
            if not host_allowed(target, site.hosts):
                return f"redirect to {urlsplit(target).hostname} outside the site's hosts"
            self._ensure_robots(site, target)
            return self._robots_refusal(site, normalise_url(target))

        return guard

    def _page(self, site: Site, url: str, depth: int) -> Visit:
        fetched_at = self.now()
        response = self.fetcher.fetch(url, guard=self._guard(site))
        override = None
        rules = self._robots.get(origin_of(url))
        if rules is not None and not rules.allows(url, self.fetcher.limits.user_agent):
            override = site.robots_override
        if not response.ok or response.skipped is not None:
            return Visit(site.name, "page", url, depth, fetched_at, response, override=override)
        decoded = decode_body(
            response.body,
            content_type=response.header("content-type"),
            content_encoding=response.header("content-encoding"),
            max_bytes=self.fetcher.limits.max_bytes,
        )
        extracted = extract(decoded.text, response.final_url, response.media_type)
        return Visit(
            site.name, "page", url, depth, fetched_at, response, decoded, extracted, None, override
        )


__all__ = ["Crawler", "Visit", "host_allowed", "normalise_url"]
