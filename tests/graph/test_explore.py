"""k-hop neighbourhoods, families, exports and explained risk propagation."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyarrow as pa
import pytest

from smokewatch.engine import Engine
from smokewatch.errors import NotFound
from smokewatch.graph.components import connected_components
from smokewatch.graph.edges import all_edges
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
