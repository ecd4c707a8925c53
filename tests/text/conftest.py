"""Fixtures of the Chinese text kit: the packaged lexicon and its matchers."""

from __future__ import annotations

import pytest

from smokewatch.text.lexicon import Lexicon, LexiconMatcher, load_lexicon


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    """The packaged restricted-word lexicon (read-only)."""
    return load_lexicon("restricted_financial_words")


@pytest.fixture(scope="session")
def matcher(lexicon: Lexicon) -> LexiconMatcher:
    """A matcher for every word of the lexicon."""
    return lexicon.matcher()


@pytest.fixture(scope="session")
def name_matcher(lexicon: Lexicon) -> LexiconMatcher:
    """A matcher for the words whose rule covers enterprise names."""
    return lexicon.matcher("name")


@pytest.fixture(scope="session")
def scope_matcher(lexicon: Lexicon) -> LexiconMatcher:
    """A matcher for the words whose rule covers business scopes."""
    return lexicon.matcher("scope")
