"""Fixtures for the demo generator: one written workspace per session, read back."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from smokewatch.demo import DemoManifest, write_demo_sources
from smokewatch.demo.city import City, generate_city


def read_registry(path: Path, encoding: str = "gb18030") -> list[dict[str, str]]:
    """The registry CSV as dicts (empty cells are empty strings), read with the csv module."""
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.DictReader(stream))


def read_licences(path: Path) -> list[dict[str, Any]]:
    """The licence workbook's first sheet as dicts."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    """The default demo workspace (20,000 enterprises), written once; read-only."""
    return write_demo_sources(tmp_path_factory.mktemp("demo-ws"))


@pytest.fixture(scope="session")
def registry_rows(workspace: DemoManifest) -> list[dict[str, str]]:
    """The registry file of the default workspace, read back with GB18030."""
    return read_registry(workspace.registry_file)


@pytest.fixture(scope="session")
def licence_rows(workspace: DemoManifest) -> list[dict[str, Any]]:
    """The licence workbook of the default workspace, read back."""
    return read_licences(workspace.licence_file)


@pytest.fixture(scope="session")
def small_city() -> City:
    """A small city (3,000 enterprises) for tests that need tables, not files."""
    return generate_city(enterprises=3_000, seed=7)


@pytest.fixture(scope="session")
def rows_by_uscc(registry_rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Registry rows by USCC (the first row wins for the deliberate duplicates)."""
    index: dict[str, dict[str, str]] = {}
    for row in registry_rows:
        index.setdefault(row["统一社会信用代码"], row)
    return index
