"""The company graph as the edges read it: published to the store, read per entity.

``graph build`` writes the graph into the analytic engine, which batch runs hold locked; the
web and the API read the store only. :func:`publish` therefore copies the graph's read model
(:mod:`smokewatch.graph.read_model`) into the store's ``graph_read_*`` tables in one
transaction, replacing the previous one (readers see the old or the new graph, never half).

The reads take a session and an actor whose right to see the entity was already checked:

* :func:`family_graph` — the entity's family around it: nodes within ``depth`` hops, at most
  :data:`MAX_NODES`, with honest counts of what is not shown; or, with ``around``, the
  neighbours of one node of the family (the page's *expand*);
* :func:`ownership` — ownership penetration (股权穿透) over the published ``owns`` edges, the
  same walk as ``graph ubo`` (:func:`smokewatch.graph.ownership.penetrate_with`).

Territory: an enterprise node the actor could not open (another division, another sector, or
any enterprise for the police and reporters, who reach only their cases' entities) is shown
as *hidden*: no name, no id, no grade, no link, and it cannot be expanded; the structure
(that a company is there) stays. Colours come from the latest smoke grade of each record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Final

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.cases.access import ANALYST_ROLES, Actor, sees_region
from smokewatch.errors import NotFound
from smokewatch.graph.ownership import THRESHOLD, Holding, penetrate_with
from smokewatch.graph.read_model import ReadModel
from smokewatch.store.db import Store
from smokewatch.store.graph_read import replace_read_model
from smokewatch.store.orm import Score
from smokewatch.store.orm_graph import (
    GraphReadEdge,
    GraphReadFamily,
    GraphReadNode,
    GraphReadRecord,
)

MAX_NODES: Final = 200
"""Nodes drawn at most on an entity page (the rest are counted)."""
_CHUNK: Final = 500
"""Ids per ``IN (…)`` list."""
SCORECARD: Final = "SW-S-0001"

NOT_BUILT: Final = {
    "zh": "企业关系图谱尚未构建：请先运行 smokewatch graph build。",
    "en": "The company graph is not built yet: run `smokewatch graph build`.",
}
NOT_IN_GRAPH: Final = {
    "zh": "该主体在企业关系图谱中没有关联（无股东、高管或共用联系方式记录）。",
    "en": "This entity has no links in the company graph (no shareholders, officers or "
    "shared contacts on record).",
}


def publish(store: Store, model: ReadModel, *, run_id: str) -> dict[str, int]:
    """Replace the store's read model with ``model`` (one transaction); rows written per table."""
    now = datetime.now(UTC)
    n = model.families.num_rows
    families = model.families.append_column(
        "run_id", pa.array([run_id] * n, pa.string())
    ).append_column("published_at", pa.array([now] * n, pa.timestamp("us", tz="UTC")))
    tables = {
        "graph_read_family": families,
        "graph_read_node": model.nodes,
        "graph_read_record": model.records,
        "graph_read_edge": model.edges,
    }
    with store.unit_of_work() as session:
        return replace_read_model(
            session, {name: (t.column_names, _rows(t)) for name, t in tables.items()}
        )


def _rows(table: pa.Table) -> Iterator[dict[str, Any]]:
    for batch in table.to_batches(10_000):
        yield from batch.to_pylist()


def _chunks(values: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _root(session: Session, subject_id: str) -> GraphReadNode | None:
    record = session.get(GraphReadRecord, subject_id)
    return None if record is None else session.get(GraphReadNode, record.node_id)


def placement(
    session: Session, subject_id: str
) -> tuple[str | None, str | None, str | None] | None:
    """``(name, adcode, sector)`` of an enterprise record as the graph publishes it, if any."""
    node = _root(session, subject_id)
    if node is None or node.kind != "enterprise":
        return None
    return node.label, node.adcode, node.sector


def _built(session: Session) -> bool:
    return session.execute(sa.select(GraphReadFamily.family).limit(1)).first() is not None


def _edges_touching(session: Session, ids: Iterable[int]) -> list[GraphReadEdge]:
    found: dict[int, GraphReadEdge] = {}
    for chunk in _chunks(ids):
        query = sa.select(GraphReadEdge).where(
            GraphReadEdge.src.in_(chunk) | GraphReadEdge.dst.in_(chunk)
        )
        for edge in session.scalars(query):
            found[edge.id] = edge
    return [found[k] for k in sorted(found)]


def _edges_among(session: Session, ids: set[int]) -> list[GraphReadEdge]:
    return [e for e in _edges_touching(session, ids) if e.src in ids and e.dst in ids]


def _nodes(session: Session, ids: Iterable[int]) -> dict[int, GraphReadNode]:
    out: dict[int, GraphReadNode] = {}
    for chunk in _chunks(ids):
        out.update(
            {
                n.id: n
                for n in session.scalars(
                    sa.select(GraphReadNode).where(GraphReadNode.id.in_(chunk))
                )
            }
        )
    return out


def _latest_scores(session: Session, records: Iterable[str]) -> dict[str, Score]:
    """The latest non-shadow score of each record by the smoke index scorecard."""
    out: dict[str, Score] = {}
    wanted = sorted(set(records))
    for start in range(0, len(wanted), _CHUNK):
        query = (
            sa.select(Score)
            .where(
                Score.subject_id.in_(wanted[start : start + _CHUNK]),
                Score.scorecard_id == SCORECARD,
                Score.shadow.is_(False),
            )
            .order_by(Score.as_of)
        )
        for score in session.scalars(query):
            out[score.subject_id] = score  # later dates win
    return out


class _View:
    """How one actor sees the nodes of a graph answer: visibility and grades per node."""

    def __init__(self, session: Session, actor: Actor, root: GraphReadNode) -> None:
        self.session, self.actor, self.root = session, actor, root
        self.scores: dict[str, Score] = {}

    def load(self, nodes: Iterable[GraphReadNode]) -> None:
        records = [n.record_id for n in nodes if n.record_id and n.record_id not in self.scores]
        self.scores.update(_latest_scores(self.session, records))

    def visible(self, node: GraphReadNode) -> bool:
        if node.kind != "enterprise" or node.id == self.root.id:
            return True
        if not self.actor.roles & ANALYST_ROLES:
            return False
        score = self.scores.get(node.record_id or "")
        if score is not None:
            return sees_region(self.actor, score.adcode, score.sector)
        return sees_region(self.actor, node.adcode, node.sector)

    def node(self, node: GraphReadNode, **extra: Any) -> dict[str, Any]:
        shown = self.visible(node)
        score = self.scores.get(node.record_id or "") if shown else None
        return {
            "key": node.id,
            "id": node.node if shown else None,
            "kind": node.kind,
            "label": node.label if shown else None,
            "grade": score.grade if score is not None else None,
            "record": node.record_id if shown and node.kind == "enterprise" else None,
            "root": node.id == self.root.id,
            "hidden": not shown,
            **extra,
        }


def _edge(edge: GraphReadEdge) -> dict[str, Any]:
    return {
        "source": edge.src,
        "target": edge.dst,
        "kind": edge.kind,
        "weight": edge.weight,
        "label": edge.label,
    }


def _unavailable(root_id: str, reason: dict[str, str], *, built: bool) -> dict[str, Any]:
    return {
        "id": root_id,
        "available": built,
        "reason": dict(reason),
        "family": None,
        "around": None,
        "depth": 0,
        "more": 0,
        "truncated": False,
        "nodes": [],
        "edges": [],
    }


def family_graph(
    session: Session,
    actor: Actor,
    subject_id: str,
    *,
    depth: int = 2,
    around: int | None = None,
    max_nodes: int = MAX_NODES,
) -> dict[str, Any]:
    """The entity's family around it, or the neighbours of node ``around`` of its family.

    Raises:
        NotFound: ``around`` is not a node of the entity's family, or one the actor may not
            see (a hidden enterprise is not expanded).
    """
    root = _root(session, subject_id)
    if root is None:
        built = _built(session)
        return _unavailable(subject_id, NOT_IN_GRAPH if built else NOT_BUILT, built=built)
    view = _View(session, actor, root)
    start = root
    if around is not None:
        found = session.get(GraphReadNode, around)
        if found is None or found.family != root.family:
            raise NotFound(f"no node {around} in the family of {subject_id!r}")
        view.load([found])
        if not view.visible(found):
            raise NotFound(f"no node {around} in the family of {subject_id!r}")
        start, depth = found, 1
    reached, truncated = _walk(session, start.id, depth, max_nodes)
    nodes = _nodes(session, reached)
    view.load(nodes.values())
    edges = _edges_among(session, set(reached))
    family = session.get_one(GraphReadFamily, root.family)
    return {
        "id": subject_id,
        "available": True,
        "reason": None,
        "family": {
            "enterprises": family.enterprises,
            "nodes": family.nodes,
            "edges": family.edges,
            "edges_published": family.edges_published,
        },
        "around": start.id,
        "depth": depth,
        "more": max(0, family.nodes - len(reached)) if around is None else int(truncated),
        "truncated": truncated,
        "nodes": [view.node(nodes[k], hop=h) for k, h in sorted(reached.items(), key=_by_hop)],
        "edges": [_edge(e) for e in edges],
    }


def _by_hop(item: tuple[int, int]) -> tuple[int, int]:
    return item[1], item[0]


def _walk(session: Session, start: int, depth: int, max_nodes: int) -> tuple[dict[int, int], bool]:
    """Nodes within ``depth`` hops of ``start`` (node → hop), at most ``max_nodes``."""
    reached = {start: 0}
    frontier = {start}
    truncated = False
    for hop in range(1, depth + 1):
        if not frontier:
            break
        next_frontier: set[int] = set()
        for edge in _edges_touching(session, frontier):
            for end in (edge.src, edge.dst):
                if end in reached:
                    continue
                if len(reached) >= max_nodes:
                    truncated = True
                    continue
                reached[end] = hop
                next_frontier.add(end)
        frontier = next_frontier
    return reached, truncated


def ownership(
    session: Session, actor: Actor, subject_id: str, *, threshold: float = THRESHOLD
) -> dict[str, Any]:
    """Ownership penetration of the entity over the published ``owns`` edges."""
    root = _root(session, subject_id)
    if root is None:
        built = _built(session)
        return {
            "id": subject_id,
            "available": built,
            "reason": dict(NOT_IN_GRAPH if built else NOT_BUILT),
            "threshold": threshold,
            "owners": [],
            "cycles": [],
            "unknown_share": 0.0,
            "cycle_share": 0.0,
            "truncated": False,
        }
    by_id: dict[int, GraphReadNode] = {root.id: root}
    by_node: dict[str, GraphReadNode] = {root.node: root}

    def holders(held: list[str]) -> list[Holding]:
        ids = [by_node[n].id for n in held if n in by_node]
        out: list[tuple[int, int, float, str]] = []
        for chunk in _chunks(ids):
            query = sa.select(
                GraphReadEdge.src, GraphReadEdge.dst, GraphReadEdge.weight, GraphReadEdge.label
            ).where(GraphReadEdge.kind == "owns", GraphReadEdge.dst.in_(chunk))
            out.extend(
                (s, d, float(w or 0.0), lab or "") for s, d, w, lab in session.execute(query)
            )
        fresh = _nodes(session, {s for s, *_ in out} - set(by_id))
        by_id.update(fresh)
        by_node.update({n.node: n for n in fresh.values()})
        return [Holding(by_id[s].node, by_id[d].node, w, lab) for s, d, w, lab in out]

    result = penetrate_with(holders, root.node, threshold=threshold)
    view = _View(session, actor, root)
    view.load(by_id.values())

    def step(node: str, share: float | None = None) -> dict[str, Any]:
        shown = view.node(by_node[node])
        return {**shown, "share": share} if share is not None else shown

    return {
        "id": subject_id,
        "available": True,
        "reason": None,
        "threshold": threshold,
        "owners": [
            {
                **step(o.node),
                "share": o.share,
                "beneficial": o.beneficial,
                "paths": [[step(n, s) for n, s in path] for path in o.paths],
            }
            for o in result.owners
        ],
        "cycles": [[step(n) for n in cycle] for cycle in result.cycles],
        "unknown_share": result.unknown_share,
        "cycle_share": result.cycle_share,
        "truncated": result.truncated,
    }


__all__ = [
    "MAX_NODES",
    "NOT_BUILT",
    "NOT_IN_GRAPH",
    "family_graph",
    "ownership",
    "placement",
    "publish",
]
