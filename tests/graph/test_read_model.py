"""The read model of a built graph, the same on every engine (what ``graph build`` publishes)."""

from __future__ import annotations

from smokewatch.engine import Engine
from smokewatch.graph.components import connected_components
from smokewatch.graph.edges import all_edges
from smokewatch.graph.read_model import read_model


def _built(engine: Engine) -> Engine:
    engine.replace_tables({"graph_edge": all_edges(engine)})
    connected_components(engine, engine.table("graph_edge"), out="cc")
    cc = engine.table("cc")
    firms = cc.filter(cc.node.startswith("e:"))
    sizes = firms.group_by("component").agg(size=firms.count())
    engine.replace_tables(
        {
            "graph_family": cc.join(sizes, cc.component == sizes.component).select(
                node=cc.node, family=cc.component, size=sizes.size
            )
        }
    )
    return engine


def test_every_node_is_numbered_labelled_and_placed_in_its_family(planted: Engine) -> None:
    model = read_model(_built(planted))
    nodes = {n["node"]: n for n in model.nodes.to_pylist()}
    assert sorted(n["id"] for n in nodes.values()) == list(range(len(nodes)))
    assert nodes["e:e1"]["label"] == "芜湖鑫源投资管理有限公司"
    assert (nodes["e:e1"]["record_id"], nodes["e:e1"]["adcode"]) == ("e1", "340202")
    assert nodes["p:张三@3402"]["label"] == "张三" and nodes["p:张三@3402"]["kind"] == "person"
    assert nodes["e:e1"]["family"] == nodes["e:h3"]["family"] != nodes["e:e5"]["family"]
    records = dict(
        zip(
            model.records["record_id"].to_pylist(),
            model.records["node_id"].to_pylist(),
            strict=True,
        )
    )
    assert records["e2"] == nodes["e:e2"]["id"]


def test_edges_are_capped_per_family_with_ownership_first_and_counted(planted: Engine) -> None:
    model = read_model(_built(planted), family_edges=4)
    families = {f["family"]: f for f in model.families.to_pylist()}
    big = max(families.values(), key=lambda f: f["enterprises"])
    assert big["enterprises"] == 7 and big["edges_published"] == 4 < big["edges"]
    kinds = [e["kind"] for e in model.edges.to_pylist() if e["family"] == big["family"]]
    assert kinds == ["owns"] * 4
    assert all(e["src"] is not None and e["dst"] is not None for e in model.edges.to_pylist())
