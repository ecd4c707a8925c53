"""Shared fixtures: settings in a temporary workspace, engines, and the optional services.

Spark tests run when ``SMOKEWATCH_TEST_SPARK=1``; PostgreSQL tests run when
``SMOKEWATCH_TEST_POSTGRES_URL`` points at a server (``.ci/run`` sets both). When enabled,
they must pass: a missing JDK or server is an error, not a skip. The summary at the end of
the run prints how many Spark and PostgreSQL tests passed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from smokewatch.engine import Engine, connect
from smokewatch.logs import configure_logging
from smokewatch.settings import EngineSettings, Settings
from smokewatch.text.models import TrainReport, train_news_events
from tests.text.models.conftest import finese_rows

SPARK_ENABLED = os.environ.get("SMOKEWATCH_TEST_SPARK") == "1"
POSTGRES_URL = os.environ.get("SMOKEWATCH_TEST_POSTGRES_URL")
SHARED_DATA = Path(
    os.environ.get(
        "SMOKEWATCH_SHARED_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    )
).resolve()

hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, max_examples=100)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

configure_logging("warning")

KINDS = ("spark", "postgres", "browser")
"""Markers whose passed tests the summary counts (``.ci/run`` must show them all passing)."""
CHROMIUM = os.environ.get("SMOKEWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Where browser tests save screenshots (CI keeps them as artefacts).
ARTIFACTS = Path(
    os.environ.get(
        "SMOKEWATCH_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"
    )
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The slow tests first: under `--dist worksteal` they start at once instead of ending the
    # run alone. The rest keep their order, so that a module's tests (and the module-scoped
    # fixture they share: a demo city, a trained model) mostly stay on one worker.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    skip_spark = pytest.mark.skip(reason="Spark tests disabled (set SMOKEWATCH_TEST_SPARK=1)")
    skip_pg = pytest.mark.skip(
        reason="PostgreSQL tests disabled (set SMOKEWATCH_TEST_POSTGRES_URL)"
    )
    for item in items:
        if item.get_closest_marker("spark") and not SPARK_ENABLED:
            item.add_marker(skip_spark)
        if item.get_closest_marker("postgres") and not POSTGRES_URL:
            item.add_marker(skip_pg)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[pytest.TestReport]:
    """Tag each report with the test's engine/store markers (pytest-xdist ships them home)."""
    report: pytest.TestReport = yield
    kinds = [kind for kind in KINDS if item.get_closest_marker(kind)]
    if kinds:
        report.user_properties.append(("smokewatch-kinds", " ".join(kinds)))
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    collected: dict[str, set[str]] = {kind: set() for kind in KINDS}
    passed: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if not isinstance(report, pytest.TestReport):
                continue
            for name, value in report.user_properties:
                if name != "smokewatch-kinds":
                    continue
                for kind in str(value).split():
                    collected[kind].add(report.nodeid)
                    if report.when == "call" and report.passed:
                        passed[kind].add(report.nodeid)
    terminalreporter.section("smokewatch engines and stores")
    for kind in KINDS:
        ran, total = len(passed[kind]), len(collected[kind])
        terminalreporter.write_line(f"{kind} tests passed: {ran} of {total} collected")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh workspace in a temporary folder."""
    return Settings(workspace=tmp_path / "ws")


@pytest.fixture
def duckdb_engine() -> Iterator[Engine]:
    """An in-memory DuckDB engine."""
    engine = connect("duckdb://:memory:", EngineSettings())
    yield engine
    engine.close()


def _open_engine(kind: str, tmp_path: Path) -> Engine:
    if kind == "duckdb":
        return connect("duckdb://:memory:", EngineSettings())
    return connect(
        "spark://local[2]",
        EngineSettings(spark_shuffle_partitions=2),
        data_dir=tmp_path / f"warehouse-{uuid.uuid4().hex[:8]}",
    )


ENGINE_PARAMS = [
    pytest.param("duckdb", id="duckdb"),
    pytest.param("spark", id="spark", marks=pytest.mark.spark),
]


@pytest.fixture(params=ENGINE_PARAMS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Every engine in turn: tests using this fixture form the conformance suite."""
    opened = _open_engine(request.param, tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def shared_data() -> Path:
    """The real data sets beside the repository (``../shared/data``)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"real data sets not found at {SHARED_DATA} (set SMOKEWATCH_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with test parameters: the same code path, a fraction of the CPU (CI is 2 cores)."""
    from argon2 import PasswordHasher  # noqa: PLC0415

    from smokewatch.services import users  # noqa: PLC0415

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture(scope="session")
def ews12k_transfer_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A transfer-risk model trained once per session on AMLSim ews12k (the small set)."""
    pytest.importorskip("lightgbm", reason="training needs the ml extra")
    if not SHARED_DATA.is_dir():
        pytest.fail(f"real data sets not found at {SHARED_DATA} (set SMOKEWATCH_SHARED_DATA)")
    from smokewatch.services.tx_models import train_transfer_model  # noqa: PLC0415

    folder = tmp_path_factory.mktemp("tx-model") / "model"
    train_transfer_model(SHARED_DATA / "amlsim" / "ews12k", folder)
    return folder


@pytest.fixture
def live_server() -> Iterator[Callable[[Any], str]]:
    """Serve ASGI apps with uvicorn on loopback ports; returns ``start(app) -> base URL``.

    Every server started in a test is stopped when the test ends.
    """
    import uvicorn  # noqa: PLC0415

    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: Any) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        running.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (no browser download; must be installed)."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium not found at {CHROMIUM}: `apt-get install chromium` (.ci/run does) "
            "or set SMOKEWATCH_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser page (own cookies) at 1366x768; console errors fail the test."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    new_page.on("pageerror", lambda e: errors.append(str(e)))
    yield new_page
    context.close()
    if not request.node.get_closest_marker("allow_console_errors"):
        assert not errors, f"the browser console reported errors: {errors}"


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """Save a full-page screenshot as a test artefact: ``screenshot(page, "overview")``."""

    def take(target: Any, name: str) -> Path:
        folder = ARTIFACTS / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        stem = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        path = folder / f"{stem}--{name}.png"
        target.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def news_model(tmp_path_factory: pytest.TempPathFactory) -> TrainReport:
    """A news-events model trained once on FinESE-shaped rows (read it, don't change it).

    Its training file is ``finese_train_list.json`` beside the model folder. It is the
    validated fit (no refit), so its card's figures describe it exactly.
    """
    folder = tmp_path_factory.mktemp("news")
    data = folder / "finese_train_list.json"
    data.write_text(json.dumps(finese_rows(), ensure_ascii=False), encoding="utf-8")
    return train_news_events(data, folder / "model", seed=5, refit=False)
