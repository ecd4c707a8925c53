"""The examples in the text kit's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "smokewatch.text.lexicon",
    "smokewatch.text.matcher",
    "smokewatch.text.names",
    "smokewatch.text.scope",
]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
