"""k-hop neighbourhoods, families, exports and explained risk propagation."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyarrow as pa
import pytest

from smokewatch.engine import Engine
from smokewatch.errors import NotFound
from smokewatch.graph.components import connected_components
from smokewatch.graph.edges import EDGE_SCHEMA, all_edges
from smokewatch.graph.explore import family, neighbourhood
from smokewatch.graph.export import to_gexf, to_graphml, to_json
from smokewatch.graph.propagation import CAP, network_points, propagate


@pytest.fixture
def graph(planted: Engine) -> Engine:
    planted.replace_tables({"graph_edge": all_edges(planted)})
    connected_components(planted, planted.table("graph_edge"), out="cc")
    cc = planted.table("cc")
    planted.replace_tables({"graph_family": cc.select(node=cc.node, family=cc.component)})
    return planted


def test_hops_reach_further_one_step_at_a_time(graph: Engine) -> None:
    one = neighbourhood(graph, "e:e2", hops=1)
    assert {"p:张三@3402", "e:e2"} <= set(one.nodes)
    assert "e:e1" not in one.nodes  # e1 is two hops away, through 张三
    two = neighbourhood(graph, "e:e2", hops=2)
    assert two.nodes["e:e1"] == 2 and two.nodes["e:e3"] == 2
    assert two.labels["p:张三@3402"] == "张三"
    with pytest.raises(NotFound):
        neighbourhood(graph, "e:nobody")


def test_a_family_holds_every_linked_enterprise(graph: Engine) -> None:
    fam = family(graph, "e:e4")
    enterprises = {n for n in fam.nodes if n.startswith("e:")}
    assert enterprises == {"e:e1", "e:e2", "e:e3", "e:e4", "e:h1", "e:h2", "e:h3"}
    assert all(e["src"] in fam.nodes and e["dst"] in fam.nodes for e in fam.edges)


def test_exports_are_well_formed(graph: Engine) -> None:
    fam = family(graph, "e:e1")
    gexf = ET.fromstring(to_gexf(fam.nodes, fam.edges, fam.labels))  # noqa: S314 - our output
    ns = {"g": "http://gexf.net/1.3"}
    assert len(gexf.findall(".//g:node", ns)) == len(fam.nodes)
    assert len(gexf.findall(".//g:edge", ns)) == len(fam.edges)
    graphml = ET.fromstring(to_graphml(fam.nodes, fam.edges, fam.labels))  # noqa: S314
    assert graphml.tag.endswith("graphml")
    data = json.loads(to_json(fam.nodes, fam.edges, fam.labels))
    assert {n["category"] for n in data["nodes"]} >= {"enterprise", "person"}
    assert len(data["links"]) == len(fam.edges)


def test_risk_flows_to_neighbours_bounded_and_explained(graph: Engine) -> None:
    seeds = graph.register("seeds", pa.table({"node": ["e:e1"], "grade": ["red"]}))
    propagate(graph, graph.table("graph_edge"), seeds, out="contrib")
    rows = graph.to_arrow(graph.table("contrib")).to_pylist()
    by_target = {r["target"]: r for r in rows}
    assert "e:e1" not in by_target and "e:e5" not in by_target
    # e1 and e2 name the same legal representative, 张三, by name only: a weak link
    assert by_target["e:e2"]["hops"] == 1 and by_target["e:e2"]["path"] == "same_name"
    assert by_target["e:e2"]["points"] == pytest.approx(20 * 0.2)
    assert by_target["e:e3"]["hops"] == 2 and by_target["e:e3"]["path"] == "same_name>has_phone"
    assert by_target["e:e3"]["points"] == pytest.approx(20 * 0.2 * 0.6 * 0.5)
    # h2 holds half of e1: ownership passes everything
    assert by_target["e:h2"]["path"] == "owns" and by_target["e:h2"]["points"] == 20
    totals = {
        r["target"]: r["points"]
        for r in graph.to_arrow(network_points(graph, "contrib")).to_pylist()
    }
    assert totals["e:h2"] == CAP and all(p <= CAP for p in totals.values())


def _stored_backwards(engine: Engine, edges: list[tuple[str, str, str, str]]) -> None:
    """Store ``edges`` (src, dst, kind, label) in reverse order, all in one family."""
    rows = [
        {"src": s, "dst": d, "kind": k, "weight": 1.0, "label": label}
        for s, d, k, label in reversed(edges)
    ]
    nodes = sorted({r["src"] for r in rows} | {r["dst"] for r in rows})
    engine.replace_tables(
        {
            "graph_edge": pa.Table.from_pylist(rows, schema=EDGE_SCHEMA),
            "graph_family": pa.table({"node": nodes, "family": ["f"] * len(nodes)}),
        }
    )


def test_a_family_reads_the_same_whatever_order_the_engine_holds_the_edges_in(
    engine: Engine,
) -> None:
    # DuckDB returns rows as inserted, Spark by partition: without an order, an export's edge
    # ids and a node's label (the first edge's) changed with the engine.
    edges = [
        ("e:a", "addr:北京路1号", "has_address", "北京路1号"),
        ("p:x", "e:a", "owns", "张三"),
        ("p:x", "e:b", "legal_representative", "张叁"),
    ]
    _stored_backwards(engine, edges)
    fam = family(engine, "e:a")
    assert [(e["src"], e["dst"], e["kind"]) for e in fam.edges] == [e[:3] for e in edges]
    assert fam.labels["p:x"] == "张三"
    nearby = neighbourhood(engine, "e:a", hops=2)
    assert [(e["src"], e["dst"], e["kind"]) for e in nearby.edges] == [e[:3] for e in edges]


def test_a_truncated_neighbourhood_keeps_the_same_nodes_on_every_engine(engine: Engine) -> None:
    _stored_backwards(engine, [("e:hub", f"e:n{i}", "has_phone", "0553") for i in range(1, 6)])
    nearby = neighbourhood(engine, "e:hub", hops=1, max_nodes=3)
    assert nearby.truncated
    assert list(nearby.nodes) == ["e:hub", "e:n1", "e:n2"]
