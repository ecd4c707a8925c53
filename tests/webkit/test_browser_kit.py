"""In a real chromium: the vendored JavaScript loads and runs under the strict policy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from smokewatch.webkit import i18n, security
from smokewatch.webkit.templating import make_environment, static_directory

PAGE = """<!doctype html>
<html lang="{{ html_lang() }}"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>
<script src="{{ asset('vendor/echarts.min.js') }}"></script>
<script src="{{ asset('vendor/htmx.min.js') }}"></script>
</head><body>
{% import "webkit/macros.html" as kit %}{{ kit.language_switch("/") }}
<p id="who">{{ name }}</p>
<div id="chart"></div>
<button hx-get="/fragment" hx-target="#who">load</button>
<script src="/chart.js"></script>
</body></html>"""

# Sizes through the CSSOM: the policy forbids inline style attributes, not script-set styles.
CHART = """const box = document.getElementById('chart');
box.style.width = '400px'; box.style.height = '300px';
echarts.init(box).setOption({
  xAxis: {type: 'category', data: ['红', '橙', '黄']}, yAxis: {type: 'value'},
  series: [{type: 'bar', data: [3, 5, 8]}]});"""


def _app() -> Any:
    env = make_environment()
    template = env.from_string(PAGE)

    def home(request: Request) -> HTMLResponse:
        locale = i18n.negotiate(request.query_params.get("lang"), None)
        with i18n.use_locale(locale):
            return HTMLResponse(template.render(name="<script>alert(1)</script>"))

    def chart(_: Request) -> HTMLResponse:
        return HTMLResponse(CHART, media_type="text/javascript")

    def fragment(_: Request) -> HTMLResponse:
        return HTMLResponse("swapped by htmx")

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/chart.js", chart),
            Route("/fragment", fragment),
            Mount("/static", StaticFiles(directory=static_directory()), name="static"),
        ]
    )
    return security.SecurityHeaders(app)


@pytest.mark.browser
def test_echarts_and_htmx_work_offline_under_the_policy(
    live_server: Callable[[Any], str], page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    base = live_server(_app())
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base + "/")
    assert page.evaluate("typeof echarts.init") == "function"
    page.wait_for_selector("#chart canvas")
    # Escaped, not executed: the payload is shown as text.
    assert page.inner_text("#who") == "<script>alert(1)</script>"
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.inner_text(".lang-switch [aria-current]") == "中文"
    page.click("button")
    # A selector, not wait_for_function: the page's CSP forbids the eval that would need.
    page.wait_for_selector("#who:text-is('swapped by htmx')")
    assert all(url.startswith(base) for url in requested), requested
    assert screenshot(page, "kit").stat().st_size > 0
    page.goto(base + "/?lang=en")
    assert page.get_attribute("html", "lang") == "en"
