"""Headless rendering: pages that need JavaScript, screenshots, and a browser kept on the site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from smokewatch.errors import ConfigError
from smokewatch.patrol.crawl import Crawler, Visit
from smokewatch.patrol.evidence import ObjectStore, read_manifest
from smokewatch.patrol.fetch import Fetcher, HostThrottle, SystemClock
from smokewatch.patrol.render import ChromiumRenderer
from smokewatch.patrol.spec import PatrolSpec
from smokewatch.services.patrol import run_patrol, verify_patrol_run
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import Settings, load_settings
from tests.patrol.site import FakeSite, Page, serve

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
CHROMIUM = "/usr/bin/chromium"

SCRIPTED = """<html><head><title>稳健一号</title></head><body><div id="app">加载中</div>
<script src="{tracker}/track.js"></script>
<script>
document.getElementById("app").innerHTML =
  '<p>稳健一号：年化收益高达24%，保本保息。客服微信：xinyuan888</p><a href="/more">更多</a>';
</script></body></html>"""


@pytest.fixture
def tracker() -> Iterator[FakeSite]:
    """Another host the page tries to load a script from (the browser must not go there)."""
    with serve(FakeSite(host="127.0.0.2")) as other:
        yield other


@pytest.fixture
def scripted(site: FakeSite, tracker: FakeSite) -> FakeSite:
    site.routes["/"] = Page(SCRIPTED.format(tracker=tracker.base).encode())
    site.routes["/more"] = Page("<html><body><p>更多产品</p></body></html>".encode())
    return site


def spec_of(site: FakeSite, **render: Any) -> PatrolSpec:
    return PatrolSpec.model_validate(
        {
            "id": "t",
            "title": "测试",
            "sites": [{"name": "鑫源财富", "seeds": [site.url("/")], "render": True}],
            "fetch": {"retries": 0},
            "render": {"chromium": CHROMIUM, "settle_ms": 0, **render},
        }
    )


def crawl(spec: PatrolSpec) -> list[Visit]:
    renderer = ChromiumRenderer(spec.render, user_agent=spec.fetch.user_agent)
    try:
        fetcher = Fetcher(spec.fetch, HostThrottle(SystemClock(), 0.0))
        return list(Crawler(spec, fetcher, lambda: NOW, renderer=renderer).crawl())
    finally:
        renderer.close()


@pytest.mark.browser
def test_a_rendered_page_is_read_from_its_dom_and_photographed(
    scripted: FakeSite, tracker: FakeSite
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM} (`apt-get install chromium`)")
    visits = [v for v in crawl(spec_of(scripted)) if v.role == "page"]
    home = visits[0]
    assert home.rendered is not None and home.rendered.error is None
    assert home.rendered.browser.startswith("chromium ")
    assert home.extracted is not None and "年化收益高达24%" in home.extracted.text
    assert ("wechat", "xinyuan888") in [(f.kind, f.value) for f in home.facts]
    assert home.rendered.screenshot.startswith(b"\x89PNG\r\n\x1a\n")
    assert [v.url.rsplit("/", 1)[1] for v in visits] == ["", "more"]  # a link only the DOM has
    assert tracker.requests == []  # the browser stayed on the site


def test_without_the_browser_the_script_is_not_run(scripted: FakeSite) -> None:
    spec = spec_of(scripted)
    fetcher = Fetcher(spec.fetch, HostThrottle(SystemClock(), 0.0))
    (home,) = [v for v in Crawler(spec, fetcher, lambda: NOW).crawl() if v.role == "page"]
    assert home.rendered is None
    assert home.extracted is not None and "24%" not in home.extracted.text


def workspace(tmp_path: Path, spec: PatrolSpec) -> Settings:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200", as_of=date(2026, 11, 1))
    (root / "patrol").mkdir()
    raw = spec.model_dump(mode="json") | {"id": "render"}
    (root / "patrol" / "render.yml").write_text(json.dumps(raw), encoding="utf-8")
    return load_settings(root)


def test_a_missing_browser_stops_the_run_before_it_fetches(
    tmp_path: Path, scripted: FakeSite
) -> None:
    settings = workspace(tmp_path, spec_of(scripted, chromium="/nonexistent/chromium"))
    with pytest.raises(ConfigError, match="chromium at /nonexistent/chromium"):
        run_patrol(settings, "render", now=lambda: NOW)
    assert scripted.requests == []


@pytest.mark.browser
def test_a_rendered_run_fixes_the_screenshot_in_the_chain(
    tmp_path: Path, scripted: FakeSite
) -> None:
    settings = workspace(tmp_path, spec_of(scripted))
    root = settings.workspace
    summary = run_patrol(settings, "render", now=lambda: NOW)
    assert (summary.pages, summary.rendered) == (2, 2)
    entries = list(read_manifest(summary.manifest))
    assert entries[0]["browser"].startswith("chromium ")
    home = next(e for e in entries if e.get("kind") == "page" and e["url"].endswith("/"))
    shot = home["artefacts"]["screenshot"]
    objects = ObjectStore(root / "evidence" / "objects")
    assert objects.get(shot["sha256"]).startswith(b"\x89PNG")
    assert "24%" in objects.get(home["artefacts"]["text"]["sha256"]).decode()
    assert verify_patrol_run(settings, summary.run_id).intact
    objects.path(shot["sha256"]).write_bytes(b"\x89PNG edited")
    problems = verify_patrol_run(settings, summary.run_id).problems
    assert problems == (
        f"line {home['seq']}: screenshot artefact {shot['sha256'][:12]}… was altered",
    )
    plain = run_patrol(settings, "render", now=lambda: NOW, render=False)
    assert plain.rendered == 0
