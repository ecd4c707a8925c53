"""The demo's company families: what ``graph family`` and ``graph ubo`` find is what was planted.

The truth is ``demo/families.jsonl``, written by the generator from its own planting records
(members by USCC, the people, each member's owners with cumulative shares); the results come
from the graph the demo built on the workspace's engine. The network rule's expectations for
the red case's circle are in ``demo/planted.jsonl`` and checked with the other rules.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from smokewatch.services.demo import DemoSummary, init_demo
from smokewatch.services.graph import show_family, show_ubo
from smokewatch.services.workspace import open_engine, open_store
from smokewatch.settings import Settings, load_settings
from smokewatch.store.orm import Score

BENEFICIAL = 0.25


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    """``demo init`` of a 3,000-enterprise city (the whole pipeline), once for this module."""
    return init_demo(tmp_path_factory.mktemp("families") / "demo", enterprises=3_000)


@pytest.fixture(scope="module")
def settings(demo: DemoSummary) -> Settings:
    return load_settings(demo.workspace)


@pytest.fixture(scope="module")
def families(demo: DemoSummary) -> dict[str, dict[str, Any]]:
    lines = (demo.workspace / "demo" / "families.jsonl").read_text(encoding="utf-8").splitlines()
    return {f["family"]: f for f in map(json.loads, lines)}


@pytest.fixture(scope="module")
def record_of(settings: Settings) -> dict[str, str]:
    """USCC → enterprise record id in the workspace."""
    with open_engine(settings) as engine:
        rows = engine.to_arrow(engine.table("enterprise").select("uscc", "id")).to_pylist()
    return {r["uscc"]: r["id"] for r in rows}


def test_three_families_are_planted(families: dict[str, dict[str, Any]]) -> None:
    assert set(families) == {"family.shells", "family.layered", "family.red_linked"}
    assert all(len(f["members"]) >= 5 for f in families.values())


@pytest.mark.parametrize("name", ["family.shells", "family.layered", "family.red_linked"])
def test_graph_family_of_every_member_is_exactly_the_planted_family(
    settings: Settings,
    families: dict[str, dict[str, Any]],
    record_of: dict[str, str],
    name: str,
) -> None:
    planted = families[name]
    expected = {f"e:{record_of[u]}" for u in planted["members"]}
    for uscc in planted["members"]:
        found = show_family(settings, record_of[uscc])
        enterprises = {n["id"] for n in found["nodes"] if n["id"].startswith("e:")}
        assert enterprises == expected, (name, planted["names"][uscc])
    people = {n["label"] for n in found["nodes"] if n["id"].startswith("p:")}
    assert people == set(planted["people"])


@pytest.mark.parametrize("name", ["family.layered", "family.red_linked"])
def test_graph_ubo_penetrates_to_the_planted_owners(
    settings: Settings,
    families: dict[str, dict[str, Any]],
    record_of: dict[str, str],
    name: str,
) -> None:
    planted = families[name]
    checked = 0
    for uscc, owners in planted["ubo"].items():
        if not owners:
            continue
        found = show_ubo(settings, record_of[uscc], threshold=BENEFICIAL)
        people = {o["name"]: o for o in found["owners"] if o["kind"] == "person"}
        assert {n: round(o["share"], 6) for n, o in people.items()} == pytest.approx(owners)
        beneficial = {n for n, o in people.items() if o["beneficial"]}
        assert beneficial == {n for n, s in owners.items() if s >= BENEFICIAL}
        assert planted["controller"] in beneficial
        checked += 1
    assert checked >= 2


def test_the_layered_controller_is_found_through_four_layers(
    settings: Settings, families: dict[str, dict[str, Any]], record_of: dict[str, str]
) -> None:
    planted = families["family.layered"]
    boss = planted["controller"]
    longest = 0
    for uscc, owners in planted["ubo"].items():
        if boss in owners:
            found = show_ubo(settings, record_of[uscc])
            (owner,) = [o for o in found["owners"] if o["name"] == boss]
            longest = max(longest, *(len(path) for path in owner["paths"]))
    assert longest >= 4  # boss → holding → holding → operating company → its subsidiary


def test_the_red_case_passes_explained_network_points_into_the_index(
    demo: DemoSummary, settings: Settings, families: dict[str, dict[str, Any]]
) -> None:
    rule = {r.rule_id: r for r in demo.check.rules}["SW-R-0501"]
    assert rule.caught == rule.expected_hits > 0 and rule.kept_quiet == rule.expected_quiet
    assert rule.unexpected == 0
    circle = families["family.red_linked"]
    names = set(circle["names"].values())
    with open_store(settings) as store, store.read_session() as session:
        scores = session.query(Score).filter(Score.scorecard_id == "SW-S-0001").all()
    lines = [
        (s.subject_name, line)
        for s in scores
        for line in s.contributions
        if line["dimension"] == "network"
    ]
    assert {name for name, _ in lines} == {c["name"] for c in _cases(demo, "SW-R-0501")}
    assert {name for name, _ in lines} <= names
    seed = circle["names"][
        next(
            u
            for u in circle["members"]
            if circle["ubo"][u].get(circle["controller"], 0) < 1
            and circle["controller"] in circle["ubo"][u]
        )
    ]
    for _, line in lines:
        assert line["source"] == "SW-R-0501@1" and line["points"] in (6.0, 12.0)
        assert seed in line["reason_zh"] and "红色" in line["reason_zh"]
    assert all(s.dimensions.get("network", 0) <= 12 for s in scores)


def _cases(demo: DemoSummary, rule: str) -> list[dict[str, Any]]:
    """Planted cases expecting ``rule`` to fire."""
    lines = (demo.workspace / "demo" / "planted.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines]
    return [c for c in cases if any(e["rule_id"] == rule and e["fires"] for e in c["expect"])]
