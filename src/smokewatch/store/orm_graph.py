"""Store tables of the company graph's read model: what the web and the API read.

The company graph lives in the workspace's analytic engine (a DuckDB file the batch runs
write); the edges (web, API) must never hold its lock. Each ``graph build`` therefore publishes
a read model into the store, in one transaction that replaces the previous one:

* ``graph_read_family`` — one row per family (connected component): how many enterprises
  and nodes it has, how many edges it has and how many of them were published;
* ``graph_read_node`` — every node of the graph with a small integer id (what the browser
  sends back to expand a node: never a person's id), its kind, label, family, and, for
  enterprises, one record id and the division code and sector it is routed by;
* ``graph_read_record`` — every enterprise record → its node (several records are one node
  when resolution merged them);
* ``graph_read_edge`` — the edges, at most :data:`smokewatch.graph.read_model.FAMILY_EDGES`
  per family (ownership first, then officers, transfers and shared contacts).

Same conventions as :mod:`smokewatch.store.orm`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smokewatch.store.orm import Base, UTCDateTime

NODE_ID = 512
"""Longest node id kept (``addr:<address>`` can be long)."""


class GraphReadFamily(Base):
    """A family (connected component) as published by a graph build."""

    __tablename__ = "graph_read_family"

    family: Mapped[str] = mapped_column(sa.String(NODE_ID), primary_key=True)
    """The family's id: the smallest node id in it."""
    enterprises: Mapped[int] = mapped_column(sa.Integer())
    nodes: Mapped[int] = mapped_column(sa.Integer())
    edges: Mapped[int] = mapped_column(sa.Integer())
    """Edges among the family's nodes in the engine."""
    edges_published: Mapped[int] = mapped_column(sa.Integer())
    """Edges of it in ``graph_read_edge`` (fewer when the family exceeded the cap)."""
    run_id: Mapped[str] = mapped_column(sa.String(128))
    """The graph run that published it."""
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GraphReadNode(Base):
    """A node of the company graph."""

    __tablename__ = "graph_read_node"
    __table_args__ = (sa.Index(None, "family"), sa.Index(None, "node", unique=True))

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=False)
    node: Mapped[str] = mapped_column(sa.String(NODE_ID))
    """``e:<entity>``, ``p:<person>``, ``phone:<key>``, ``addr:<key>``."""
    kind: Mapped[str] = mapped_column(sa.String(16))
    """``enterprise``, ``person``, ``phone`` or ``address``."""
    label: Mapped[str | None] = mapped_column(sa.Text())
    family: Mapped[str] = mapped_column(sa.String(NODE_ID))
    record_id: Mapped[str | None] = mapped_column(sa.String(128))
    """An enterprise node's record (the smallest, when several were merged)."""
    adcode: Mapped[str | None] = mapped_column(sa.String(12))
    sector: Mapped[str | None] = mapped_column(sa.String(64))


class GraphReadRecord(Base):
    """An enterprise record and the node it is in the graph."""

    __tablename__ = "graph_read_record"

    record_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    node_id: Mapped[int] = mapped_column(sa.Integer())


class GraphReadEdge(Base):
    """An edge of the company graph (both ends are :class:`GraphReadNode` ids)."""

    __tablename__ = "graph_read_edge"
    __table_args__ = (sa.Index(None, "src"), sa.Index(None, "dst"), sa.Index(None, "family"))

    id: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=False)
    family: Mapped[str] = mapped_column(sa.String(NODE_ID))
    src: Mapped[int] = mapped_column(sa.Integer())
    dst: Mapped[int] = mapped_column(sa.Integer())
    kind: Mapped[str] = mapped_column(sa.String(32))
    weight: Mapped[float | None] = mapped_column(sa.Float())
    """The share for ``owns``, yuan for ``transfers``, else 1."""
    label: Mapped[str | None] = mapped_column(sa.Text())


READ_MODEL = (GraphReadEdge, GraphReadRecord, GraphReadNode, GraphReadFamily)
"""The read model's tables, in the order they are emptied."""

__all__ = [
    "NODE_ID",
    "READ_MODEL",
    "GraphReadEdge",
    "GraphReadFamily",
    "GraphReadNode",
    "GraphReadRecord",
]
