"""The graph's read model in the store: published whole, read around one entity, penetrated.

The planted graph (``tests/services/graph_world.py``) has one family of shells and holdings
(e1–e4, h1–h3 with 钱七, 周九, 吴十, 孙八 …) and a stranger (e5 with its legal representative).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from smokewatch.cases.access import Actor, Role
from smokewatch.errors import NotFound
from smokewatch.graph.ownership import Holding, penetrate_with
from smokewatch.services import graph_read
from smokewatch.store.db import Store
from smokewatch.store.orm_graph import GraphReadEdge, GraphReadFamily, GraphReadNode
from tests.services.graph_world import planted_model, publish_planted

LEAD = Actor("lead", frozenset({Role.LEAD}), adcode="340200")
ELSEWHERE = Actor("hefei", frozenset({Role.LEAD}), adcode="340100")
POLICE = Actor("police", frozenset({Role.POLICE}), adcode="340200")


def _labels(data: dict[str, object]) -> set[str]:
    return {n["label"] for n in data["nodes"] if n["label"]}  # type: ignore[index,union-attr]


def test_nothing_published_says_the_graph_is_not_built(store: Store) -> None:
    with store.read_session() as session:
        data = graph_read.family_graph(session, LEAD, "e1")
    assert data["available"] is False and data["reason"] == graph_read.NOT_BUILT
    assert data["nodes"] == []


def test_publishing_twice_replaces_the_model_and_counts_every_family(store: Store) -> None:
    first = publish_planted(store)
    again = publish_planted(store)
    assert first == again and first["graph_read_family"] == 2
    with store.read_session() as session:
        families = session.scalars(sa.select(GraphReadFamily)).all()
        edges = session.scalar(sa.select(sa.func.count()).select_from(GraphReadEdge))
    assert sorted(f.enterprises for f in families) == [1, 7]
    assert sum(f.edges for f in families) == edges == first["graph_read_edge"]


def test_the_family_around_an_entity_holds_its_linked_companies_and_people(store: Store) -> None:
    publish_planted(store)
    with store.read_session() as session:
        data = graph_read.family_graph(session, LEAD, "e2", depth=3)
    assert data["available"] and data["family"]["enterprises"] == 7
    assert {"芜湖鑫源投资管理有限公司", "芜湖汇通资产管理有限公司", "张三"} <= _labels(data)
    assert "芜湖康达家具有限公司" not in _labels(data)  # the stranger is another family
    (root,) = [n for n in data["nodes"] if n["root"]]
    assert (root["record"], root["hop"], root["kind"]) == ("e2", 0, "enterprise")
    keys = {n["key"] for n in data["nodes"]}
    assert all(e["source"] in keys and e["target"] in keys for e in data["edges"])
    assert data["more"] == data["family"]["nodes"] - len(data["nodes"])


def test_a_node_cap_is_reported_with_an_honest_count(store: Store) -> None:
    publish_planted(store)
    with store.read_session() as session:
        data = graph_read.family_graph(session, LEAD, "e1", depth=3, max_nodes=4)
    assert len(data["nodes"]) == 4 and data["truncated"]
    assert data["more"] == data["family"]["nodes"] - 4 > 0


def test_expanding_a_neighbour_returns_its_own_neighbours(store: Store) -> None:
    publish_planted(store)
    with store.read_session() as session:
        near = graph_read.family_graph(session, LEAD, "e2", depth=1)
        person = next(n for n in near["nodes"] if n["label"] == "张三")
        out = graph_read.family_graph(session, LEAD, "e2", around=person["key"])
        assert "芜湖鑫源投资管理有限公司" in _labels(out)  # e1, two hops from e2
        assert out["around"] == person["key"] and out["depth"] == 1
        with store.read_session() as other:
            stranger = other.scalars(
                sa.select(GraphReadNode.id).where(GraphReadNode.node == "e:e5")
            ).one()
        with pytest.raises(NotFound):
            graph_read.family_graph(session, LEAD, "e2", around=stranger)


def test_enterprises_outside_the_territory_are_hidden_but_counted(store: Store) -> None:
    publish_planted(store)
    with store.read_session() as session:
        data = graph_read.family_graph(session, ELSEWHERE, "e2", depth=2)
        police = graph_read.family_graph(session, POLICE, "e2", depth=2)
    companies = [n for n in data["nodes"] if n["kind"] == "enterprise"]
    hidden = [n for n in companies if n["hidden"]]
    assert hidden and all(n["label"] is None and n["record"] is None for n in hidden)
    assert [n["record"] for n in companies if not n["hidden"]] == ["e2"]
    assert {
        n["hidden"] for n in police["nodes"] if n["kind"] == "enterprise" and not n["root"]
    } == {True}
    with store.read_session() as session, pytest.raises(NotFound):
        graph_read.family_graph(session, ELSEWHERE, "e2", around=hidden[0]["key"])


def test_ownership_penetration_reads_the_published_holdings(store: Store) -> None:
    publish_planted(store)
    with store.read_session() as session:
        data = graph_read.ownership(session, LEAD, "e1")
    owners = {o["label"]: o for o in data["owners"]}
    assert owners["周九"]["share"] == 0.5 and owners["周九"]["beneficial"]
    assert owners["钱七"]["share"] == pytest.approx(0.24) and not owners["钱七"]["beneficial"]
    assert [[s["label"] for s in p] for p in owners["钱七"]["paths"]] == [
        ["钱七", "芜湖顶层控股有限公司", "芜湖中层投资有限公司"]
    ]
    assert data["cycle_share"] == pytest.approx(0.2) and data["cycles"]
    total = sum(o["share"] for o in data["owners"]) + data["cycle_share"] + data["unknown_share"]
    assert total == pytest.approx(1.0)


def test_penetration_of_the_read_model_equals_the_engines(store: Store) -> None:
    model = planted_model()
    nodes = model.nodes.to_pylist()
    name = {n["id"]: n["node"] for n in nodes}
    owns = [e for e in model.edges.to_pylist() if e["kind"] == "owns"]

    def holders(held: list[str]) -> list[Holding]:
        return [
            Holding(name[e["src"]], name[e["dst"]], e["weight"], e["label"])
            for e in owns
            if name[e["dst"]] in held
        ]

    publish_planted(store)
    with store.read_session() as session:
        published = graph_read.ownership(session, LEAD, "h2")
    direct = penetrate_with(holders, "e:h2")
    assert {o["id"]: o["share"] for o in published["owners"]} == {
        o.node: o.share for o in direct.owners
    }


def test_a_family_over_the_edge_cap_publishes_ownership_first() -> None:
    model = planted_model(family_edges=3)
    big = max(model.families.to_pylist(), key=lambda f: f["enterprises"])
    assert big["edges_published"] == 3 < big["edges"]
    kinds = [e["kind"] for e in model.edges.to_pylist() if e["family"] == big["family"]]
    assert kinds == ["owns", "owns", "owns"]
