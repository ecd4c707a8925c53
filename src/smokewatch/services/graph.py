"""The company graph of a workspace: ``smokewatch graph build|family|ubo|neighbours|export``.

``build`` writes, through the engine, ``graph_edge`` (every edge), ``graph_family`` (node,
family, size: connected components of the enterprise graph by iterative SQL),
``network_risk_contribution`` (the typed table rule SW-R-0501 reads: one row per enterprise
record, seed and path) and ``network_risk`` (capped totals per node): points that red and
orange entities of the latest scores pass to their neighbours. A seed's grade is the one its
score reaches *without* its own network points (:data:`NETWORK_DIMENSION`), so network points
never make new seeds and re-running the build does not spread risk further each time. Then it
publishes the graph's read model to the store (:mod:`smokewatch.services.graph_read`), where
the web and the API read it. Records a ``graph`` run.
The queries accept an enterprise record id, an entity id or a node id (``e:…``, ``p:…``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import ibis
import pyarrow as pa
import sqlalchemy as sa

from smokewatch.engine import Engine
from smokewatch.errors import InvalidInput
from smokewatch.graph.components import connected_components
from smokewatch.graph.edges import all_edges
from smokewatch.graph.explore import EDGES, FAMILIES, Subgraph, family, neighbourhood
from smokewatch.graph.export import FORMATS, WRITERS
from smokewatch.graph.ownership import THRESHOLD, Penetration, penetrate
from smokewatch.graph.propagation import network_points, propagate
from smokewatch.graph.read_model import read_model
from smokewatch.model.tables import get_table
from smokewatch.score.scorecard import ScorecardSpec
from smokewatch.services.graph_read import publish
from smokewatch.services.runs import recorded_run
from smokewatch.services.scores import workspace_scorecards
from smokewatch.services.workspace import open_engine, open_store, open_workspace
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.store.orm import Score

CONTRIBUTIONS, NETWORK = "network_risk_contribution", "network_risk"
NETWORK_DIMENSION = "network"
"""The scorecard dimension fed by the network rule; its points do not count for seeding."""
_LINES = "__sw_graph_lines"
_SEEDS = pa.schema([("node", pa.string()), ("grade", pa.string())])


@dataclass(frozen=True, slots=True)
class GraphSummary:
    """What a graph build did."""

    run_id: str
    edges: int
    nodes: int
    families: int
    largest_family: int
    rounds: int
    seeds: int
    reached: int
    published_edges: int
    """Edges published to the store's read model (what the web and the API read)."""
    seconds: float


def seed_grade(card: ScorecardSpec | None, score: float, grade: str, network: float) -> str:
    """The grade an entity has without its network points.

    A grade above what the points reach came from a floor (``min_grade``), which network points
    never set, so it stays; otherwise the grade is read again from the points less the network
    dimension's.

    Examples:
        >>> seed_grade(None, 80.0, "red", 0.0)
        'red'
    """
    if card is None or network <= 0:
        return grade
    if grade in {g.code for g in card.grades} and card.grade(grade).min > score:
        return grade
    found = card.grade_of(score - network)
    return found.code if found else "none"


def _seeds(store: Store, engine: Engine, cards: dict[str, ScorecardSpec]) -> pa.Table:
    """Enterprises graded red or orange by their latest score (resolved to entity nodes)."""
    with store.unit_of_work() as session:
        latest = (
            sa.select(Score.subject_id, sa.func.max(Score.as_of).label("as_of"))
            .where(Score.subject_table == "enterprise", Score.shadow.is_(False))
            .group_by(Score.subject_id)
            .subquery()
        )
        rows = session.execute(
            sa.select(
                Score.subject_id, Score.grade, Score.score, Score.dimensions, Score.scorecard_id
            )
            .join(
                latest,
                (Score.subject_id == latest.c.subject_id) & (Score.as_of == latest.c.as_of),
            )
            .where(Score.shadow.is_(False))
        ).all()
    entity_of = _entity_map(engine)
    graded: dict[str, str] = {}
    for subject, recorded, points, dimensions, card_id in rows:
        network = float((dimensions or {}).get(NETWORK_DIMENSION, 0.0))
        grade = seed_grade(cards.get(card_id), float(points), recorded, network)
        if grade in ("red", "orange"):
            node = f"e:{entity_of.get(subject, subject)}"
            if graded.get(node) != "red":
                graded[node] = grade
    return pa.Table.from_pylist(
        [{"node": n, "grade": g} for n, g in sorted(graded.items())], schema=_SEEDS
    )


def _record_lines(engine: Engine) -> None:
    """``network_risk_contribution``: the node-level lines with enterprise records and names."""
    schema = get_table(CONTRIBUTIONS).arrow_schema()
    if not engine.has_table("enterprise"):
        engine.replace_tables(
            {CONTRIBUTIONS: engine.register(_LINES + "_none", schema.empty_table())}
        )
        return
    lines = engine.table(_LINES)
    ent = engine.table("enterprise").select("id", "name")
    if engine.has_table("entity_cluster"):
        clusters = engine.table("entity_cluster").select("record_id", "entity_id")
        records = clusters.select(
            node=ibis.literal("e:") + clusters.entity_id, rid=clusters.record_id
        )
        known = records.select(known="rid")
        plain = ent.anti_join(known, ent.id == known.known)
        records = records.union(plain.select(node=ibis.literal("e:") + plain.id, rid=plain.id))
    else:
        records = ent.select(node=ibis.literal("e:") + ent.id, rid=ent.id)
    named = records.join(ent, records.rid == ent.id).select("node", "rid", "name")
    seeds = named.group_by("node").agg(seed_id=named.rid.min(), seed_name=named.name.min())
    seeds = seeds.rename(seed_node="node")
    targets = named.rename(target_node="node", target_id="rid", target_name="name")
    out = lines.join(targets, lines.target == targets.target_node).left_join(
        seeds, lines.seed == seeds.seed_node
    )
    out = out.select(
        target=out.target, target_id=out.target_id, target_name=out.target_name,
        seed=out.seed, seed_id=out.seed_id, seed_name=out.seed_name,
        seed_grade=out.seed_grade, hops=out.hops.cast("int64"), path=out.path,
        points=out.points.cast("float64"),
    )  # fmt: skip
    engine.replace_tables({CONTRIBUTIONS: out.select(*schema.names)})


def _entity_map(engine: Engine) -> dict[str, str]:
    if not engine.has_table("entity_cluster"):
        return {}
    table = engine.to_arrow(engine.table("entity_cluster").select("record_id", "entity_id"))
    return dict(zip(table["record_id"].to_pylist(), table["entity_id"].to_pylist(), strict=True))


def build_graph(settings: Settings) -> GraphSummary:
    """Build edges, families and network risk for the workspace (one recorded run)."""
    started = time.perf_counter()
    cards = {
        c.spec.id: c.spec
        for c in workspace_scorecards(open_workspace(settings))
        if c.spec.subject == "enterprise"
    }
    with open_store(settings) as store, open_engine(settings) as engine:
        label = f"{engine.name} {engine.version()}"
        with recorded_run(store, "graph", engine=label, inputs={}) as run:
            engine.replace_tables({EDGES: all_edges(engine)})
            edges = engine.table(EDGES)
            components = connected_components(engine, edges, out="__sw_graph_cc")
            cc = engine.table("__sw_graph_cc")
            sizes = (
                cc.filter(cc.node.startswith("e:")).group_by("component").agg(size=cc.node.count())
            )
            families = cc.join(sizes, cc.component == sizes.component).select(
                node=cc.node, family=cc.component, size=sizes.size
            )
            engine.replace_tables({FAMILIES: families})
            engine.drop_table("__sw_graph_cc")
            seeds = _seeds(store, engine, cards)
            engine.register("__sw_graph_seeds", seeds)
            propagate(engine, edges, engine.table("__sw_graph_seeds"), out=_LINES)
            engine.replace_tables({NETWORK: network_points(engine, _LINES)})
            _record_lines(engine)
            engine.drop_table(_LINES)
            fam = engine.table(FAMILIES)
            stats = engine.to_arrow(
                fam.aggregate(
                    nodes=fam.node.count(),
                    families=fam.family.nunique(),
                    largest=fam.size.max(),
                )
            ).to_pylist()[0]
            published = publish(store, read_model(engine), run_id=run.run_id)
            summary = GraphSummary(
                run_id=run.run_id,
                edges=engine.count(edges),
                nodes=int(stats["nodes"] or 0),
                families=int(stats["families"] or 0),
                largest_family=int(stats["largest"] or 0),
                rounds=components.rounds,
                seeds=seeds.num_rows,
                reached=engine.count(engine.table(NETWORK)),
                published_edges=published.get("graph_read_edge", 0),
                seconds=round(time.perf_counter() - started, 3),
            )
            run.stats = {f: getattr(summary, f) for f in summary.__slots__ if f != "run_id"}
    return summary


def _node(engine: Engine, ident: str) -> str:
    if ident.startswith(("e:", "p:", "phone:", "addr:", "email:", "icp:")):
        return ident
    return f"e:{_entity_map(engine).get(ident, ident)}"


def _subgraph_json(sub: Subgraph) -> dict[str, Any]:
    return {
        "center": sub.center,
        "family": sub.family,
        "truncated": sub.truncated,
        "nodes": [
            {"id": n, "hop": h, "label": sub.labels.get(n, n.split(":", 1)[-1])}
            for n, h in sorted(sub.nodes.items(), key=lambda kv: (kv[1], kv[0]))
        ],
        "edges": sub.edges,
    }


def show_family(settings: Settings, ident: str) -> dict[str, Any]:
    """The family of an enterprise: every linked enterprise, person and shared attribute."""
    with open_engine(settings) as engine:
        return _subgraph_json(family(engine, _node(engine, ident)))


def show_neighbours(settings: Settings, ident: str, *, hops: int = 2) -> dict[str, Any]:
    """Nodes within ``hops`` of an entity."""
    if not 1 <= hops <= 6:
        raise InvalidInput("--hops must lie between 1 and 6")
    with open_engine(settings) as engine:
        return _subgraph_json(neighbourhood(engine, _node(engine, ident), hops=hops))


def show_ubo(settings: Settings, ident: str, *, threshold: float = THRESHOLD) -> dict[str, Any]:
    """Ultimate beneficial owners of an enterprise with cumulative shares and paths."""
    if not 0 < threshold <= 1:
        raise InvalidInput("the threshold is a share between 0 and 1")
    with open_engine(settings) as engine:
        if not engine.has_table(EDGES):
            raise InvalidInput("no graph yet: run `smokewatch graph build` first")
        result: Penetration = penetrate(engine, _node(engine, ident), threshold=threshold)
    return {
        "target": result.target,
        "threshold": threshold,
        "owners": [
            {
                "node": o.node,
                "name": o.name,
                "kind": o.kind,
                "share": o.share,
                "beneficial": o.beneficial,
                "paths": [[{"node": n, "share": s} for n, s in path] for path in o.paths],
            }
            for o in result.owners
        ],
        "cycles": [list(c) for c in result.cycles],
        "unknown_share": result.unknown_share,
        "cycle_share": result.cycle_share,
        "truncated": result.truncated,
    }


def export_graph(settings: Settings, ident: str, fmt: str, *, hops: int | None = None) -> str:
    """A family (or, with ``hops``, a neighbourhood) as GEXF, GraphML or JSON text."""
    if fmt not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with open_engine(settings) as engine:
        node = _node(engine, ident)
        sub = neighbourhood(engine, node, hops=hops) if hops else family(engine, node)
    return WRITERS[fmt](sorted(sub.nodes), sub.edges, sub.labels)


__all__ = [
    "CONTRIBUTIONS",
    "NETWORK_DIMENSION",
    "GraphSummary",
    "build_graph",
    "export_graph",
    "seed_grade",
    "show_family",
    "show_neighbours",
    "show_ubo",
]
