"""The labelled pairs built from the shared data, and the comparison measured on them."""

from __future__ import annotations

from functools import cache

import pytest

from smokewatch.resolve.compare import compare_names
from smokewatch.resolve.pairset import Pair, build_pairs, evaluate
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.skipif(
    not (SHARED_DATA / "p2p-platforms-wdzj").is_dir(), reason="shared data not available"
)


@cache
def _pairs() -> tuple[Pair, ...]:
    return tuple(build_pairs(SHARED_DATA))


def test_no_organisation_is_in_both_splits() -> None:
    splits: dict[str, set[str]] = {}
    for pair in _pairs():
        splits.setdefault(pair.entity, set()).add(pair.split)
    assert all(len(s) == 1 for s in splits.values())
    assert {p.split for p in _pairs()} == {"dev", "test"}


def test_every_kind_has_matches_and_hard_and_random_non_matches() -> None:
    for kind in ("platform", "news", "bank"):
        chosen = [p for p in _pairs() if p.kind == kind]
        assert {(p.match, p.negative) for p in chosen} == {
            (True, ""),
            (False, "hard"),
            (False, "random"),
        }


def test_bank_spellings_meet_the_target_on_the_test_split() -> None:
    metrics = evaluate(_pairs(), lambda a, b: compare_names(a, b).match, "test")
    assert metrics["bank"].precision >= 0.95
    assert metrics["bank"].recall >= 0.90
    assert metrics["all/random"].precision >= 0.95
