"""The demo's patrolled site and its operator: a registered, unlicensed wealth-consulting firm."""

from __future__ import annotations

from datetime import date

import pytest

from smokewatch.demo import builtin_planters
from smokewatch.demo.city import City, generate_city
from smokewatch.demo.patrol_site import (
    OPERATOR,
    OPERATOR_ADCODE,
    OPERATOR_PATTERN,
    OPERATOR_USCC,
    SITE,
    STATES,
    patrol_cases,
    patrol_spec,
    site_files,
)
from smokewatch.model.types import clean_uscc

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def city() -> City:
    """A small city with the site's operator only (its planter needs no other)."""
    planters = tuple(p for p in builtin_planters() if p.name == OPERATOR_PATTERN)
    return generate_city(enterprises=300, seed=7, as_of=AS_OF, planters=planters)


def test_the_operator_is_registered_with_a_valid_uscc_of_its_county(city: City) -> None:
    assert clean_uscc(OPERATOR_USCC) == OPERATOR_USCC
    assert OPERATOR_USCC[2:8] == OPERATOR_ADCODE
    rows = city.enterprises.to_pylist()
    (row,) = [r for r in rows if OPERATOR_USCC in r.values()]
    assert OPERATOR in row.values()
    assert any("财富管理咨询" in str(v) for v in row.values())


def test_every_page_of_both_states_shows_the_operators_uscc() -> None:
    for state in STATES:
        pages = {p: b for p, (b, kind) in site_files(state).items() if kind.startswith("text/html")}
        assert pages
        for path, body in pages.items():
            charset = "gbk" if path == "/notice" else "utf-8"
            assert OPERATOR_USCC in body.decode(charset), (state, path)


def test_the_operator_is_planted_for_its_scope_and_orange_and_the_pages_are_about_it(
    city: City,
) -> None:
    (case,) = [c for c in city.cases if c.pattern == OPERATOR_PATTERN]
    assert case.uscc == OPERATOR_USCC and case.name == OPERATOR
    fired = {e.rule_id for e in case.expect if e.fires}
    assert fired == {"SW-R-0002"}  # 财富管理 in the scope, no licence; 财富 alone is no word
    assert case.grade is not None and case.grade.grade == "orange" and not case.grade.at_least
    pages = patrol_cases(AS_OF)
    assert pages and {p.about for p in pages} == {OPERATOR_USCC}


def test_the_site_is_patrolled_under_its_own_origin_whatever_port_serves_it() -> None:
    # The loopback port is in the spec's mirror only: the pages' documents (and their planted
    # cases) carry the site's origin, so every demo built with one seed has the same ids.
    spec = patrol_spec("http://127.0.0.1:4711")
    (site,) = spec["sites"]
    assert (site["seeds"], site["mirror"]) == ([f"{SITE}/"], "http://127.0.0.1:4711")
    assert all(str(p.reference).startswith(f"{SITE}/") for p in patrol_cases(AS_OF))
