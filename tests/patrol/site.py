"""A fake website on loopback for the patrol tests: routes, a request log, slow pages."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    trickle_s: float = 0.0
    """Send the body one byte at a time with this pause between bytes."""


def html(body: str, *, title: str = "", charset: str = "utf-8", meta: bool = False) -> bytes:
    """A small HTML page encoded in ``charset`` (with a ``<meta charset>`` when ``meta``)."""
    head = f'<meta charset="{charset}">' if meta else ""
    doc = f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>"
    return doc.encode(charset)


def redirect(location: str, status: int = 302) -> Page:
    return Page(status=status, content_type=None, headers={"Location": location})


@dataclass
class FakeSite:
    """Routes by path (``Page`` or a callable returning one); every request is logged."""

    routes: dict[str, Page | Callable[[], Page]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    """``(path, user agent)`` of every request received, in order."""
    port: int = 0
    host: str = "127.0.0.1"
    in_flight: int = 0
    max_in_flight: int = 0
    """The most requests this site was answering at the same time."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def _handler(site: FakeSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with site.lock:
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                site.in_flight += 1
                site.max_in_flight = max(site.max_in_flight, site.in_flight)
            try:
                route = site.routes.get(self.path)
                page = route() if callable(route) else route
            finally:
                # Counted while the page is being made, not while it is sent: the client may
                # send its next request as soon as it has the body, before this thread ends.
                with site.lock:
                    site.in_flight -= 1
            self._answer(page)

        def _answer(self, page: Page | None) -> None:
            if page is None:
                page = Page(b"not found", status=404, content_type="text/plain")
            self.send_response(page.status)
            if page.content_type:
                self.send_header("Content-Type", page.content_type)
            for name, value in page.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            try:
                if page.trickle_s:
                    for byte in page.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(page.trickle_s)
                else:
                    self.wfile.write(page.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


@contextmanager
def serve(site: FakeSite) -> Iterator[FakeSite]:
    """Serve ``site`` on its loopback address (a free port) for the duration of the block.

    Every 127.x.y.z address is loopback on Linux, so sites on 127.0.0.2, 127.0.0.3… are
    different hosts to the patrol's per-host politeness.
    """
    server = ThreadingHTTPServer((site.host, 0), _handler(site))
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class FakeClock:
    """A clock whose sleeps are recorded and advance it instantly."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
