"""Fixtures of the patrol tests: a fake site on loopback and a recording clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.patrol.site import FakeClock, FakeSite, serve


@pytest.fixture
def site() -> Iterator[FakeSite]:
    """An empty fake site, served; tests add routes before fetching."""
    with serve(FakeSite()) as served:
        yield served


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
