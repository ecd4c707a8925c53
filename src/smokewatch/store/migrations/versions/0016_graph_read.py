"""The company graph's read model: families, nodes, records and edges published by a build.

Revision ID: 0016_graph_read
Revises: 0015_score_cover
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_graph_read"
down_revision: str | None = "0015_score_cover"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NODE = 512


def upgrade() -> None:
    op.create_table(
        "graph_read_family",
        sa.Column("family", sa.String(_NODE), nullable=False),
        sa.Column("enterprises", sa.Integer(), nullable=False),
        sa.Column("nodes", sa.Integer(), nullable=False),
        sa.Column("edges", sa.Integer(), nullable=False),
        sa.Column("edges_published", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(128), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("family", name=op.f("pk_graph_read_family")),
    )
    op.create_table(
        "graph_read_node",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("node", sa.String(_NODE), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("family", sa.String(_NODE), nullable=False),
        sa.Column("record_id", sa.String(128), nullable=True),
        sa.Column("adcode", sa.String(12), nullable=True),
        sa.Column("sector", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graph_read_node")),
    )
    op.create_index(op.f("ix_graph_read_node_family"), "graph_read_node", ["family"])
    op.create_index(op.f("ix_graph_read_node_node"), "graph_read_node", ["node"], unique=True)
    op.create_table(
        "graph_read_record",
        sa.Column("record_id", sa.String(128), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_graph_read_record")),
    )
    op.create_table(
        "graph_read_edge",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("family", sa.String(_NODE), nullable=False),
        sa.Column("src", sa.Integer(), nullable=False),
        sa.Column("dst", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graph_read_edge")),
    )
    for column in ("src", "dst", "family"):
        op.create_index(op.f(f"ix_graph_read_edge_{column}"), "graph_read_edge", [column])


def downgrade() -> None:
    for column in ("src", "dst", "family"):
        op.drop_index(op.f(f"ix_graph_read_edge_{column}"), table_name="graph_read_edge")
    op.drop_table("graph_read_edge")
    op.drop_table("graph_read_record")
    op.drop_index(op.f("ix_graph_read_node_node"), table_name="graph_read_node")
    op.drop_index(op.f("ix_graph_read_node_family"), table_name="graph_read_node")
    op.drop_table("graph_read_node")
    op.drop_table("graph_read_family")
