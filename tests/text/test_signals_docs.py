"""The examples in the docstrings of the signal and mention modules run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "smokewatch.text.signals",
    "smokewatch.text.mentions",
    "smokewatch.text.mention_names",
]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
