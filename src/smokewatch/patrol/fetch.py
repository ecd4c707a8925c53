"""Fetching one URL politely: throttled per host, bounded in time and size, redirects recorded.

The fetcher speaks HTTP/1.1 through the standard library (``http.client``), so patrol needs no
extra dependency and never runs JavaScript. Every request — each redirect hop, each retry and
each robots.txt — first waits for its host's turn (:class:`HostThrottle`). A response is cut
off at ``max_bytes`` (kept, flagged ``truncated``) and at ``total_timeout_s`` (a server that
trickles bytes cannot hold the patrol). Bodies of media types the patrol does not read are
not downloaded. Connection errors, 429 and 5xx are retried with exponential backoff. A site
fetched from a mirror (:mod:`~smokewatch.patrol.mirror`) is requested there, while the
response speaks of canonical URLs and names the one fetched (``fetched_url``).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin, urlsplit

from smokewatch.patrol.mirror import Mirrors
from smokewatch.patrol.spec import FetchLimits

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 << 10
_MAX_RETRY_AFTER_S = 60.0


class Clock(Protocol):
    """Time as the fetcher sees it (tests pass a fake that records the waits)."""

    def monotonic(self) -> float:
        """Seconds on a monotonic clock."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """``time.sleep()``."""
        time.sleep(seconds)


@dataclass(slots=True)
class HostThrottle:
    """Keeps at least an interval between two requests to the same host.

    Safe to share between threads: :meth:`turn` holds the host's lock for the whole request,
    so a host never sees two requests of one patrol at once, while other hosts go ahead.
    """

    clock: Clock
    default_interval_s: float = 1.0
    intervals: dict[str, float] = field(default_factory=dict)
    """Per-host interval (site setting, or robots.txt ``Crawl-delay`` when larger)."""
    _last: dict[str, float] = field(default_factory=dict)
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def set_interval(self, host: str, seconds: float) -> None:
        """Use ``seconds`` for ``host`` (the larger of the current and the new one)."""
        with self._guard:
            self.intervals[host] = max(seconds, self.intervals.get(host, 0.0))

    @contextmanager
    def turn(self, host: str) -> Iterator[float]:
        """Wait for ``host``'s turn and keep it until the block ends; yields the seconds waited."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            yield self.wait(host)

    def wait(self, host: str) -> float:
        """Wait for ``host``'s turn and take it; returns the seconds waited."""
        interval = self.intervals.get(host, self.default_interval_s)
        last = self._last.get(host)
        waited = 0.0
        if last is not None:
            waited = max(0.0, last + interval - self.clock.monotonic())
            if waited > 0:
                self.clock.sleep(waited)
        self._last[host] = self.clock.monotonic()
        return waited


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect: the URL asked for, its status and where it pointed."""

    url: str
    status: int
    location: str


@dataclass(frozen=True, slots=True)
class Response:
    """What fetching one URL produced (also when it failed)."""

    url: str
    """The URL asked for."""
    final_url: str
    """The URL that answered after redirects."""
    status: int | None
    """HTTP status of the final response; ``None`` when no response came."""
    headers: tuple[tuple[str, str], ...]
    """Response headers as received (order and repeats kept)."""
    body: bytes
    """Body bytes as received (not decompressed), possibly cut at ``max_bytes``."""
    redirects: tuple[Hop, ...] = ()
    truncated: bool = False
    """The body was cut at ``max_bytes`` or by the total timeout."""
    skipped: str | None = None
    """Why the body was not downloaded (media type not patrolled)."""
    error: str | None = None
    """Why the fetch failed (network error, timeout, refused redirect, too many redirects)."""
    attempts: int = 1
    fetched_url: str | None = None
    """The URL requested for ``final_url`` when that differs (the site's mirror)."""

    @property
    def media_type(self) -> str | None:
        """Lower-case media type of ``Content-Type`` (without parameters)."""
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive)."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def ok(self) -> bool:
        """A 2xx response whose body was read."""
        return self.error is None and self.status is not None and 200 <= self.status < 300


RedirectGuard = Callable[[str], str | None]
"""Called with a redirect target; returns why it must not be followed, or ``None``."""


class _Failed(Exception):
    """A request failed; ``retry`` when trying again may help (network errors)."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(slots=True)
class _Raw:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: bool
    skipped: str | None


class Fetcher:
    """Fetches URLs under one patrol's :class:`FetchLimits`."""

    def __init__(
        self, limits: FetchLimits, throttle: HostThrottle, mirrors: Mirrors | None = None
    ) -> None:
        self.limits = limits
        self.throttle = throttle
        self.mirrors = mirrors or Mirrors()
        self._tls = ssl.create_default_context()

    @property
    def clock(self) -> Clock:
        """The throttle's clock."""
        return self.throttle.clock

    def fetch(
        self, url: str, *, guard: RedirectGuard | None = None, any_type: bool = False
    ) -> Response:
        """GET ``url``, following redirects that ``guard`` allows (see the module docs).

        ``any_type`` reads the body whatever its media type (robots.txt). ``url``, the final URL
        and the redirect hops are canonical; a redirect to the mirror is read as one to the
        canonical origin.
        """
        hops: list[Hop] = []
        current = url
        attempts = 0
        while True:
            fetched = self.mirrors.fetch_url(current)
            via = fetched if fetched != current else None
            raw, tries, error = self._with_retries(current, fetched, any_type=any_type)
            attempts += tries
            if raw is None:
                return Response(
                    url, current, None, (), b"", tuple(hops), error=error, attempts=attempts,
                    fetched_url=via,
                )  # fmt: skip
            location = _header(raw.headers, "location")
            if raw.status not in _REDIRECTS or not location:
                return Response(
                    url,
                    current,
                    raw.status,
                    raw.headers,
                    raw.body,
                    tuple(hops),
                    truncated=raw.truncated,
                    skipped=raw.skipped,
                    attempts=attempts,
                    fetched_url=via,
                )
            target = self.mirrors.canonical(urljoin(current, location.strip()))
            hops.append(Hop(current, raw.status, target))
            refusal = _refusal(target, len(hops), self.limits.max_redirects, guard)
            if refusal is not None:
                return Response(
                    url, current, raw.status, raw.headers, raw.body, tuple(hops),
                    error=refusal, attempts=attempts, fetched_url=via,
                )  # fmt: skip
            current = target

    def _with_retries(
        self, url: str, fetched: str, *, any_type: bool
    ) -> tuple[_Raw | None, int, str | None]:
        """Request ``fetched`` (``url`` or its mirror), in the turns of ``url``'s host."""
        delay = self.limits.backoff_s
        error: str | None = None
        raw: _Raw | None = None
        for attempt in range(1, self.limits.retries + 2):
            host = (urlsplit(url).hostname or "").lower()
            try:
                with self.throttle.turn(host):
                    raw = self._request(fetched, any_type=any_type)
            except _Failed as exc:
                raw, error = None, str(exc)
                if not exc.retry:
                    return None, attempt, error
            else:
                error = None
                if raw.status not in _RETRY_STATUS:
                    return raw, attempt, None
            if attempt <= self.limits.retries:
                self.clock.sleep(max(delay, _retry_after(raw)))
                delay *= 2
        return raw, self.limits.retries + 1, error

    def _request(self, url: str, *, any_type: bool) -> _Raw:
        parts = urlsplit(url)
        host = parts.hostname or ""
        timeout = self.limits.connect_timeout_s
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(host, parts.port, timeout=timeout, context=self._tls)
        else:
            conn = http.client.HTTPConnection(host, parts.port, timeout=timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "User-Agent": self.limits.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
            "Accept-Encoding": "identity",
            "Connection": "close",
        }
        deadline = self.clock.monotonic() + self.limits.total_timeout_s
        try:
            conn.request("GET", target, headers=headers)
            resp = conn.getresponse()
            got = tuple((k, v) for k, v in resp.getheaders())
            media = (resp.getheader("content-type") or "").split(";", 1)[0].strip().lower()
            if not any_type and resp.status < 300 and media not in self.limits.content_types:
                skipped = f"media type {media or 'unknown'!r} is not patrolled"
                return _Raw(resp.status, got, b"", truncated=False, skipped=skipped)
            body, truncated = self._read(conn, resp, deadline)
            return _Raw(resp.status, got, body, truncated, None)
        except (OSError, http.client.HTTPException) as exc:
            raise _Failed(_describe(exc)) from exc
        finally:
            conn.close()

    def _read(
        self, conn: http.client.HTTPConnection, resp: http.client.HTTPResponse, deadline: float
    ) -> tuple[bytes, bool]:
        """Read the body up to ``max_bytes`` and until the deadline."""
        limit = self.limits.max_bytes
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            left = deadline - self.clock.monotonic()
            if left <= 0:
                raise _Failed(
                    f"response took longer than {self.limits.total_timeout_s:g} s", retry=False
                )
            if conn.sock is not None:
                conn.sock.settimeout(min(self.limits.connect_timeout_s, left))
            chunk = resp.read1(min(_CHUNK, limit + 1 - size))
            if not chunk:
                return b"".join(chunks), False
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)[:limit], True


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name), None)


def _refusal(target: str, hops: int, limit: int, guard: RedirectGuard | None) -> str | None:
    if urlsplit(target).scheme not in {"http", "https"}:
        return f"redirect to a non-http URL {target!r}"
    if hops > limit:
        return f"more than {limit} redirects"
    return guard(target) if guard is not None else None


def _retry_after(raw: _Raw | None) -> float:
    value = _header(raw.headers, "retry-after") if raw is not None else None
    if value is None or not value.strip().isdigit():
        return 0.0
    return min(float(value.strip()), _MAX_RETRY_AFTER_S)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


__all__ = ["Clock", "Fetcher", "Hop", "HostThrottle", "RedirectGuard", "Response", "SystemClock"]
