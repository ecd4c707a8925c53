"""A published company graph for service, API and web tests: the planted graph of tests/graph.

:func:`planted_model` builds the graph of ``tests/graph/conftest.py`` (a family of four shells
e1–e4 linked by a person, a phone and an address; a layered holding 钱七 → h1 → h2 → e1 with a
cross-holding h2 ↔ h3; a stranger e5) on an in-memory DuckDB engine, as ``graph build`` does,
and returns its read model. ``rename`` gives enterprise records the ids a test world uses.
"""

from __future__ import annotations

from typing import Any

from smokewatch.engine import connect
from smokewatch.graph.components import connected_components
from smokewatch.graph.edges import all_edges
from smokewatch.graph.read_model import ReadModel, read_model
from smokewatch.services.graph_read import publish
from smokewatch.settings import EngineSettings
from smokewatch.store.db import Store
from tests.graph.conftest import ENTERPRISES, SHAREHOLDINGS, _rows


def _renamed(row: dict[str, Any], rename: dict[str, str], *keys: str) -> dict[str, Any]:
    return {**row, **{k: rename.get(row[k], row[k]) for k in keys}}


def planted_model(rename: dict[str, str] | None = None, **options: Any) -> ReadModel:
    """The read model of the planted graph (``options`` go to :func:`read_model`)."""
    names = rename or {}
    engine = connect("duckdb://:memory:", EngineSettings())
    try:
        engine.replace_tables(
            {
                "enterprise": _rows("enterprise", [_renamed(e, names, "id") for e in ENTERPRISES]),
                "shareholding": _rows(
                    "shareholding",
                    [_renamed(s, names, "enterprise_id", "holder_id") for s in SHAREHOLDINGS],
                ),
            }
        )
        engine.replace_tables({"graph_edge": all_edges(engine)})
        connected_components(engine, engine.table("graph_edge"), out="cc")
        cc = engine.table("cc")
        firms = cc.filter(cc.node.startswith("e:"))
        sizes = firms.group_by("component").agg(size=firms.count())
        families = cc.left_join(sizes, cc.component == sizes.component).select(
            node=cc.node, family=cc.component, size=sizes.size.fill_null(0)
        )
        engine.replace_tables({"graph_family": families})
        return read_model(engine, **options)
    finally:
        engine.close()


def publish_planted(store: Store, rename: dict[str, str] | None = None) -> dict[str, int]:
    """Publish the planted graph into ``store`` (as ``graph build`` would)."""
    return publish(store, planted_model(rename), run_id="graph-test")
