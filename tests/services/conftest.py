"""Fixtures of the service tests: a small trained SMS model, and stores on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smokewatch.store import Store
from smokewatch.text.models import train_sms_fraud
from tests.store.conftest import postgres_admin, postgres_url, store_url  # noqa: F401
from tests.text.models.conftest import write_sms_csv

# Case, user and audit services run on every store backend, like tests/store.


@pytest.fixture(scope="session")
def sms_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained ``sms-fraud`` model folder (small synthetic training set; the validated fit)."""
    folder = tmp_path_factory.mktemp("sms-model")
    data = write_sms_csv(folder / "sms.csv")
    return train_sms_fraud(data, folder / "model", seed=3, refit=False).folder


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:  # noqa: F811 - the fixture imported above
    """A migrated store on SQLite, and on PostgreSQL when it is configured."""
    opened = Store(store_url)
    opened.upgrade()
    yield opened
    opened.dispose()
