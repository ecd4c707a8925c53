"""The crawl: each site breadth-first from its seeds, inside its hosts, depth and page limits.

Before the first page of an origin the crawler reads its robots.txt; a URL it disallows is not
requested unless the site records an authorised override (reason and authoriser), and the
refusal itself is reported, so the evidence shows what was deliberately left alone. Links
are followed to allowed hosts only, up to ``max_depth`` hops, never from a ``nofollow`` page;
redirects to other hosts are refused. Every outcome is yielded as a :class:`Visit`, in order.

Sites are crawled side by side by a bounded pool of threads (``fetch.workers``); the visits of
one site keep their order, those of different sites interleave as they come. Politeness is
per host and across sites (:class:`~smokewatch.patrol.fetch.HostThrottle`), and robots.txt is
read once per origin even when two sites share it.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from smokewatch.patrol.contacts import Fact, page_facts
from smokewatch.patrol.decode import Decoded, decode_body
from smokewatch.patrol.extract import Extracted, extract
from smokewatch.patrol.fetch import Fetcher, Response
from smokewatch.patrol.render import Rendered, Renderer
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
    facts: tuple[Fact, ...] = ()
    """Contacts and identities read from the page's text (:mod:`~smokewatch.patrol.contacts`)."""
    rendered: Rendered | None = None
    """The page as headless Chromium rendered it (sites with ``render: true``)."""


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

    def __init__(
        self,
        spec: PatrolSpec,
        fetcher: Fetcher,
        now: Callable[[], datetime],
        *,
        workers: int | None = None,
        renderer: Renderer | None = None,
    ) -> None:
        self.spec = spec
        self.fetcher = fetcher
        self.now = now
        self.renderer = renderer
        self.workers = workers if workers is not None else spec.fetch.workers
        self._robots: dict[str, RobotsRules] = {}
        self._origins: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def crawl(self) -> Iterator[Visit]:
        """Every visit of every site (sites side by side when ``workers`` > 1)."""
        for site in self.spec.sites:
            for host in site.hosts:
                self.fetcher.throttle.set_interval(host.removeprefix("*."), site.min_interval_s)
        walks = [self._walker(site) for site in self.spec.sites]
        if self.workers <= 1 or len(walks) == 1:
            for walk in walks:
                yield from walk()
            return
        yield from _side_by_side(walks, self.workers)

    def _walker(self, site: Site) -> Callable[[], Iterator[Visit]]:
        return lambda: self._site(site)

    def _site(self, site: Site) -> Iterator[Visit]:
        queue_ = deque((normalise_url(seed), 0) for seed in site.seeds)
        seen = {url for url, _ in queue_}
        pages = 0
        read: list[Visit] = []  # robots.txt visits not yet yielded (before a page, in a redirect)
        while queue_ and pages < site.max_pages:
            url, depth = queue_.popleft()
            self._ensure_robots(site, url, read)
            yield from _drain(read)
            refusal = self._robots_refusal(site, url)
            if refusal is not None:
                yield Visit(site.name, "refused", url, depth, self.now(), refused=refusal)
                continue
            visit = self._page(site, url, depth, read)
            pages += 1
            yield from _drain(read)
            yield visit
            if visit.response is not None:
                seen.add(normalise_url(visit.response.final_url))
            if visit.extracted is None or visit.extracted.nofollow or depth >= site.max_depth:
                continue
            for link in visit.extracted.links:
                target = normalise_url(self.fetcher.mirrors.canonical(link))
                if target not in seen and host_allowed(target, site.hosts):
                    seen.add(target)
                    queue_.append((target, depth + 1))

    def _ensure_robots(self, site: Site, url: str, read: list[Visit]) -> None:
        origin = origin_of(url)
        with self._guard:
            lock = self._origins.setdefault(origin, threading.Lock())
        with lock:  # another site's thread may be reading the same robots.txt
            if origin in self._robots:
                return
            fetched_at = self.now()
            rules = fetch_robots(self.fetcher, origin)
            if rules.crawl_delay_s is not None:
                host = (urlsplit(url).hostname or "").lower()
                self.fetcher.throttle.set_interval(host, rules.crawl_delay_s)
            self._robots[origin] = rules
        read.append(
            Visit(site.name, "robots", rules.response.url, 0, fetched_at, response=rules.response)
        )

    def _robots_refusal(self, site: Site, url: str) -> str | None:
        rules = self._robots.get(origin_of(url))
        if rules is None or rules.allows(url, self.fetcher.limits.user_agent):
            return None
        if site.robots_override is not None:
            return None
        return f"robots.txt of {rules.origin} disallows it ({rules.verdict})"

    def _redirect_guard(self, site: Site, read: list[Visit]) -> Callable[[str], str | None]:
        def guard(target: str) -> str | None:
            if not host_allowed(target, site.hosts):
                return f"redirect to {urlsplit(target).hostname} outside the site's hosts"
            self._ensure_robots(site, target, read)
            return self._robots_refusal(site, normalise_url(target))

        return guard

    def _page(self, site: Site, url: str, depth: int, read: list[Visit]) -> Visit:
        fetched_at = self.now()
        response = self.fetcher.fetch(url, guard=self._redirect_guard(site, read))
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
        rendered = self._render(site, response.final_url)
        if rendered is not None and rendered.error is None:
            extracted = extract(rendered.html, rendered.final_url, "text/html")
        facts = page_facts(extracted.text)
        return Visit(
            site.name, "page", url, depth, fetched_at, response, decoded, extracted, None,
            override, facts, rendered,
        )  # fmt: skip

    def _render(self, site: Site, url: str) -> Rendered | None:
        """The page rendered in the browser, holding its host's turn; ``None`` unless asked."""
        if not site.render or self.renderer is None:
            return None
        host = (urlsplit(url).hostname or "").lower()
        with self.fetcher.throttle.turn(host):
            return self.renderer.render(url, lambda target: _may_load(site, target))


def _may_load(site: Site, url: str) -> bool:
    """May the browser load ``url`` while rendering a page of ``site``? Its hosts only."""
    scheme = urlsplit(url).scheme
    if scheme in {"data", "blob", "about"}:
        return True
    return scheme in {"http", "https"} and host_allowed(url, site.hosts)


def _drain(read: list[Visit]) -> Iterator[Visit]:
    visits = list(read)
    read.clear()
    yield from visits


_END = object()
"""A walk has no more visits."""


def _side_by_side(walks: list[Callable[[], Iterator[Visit]]], workers: int) -> Iterator[Visit]:
    """The visits of several walks, each run by one of ``workers`` threads, as they come.

    The queue between the threads and the caller is bounded, so a slow consumer (the manifest
    writer) holds the crawl back instead of filling memory. When the caller stops early or a
    walk fails, the other walks stop at their next visit, and the failure is raised here.
    """
    out: queue.Queue[object] = queue.Queue(maxsize=workers * 8)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    def run(walk: Callable[[], Iterator[Visit]]) -> None:
        if stop.is_set():
            return
        try:
            for visit in walk():
                if not put(visit):
                    return
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            put(exc)
            return
        put(_END)

    pool = ThreadPoolExecutor(max_workers=min(workers, len(walks)), thread_name_prefix="patrol")
    try:
        for walk in walks:
            pool.submit(run, walk)
        left = len(walks)
        while left:
            item = out.get()
            if item is _END:
                left -= 1
            elif isinstance(item, BaseException):
                raise item
            elif isinstance(item, Visit):
                yield item
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["Crawler", "Visit", "host_allowed", "normalise_url"]
