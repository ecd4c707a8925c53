"""The scope patterns file: every example it gives holds, and bad files are rejected."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from smokewatch.errors import ConfigError
from smokewatch.model._yaml import package_dir
from smokewatch.text.lexicon import Lexicon, LexiconMatcher
from smokewatch.text.matcher import fold_for_matching
from smokewatch.text.scope import find_scope_activities, split_clauses
from smokewatch.text.scope_patterns import (
    BenignPattern,
    ClausePattern,
    load_scope_patterns,
    parse_scope_patterns,
)

PATTERNS = load_scope_patterns()
CLAUSE_EXAMPLES = [
    pytest.param(p, example, id=f"{p.id}:{example[:12]}")
    for p in PATTERNS.clause_patterns
    for example in p.examples
]
CLAUSE_COUNTER_EXAMPLES = [
    pytest.param(p, example, id=f"{p.id}:{example[:12]}")
    for p in PATTERNS.clause_patterns
    for example in p.counter_examples
]
BENIGN_EXAMPLES = [
    pytest.param(p, example, id=f"{p.id}:{example[:12]}")
    for p in PATTERNS.benign_patterns
    for example in p.examples
]


def _raw() -> dict[str, Any]:
    node = package_dir("smokewatch.text", "lexicons") / "scope_patterns.yml"
    return copy.deepcopy(yaml.safe_load(node.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("pattern", "example"), CLAUSE_EXAMPLES)
def test_clause_pattern_classifies_or_cuts_its_examples(
    pattern: ClausePattern, example: str
) -> None:
    clauses = split_clauses(example)
    if pattern.regex.match(fold_for_matching(example)):
        reason = clauses[0].reason
        assert reason is not None
        assert (reason.pattern, clauses[0].kind) == (pattern.id, pattern.kind)
    else:  # an `anywhere` pattern met in the middle: the clause is cut where it starts
        found = pattern.regex.search(fold_for_matching(example))
        assert pattern.anchor == "anywhere" and found is not None
        cut = [c for c in clauses if c.text_start == found.start()]
        assert [c.kind for c in cut] == [pattern.kind]


@pytest.mark.parametrize(("pattern", "example"), CLAUSE_COUNTER_EXAMPLES)
def test_clause_pattern_leaves_its_counter_examples_alone(
    pattern: ClausePattern, example: str
) -> None:
    first = split_clauses(example)[0]
    assert first.reason is None or first.reason.pattern != pattern.id


@pytest.mark.parametrize(("pattern", "example"), BENIGN_EXAMPLES)
def test_benign_pattern_discounts_the_words_of_its_examples(
    matcher: LexiconMatcher, pattern: BenignPattern, example: str
) -> None:
    analysis = find_scope_activities(example, matcher)
    assert analysis.activities == ()
    assert pattern.id in {h.reason.pattern for h in analysis.discounted if h.reason}


def test_benign_patterns_discount_only_lexicon_terms(lexicon: Lexicon) -> None:
    known = {t.term for t in lexicon.terms}
    for pattern in PATTERNS.benign_patterns:
        assert pattern.discounts <= known, pattern.id


def test_every_pattern_gives_a_reason_in_both_languages() -> None:
    reasons = [p.reason for p in (*PATTERNS.clause_patterns, *PATTERNS.benign_patterns)]
    assert all(r.zh and r.en for r in reasons)


def test_approval_boilerplate_is_tried_before_exclusions() -> None:
    kinds = [p.kind.value for p in PATTERNS.clause_patterns]
    assert kinds.index("exclusion") > kinds.index("approval_note")


def test_an_invalid_regular_expression_is_reported_with_its_pattern_id() -> None:
    raw = _raw()
    raw["clause_patterns"][0]["pattern"] = "(unclosed"
    with pytest.raises(ConfigError, match="scope_header: invalid regular expression"):
        parse_scope_patterns(raw, "patterns.yml")


def test_duplicate_pattern_ids_are_rejected() -> None:
    raw = _raw()
    raw["benign_patterns"][1]["id"] = raw["benign_patterns"][0]["id"]
    with pytest.raises(ConfigError, match="duplicate pattern id"):
        parse_scope_patterns(raw, "patterns.yml")


def test_a_clause_pattern_cannot_declare_an_activity() -> None:
    raw = _raw()
    raw["clause_patterns"][0]["kind"] = "activity"
    with pytest.raises(ConfigError, match="kind"):
        parse_scope_patterns(raw, "patterns.yml")


def test_a_pattern_needs_examples() -> None:
    raw = _raw()
    raw["benign_patterns"][0]["examples"] = []
    with pytest.raises(ConfigError, match="examples"):
        parse_scope_patterns(raw, "patterns.yml")
