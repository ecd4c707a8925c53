"""Shared fixtures: settings in a temporary workspace, engines, and the optional services.

Spark tests run when ``SMOKEWATCH_TEST_SPARK=1``; PostgreSQL tests run when
``SMOKEWATCH_TEST_POSTGRES_URL`` points at a server (``.ci/run`` sets both). When enabled,
they must pass: a missing JDK or server is an error, not a skip. The summary at the end of
the run prints how many Spark and PostgreSQL tests passed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from smokewatch.engine import Engine, connect
from smokewatch.logs import configure_logging
from smokewatch.settings import EngineSettings, Settings

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

_MARKED: dict[str, set[str]] = {"spark": set(), "postgres": set()}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_spark = pytest.mark.skip(reason="Spark tests disabled (set SMOKEWATCH_TEST_SPARK=1)")
    skip_pg = pytest.mark.skip(
        reason="PostgreSQL tests disabled (set SMOKEWATCH_TEST_POSTGRES_URL)"
    )
    for item in items:
        if item.get_closest_marker("spark"):
            _MARKED["spark"].add(item.nodeid)
            if not SPARK_ENABLED:
                item.add_marker(skip_spark)
        if item.get_closest_marker("postgres"):
            _MARKED["postgres"].add(item.nodeid)
            if not POSTGRES_URL:
                item.add_marker(skip_pg)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    passed = {r.nodeid for r in terminalreporter.stats.get("passed", [])}
    terminalreporter.section("smokewatch engines and stores")
    for kind, nodeids in _MARKED.items():
        ran = len(nodeids & passed)
        terminalreporter.write_line(f"{kind} tests passed: {ran} of {len(nodeids)} collected")


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
