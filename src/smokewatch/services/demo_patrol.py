"""The demo's patrol: two runs over the fixture site on loopback, and their planted cases.

``demo init`` serves :mod:`smokewatch.demo.patrol_site` on 127.0.0.1 (a free port, no
internet), writes the spec ``patrol/demo_wealth.yml`` for the site's canonical origin with
that address as its ``mirror``, patrols the site in its ``before`` state, switches the server
to ``after`` (a raised rate, a new product, a notice taken down) and patrols again. The second
run's changes are the demo's change report; the pages' documents go through detect with the
rest of the city, checked against the planted cases appended to ``demo/planted.jsonl``. The
port is only in the spec and in the manifests' ``fetched_url``: the documents, their ids and
everything derived from them are the same in every demo built with the same seed. The spec
keeps the loopback address the demo used: a later ``patrol run demo_wealth`` finds the site
gone and reports every page as taken down.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from smokewatch.demo.patrol_site import (
    PATROL_ID,
    REDIRECTS,
    SITE,
    patrol_cases,
    patrol_spec,
    site_files,
)
from smokewatch.patrol.spec import PATROL_DIR
from smokewatch.services.patrol import PatrolRunSummary, run_patrol
from smokewatch.settings import Settings


@dataclass(frozen=True, slots=True)
class DemoPatrol:
    """The demo's two patrol runs, the site's canonical origin and where it was served."""

    base: str
    """The site's canonical origin: what its pages' URLs and documents carry."""
    served_at: str
    """The loopback address the site was fetched from (its ``mirror``; a free port)."""
    before: PatrolRunSummary
    after: PatrolRunSummary
    cases: int
    """Planted page cases appended to ``planted.jsonl``."""


class _Site:
    """The fixture site's current state, read by the request handler."""

    def __init__(self) -> None:
        self.files = site_files("before")

    def handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path in REDIRECTS:
                    self.send_response(301)
                    self.send_header("Location", REDIRECTS[path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, kind = site.files.get(path, (b"not found", "text/plain"))
                self.send_response(200 if path in site.files else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return None

        return Handler


@contextmanager
def _serve(site: _Site) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), site.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def demo_patrol(settings: Settings, root: Path, planted: Path, day: date) -> DemoPatrol:
    """Patrol the fixture site twice (see the module docs) and append its planted cases."""
    site = _Site()
    with _serve(site) as served_at:
        folder = root / PATROL_DIR
        folder.mkdir(exist_ok=True)
        text = yaml.safe_dump(patrol_spec(served_at), allow_unicode=True, sort_keys=False)
        (folder / f"{PATROL_ID}.yml").write_text(text, encoding="utf-8")
        before = run_patrol(settings, PATROL_ID, render=False)
        site.files = site_files("after")
        after = run_patrol(settings, PATROL_ID, render=False)
    cases = patrol_cases(day)
    with planted.open("a", encoding="utf-8") as fh:
        for case in cases:
            fh.write(json.dumps(case.to_json(), ensure_ascii=False) + "\n")
    return DemoPatrol(SITE, served_at, before, after, len(cases))


__all__ = ["DemoPatrol", "demo_patrol"]
