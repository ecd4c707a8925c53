"""The company graph as a read model: Arrow tables the service layer publishes to the store.

The graph lives in the engine (``graph_edge``, ``graph_family``); the web and the API must not
read the engine (the batch runs hold its lock). :func:`read_model` turns the built graph into
four plain tables, which the services write into the store after each ``graph build``:

* **nodes** — every node of a family, numbered ``0…n-1`` in node order, with its kind, a label
  (an enterprise's registered name; a person's, phone's or address's value as the source wrote
  it), its family and, for enterprises, the record it stands for and where it is routed;
* **records** — every enterprise record and the node it is (resolution merges records);
* **edges** — at most ``family_edges`` per family: ownership first (penetration needs all of
  it), then officers, transfers and shared contacts; the rest are counted, not published;
* **families** — per family: enterprises, nodes, edges in the engine and edges published.

The heavy steps (labels, ranking edges within each family) run in the engine; numbering the
nodes and translating edge ends to numbers are vectorised Arrow calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.engine.base import Engine
from smokewatch.errors import NotFound
from smokewatch.graph.edges import ATTRIBUTE_KINDS, OFFICER_KINDS, TRANSFER_KIND
from smokewatch.graph.explore import EDGES, FAMILIES

FAMILY_EDGES: Final = 5_000
"""Edges published per family at most (a family this large is no longer read on a page)."""

_PRIORITY: Final = {"owns": 0, **dict.fromkeys(OFFICER_KINDS, 1), TRANSFER_KIND: 2}
_LABELLED_BY_SRC: Final = ("owns", *OFFICER_KINDS)
"""Edge kinds whose label names the source (the holder, the person)."""
_PREFIX_KIND: Final = (("e:", "enterprise"), ("p:", "person"), ("phone:", "phone"))


@dataclass(frozen=True, slots=True)
class ReadModel:
    """The published graph: ``nodes``, ``records``, ``edges``, ``families`` (Arrow tables)."""

    nodes: pa.Table
    records: pa.Table
    edges: pa.Table
    families: pa.Table


def node_kind(node: str) -> str:
    """The kind of a node from its prefix.

    Examples:
        >>> node_kind("e:ent-1"), node_kind("p:张三@3402"), node_kind("addr:芜湖市")
        ('enterprise', 'person', 'address')
    """
    for prefix, kind in _PREFIX_KIND:
        if node.startswith(prefix):
            return kind
    return "address"


def _records(engine: Engine) -> ir.Table | None:
    """``node``, ``rid``: every enterprise record and its node (resolved when resolution ran)."""
    if not engine.has_table("enterprise"):
        return None
    ent = engine.table("enterprise")
    if engine.has_table("entity_cluster"):
        clusters = engine.table("entity_cluster").select("record_id", "entity_id")
        records = clusters.select(
            node=ibis.literal("e:") + clusters.entity_id.cast("string"),
            rid=clusters.record_id.cast("string"),
        )
        known = records.select(known="rid")
        plain = ent.anti_join(known, ent.id == known.known)
        return records.union(
            plain.select(node=ibis.literal("e:") + plain.id, rid=plain.id), distinct=False
        )
    return ent.select(node=ibis.literal("e:") + ent.id, rid=ent.id)


def _edge_labels(edges: ir.Table) -> ir.Table:
    """``node``, ``label``: what the sources wrote for people, phones and addresses."""
    by_src = edges.filter(edges.kind.isin(_LABELLED_BY_SRC) & edges.label.notnull())
    by_dst = edges.filter(edges.kind.isin(ATTRIBUTE_KINDS) & edges.label.notnull())
    both = by_src.select(node=by_src.src, label=by_src.label).union(
        by_dst.select(node=by_dst.dst, label=by_dst.label), distinct=False
    )
    return both.group_by("node").agg(label=both.label.min())


def _enterprise_facts(engine: Engine, records: ir.Table) -> ir.Table:
    """``node``, ``record_id``, ``name``, ``adcode``, ``sector`` of each enterprise node."""
    ent = engine.table("enterprise")
    sector = ent.industry_code if "industry_code" in ent.columns else ibis.null("string")
    ent = ent.select(eid=ent.id, name=ent.name, adcode=ent.adcode, sector=sector.cast("string"))
    first = records.group_by("node").agg(record_id=records.rid.min())
    joined = first.left_join(ent, first.record_id == ent.eid)
    return joined.select("node", "record_id", "name", "adcode", "sector")


def read_model(engine: Engine, *, family_edges: int = FAMILY_EDGES) -> ReadModel:
    """The read model of the graph ``graph build`` wrote (see the module docstring).

    Raises:
        NotFound: no graph was built.
    """
    if not (engine.has_table(EDGES) and engine.has_table(FAMILIES)):
        raise NotFound("no graph yet: run `smokewatch graph build` first")
    edges = engine.table(EDGES)
    fam = engine.table(FAMILIES)
    labels = _edge_labels(edges)
    nodes = fam.left_join(labels, fam.node == labels.node).select(
        node=fam.node, family=fam.family, label=labels.label
    )
    records = _records(engine)
    if records is not None:
        facts = _enterprise_facts(engine, records)
        nodes = nodes.left_join(facts, nodes.node == facts.node).select(
            node=nodes.node,
            family=nodes.family,
            label=ibis.coalesce(facts.name, nodes.label),
            record_id=facts.record_id,
            adcode=facts.adcode.cast("string"),
            sector=facts.sector,
        )
    else:
        nodes = nodes.mutate(
            record_id=ibis.null("string"), adcode=ibis.null("string"), sector=ibis.null("string")
        )
    node_rows = engine.to_arrow(nodes.order_by("node"), step="graph read nodes")
    ids = pa.array(range(node_rows.num_rows), pa.int64())
    kinds = pa.array([node_kind(n) for n in node_rows["node"].to_pylist()], pa.string())
    node_table = pa.table(
        {
            "id": ids,
            "node": node_rows["node"],
            "kind": kinds,
            "label": node_rows["label"],
            "family": node_rows["family"],
            "record_id": node_rows["record_id"],
            "adcode": node_rows["adcode"],
            "sector": node_rows["sector"],
        }
    )

    placed = edges.join(fam.select(fnode="node", efamily="family"), edges.src == fam.node)
    priority = ibis.cases(
        *((placed.kind == k, ibis.literal(p)) for k, p in _PRIORITY.items()), else_=3
    )
    ranked = placed.mutate(
        rank=ibis.row_number().over(
            group_by=placed.efamily, order_by=[priority, placed.src, placed.dst, placed.kind]
        )
    )
    totals = engine.to_arrow(
        ranked.group_by("efamily").agg(edges=ranked.count()), step="graph read family edges"
    )
    kept = ranked.filter(ranked.rank < family_edges)
    edge_rows = engine.to_arrow(
        kept.order_by("efamily", "rank").select("efamily", "src", "dst", "kind", "weight", "label"),
        step="graph read edges",
    )
    edge_table = pa.table(
        {
            "id": pa.array(range(edge_rows.num_rows), pa.int64()),
            "family": edge_rows["efamily"],
            "src": pc.index_in(edge_rows["src"], value_set=node_table["node"]),
            "dst": pc.index_in(edge_rows["dst"], value_set=node_table["node"]),
            "kind": edge_rows["kind"],
            "weight": edge_rows["weight"],
            "label": edge_rows["label"],
        }
    )
    return ReadModel(
        nodes=node_table,
        records=_record_table(engine, records, node_table),
        edges=edge_table,
        families=_family_table(engine, fam, totals, family_edges),
    )


def _record_table(engine: Engine, records: ir.Table | None, nodes: pa.Table) -> pa.Table:
    if records is None:
        return pa.table(
            {"record_id": pa.array([], pa.string()), "node_id": pa.array([], pa.int64())}
        )
    rows = engine.to_arrow(records.select("rid", "node"), step="graph read records")
    node_id = pc.index_in(rows["node"], value_set=nodes["node"])
    keep = pc.is_valid(node_id)
    return pa.table(
        {"record_id": rows["rid"].filter(keep), "node_id": node_id.filter(keep).cast(pa.int64())}
    )


def _family_table(engine: Engine, fam: ir.Table, totals: pa.Table, cap: int) -> pa.Table:
    sizes = engine.to_arrow(
        fam.group_by("family").agg(enterprises=fam.size.max(), nodes=fam.count()),
        step="graph read families",
    )
    edges = dict(zip(totals["efamily"].to_pylist(), totals["edges"].to_pylist(), strict=True))
    counts = [int(edges.get(f, 0)) for f in sizes["family"].to_pylist()]
    return pa.table(
        {
            "family": sizes["family"],
            "enterprises": sizes["enterprises"].cast(pa.int64()),
            "nodes": sizes["nodes"].cast(pa.int64()),
            "edges": pa.array(counts, pa.int64()),
            "edges_published": pa.array([min(c, cap) for c in counts], pa.int64()),
        }
    )


__all__ = ["FAMILY_EDGES", "ReadModel", "node_kind", "read_model"]
