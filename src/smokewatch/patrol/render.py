"""Headless rendering of pages that need JavaScript, with a screenshot, in Debian's chromium.

A site with ``render: true`` in its spec is still fetched over plain HTTP first (the raw bytes
are the primary evidence); its pages are then opened in headless Chromium through Playwright,
and the rendered DOM (``page.content()``) and a full-page PNG screenshot become artefacts of
the same manifest line. The text of a rendered page is read from the rendered DOM.

* The browser never leaves the site: every request to a host outside the site's hosts
  (trackers, CDNs, analytics) is aborted, and each load holds the page host's turn in the
  patrol's throttle, so rendering is as polite as fetching.
* Playwright's sync API is bound to the thread that started it, while the crawl runs sites on
  several threads; :class:`ChromiumRenderer` therefore owns one thread that owns the browser,
  and pages are rendered one at a time through a queue.
* Playwright is imported only when a patrol renders; without it (or without the browser) the
  run fails with a clear :class:`~smokewatch.errors.ConfigError` before it fetches anything.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from smokewatch.errors import ConfigError
from smokewatch.patrol.spec import RenderOptions

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""The flags the web tests use too."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """What the browser made of a page."""

    url: str
    final_url: str
    html: str
    """The rendered DOM serialised as HTML (empty when rendering failed)."""
    screenshot: bytes
    """A PNG of the whole page (empty when not taken or when rendering failed)."""
    browser: str
    """Browser name and version, e.g. ``chromium 156.0.8078.79``."""
    error: str | None = None


class Renderer(Protocol):
    """Renders one URL; ``allowed`` says which request URLs the page may load."""

    def render(self, url: str, allowed: Callable[[str], bool]) -> Rendered:
        """Open ``url`` and return the rendered page."""
        ...

    def close(self) -> None:
        """Release the browser."""
        ...


_STOP = object()


@dataclass(frozen=True, slots=True)
class _Job:
    url: str
    allowed: Callable[[str], bool]
    result: Future[Rendered]


class ChromiumRenderer:
    """Playwright over Debian's chromium, on a thread of its own (see the module docs)."""

    def __init__(self, options: RenderOptions, *, user_agent: str) -> None:
        self.options = options
        self.user_agent = user_agent
        self._jobs: queue.Queue[object] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._started: Future[str] = Future()
        self._lock = threading.Lock()

    def start(self) -> str:
        """Launch the browser (once); returns its version.

        Raises:
            ConfigError: Playwright or the browser is missing or does not start.
        """
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="patrol-render", daemon=True)
                self._thread.start()
        return self._started.result()

    def render(self, url: str, allowed: Callable[[str], bool]) -> Rendered:
        """Render ``url`` in the browser thread and wait for it."""
        version = self.start()
        job = _Job(url, allowed, Future())
        self._jobs.put(job)
        try:
            return job.result.result(timeout=self.options.timeout_s * 3)
        except TimeoutError:
            return Rendered(url, url, "", b"", version, error="rendering did not finish")

    def close(self) -> None:
        """Stop the browser thread (and the browser)."""
        if self._thread is not None:
            self._jobs.put(_STOP)
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        try:
            from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional
        except ImportError:
            self._started.set_exception(
                _problem(
                    "rendering needs the Python package playwright: "
                    "pip install 'smokewatch[render]' (or patrol run --no-render)"
                )
            )
            return
        executable = Path(self.options.chromium)
        if not executable.exists():
            self._started.set_exception(_problem(f"rendering needs chromium at {executable}"))
            return
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(executable), args=list(CHROMIUM_ARGS)
                )
                version = f"chromium {browser.version}"
                self._started.set_result(version)
                self._serve(browser, version)
                browser.close()
        except Exception as exc:  # noqa: BLE001 - reported to the waiting caller
            if not self._started.done():
                self._started.set_exception(_problem(f"chromium did not start: {exc}"))

    def _serve(self, browser: Any, version: str) -> None:
        while True:
            item = self._jobs.get()
            if item is _STOP:
                return
            if isinstance(item, _Job):
                item.result.set_result(self._render_one(browser, version, item.url, item.allowed))

    def _render_one(
        self, browser: Any, version: str, url: str, allowed: Callable[[str], bool]
    ) -> Rendered:
        width, height = self.options.viewport
        context = browser.new_context(
            user_agent=self.user_agent,
            viewport={"width": width, "height": height},
            locale="zh-CN",
            service_workers="block",
        )
        try:
            page = context.new_page()
            page.route(
                "**/*",
                lambda route: route.continue_() if allowed(route.request.url) else route.abort(),
            )
            page.goto(url, timeout=self.options.timeout_s * 1000, wait_until="load")
            if self.options.settle_ms:
                page.wait_for_timeout(self.options.settle_ms)
            html = page.content()
            shot = page.screenshot(full_page=True, type="png") if self.options.screenshot else b""
            return Rendered(url, page.url, html, shot, version)
        except Exception as exc:  # noqa: BLE001 - a page that fails is recorded, not fatal
            return Rendered(url, url, "", b"", version, error=f"{type(exc).__name__}: {exc}")
        finally:
            context.close()


def _problem(message: str) -> ConfigError:
    return ConfigError(f"{message} (or set render: false on the patrol's sites)")


__all__ = ["CHROMIUM_ARGS", "ChromiumRenderer", "Rendered", "Renderer"]
