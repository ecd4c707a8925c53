"""Entity resolution and the graph: judgements on record pairs; ``resolve``/``graph`` runs.

Revision ID: 0005_resolve
Revises: 0003_cases
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_resolve"
down_revision: str | None = "0003_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS_BEFORE = "kind IN ('ingest', 'detect', 'score', 'demo')"
_KINDS_AFTER = "kind IN ('ingest', 'detect', 'score', 'demo', 'resolve', 'graph')"


def upgrade() -> None:
    op.create_table(
        "resolve_judgement",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("left_id", sa.String(128), nullable=False),
        sa.Column("right_id", sa.String(128), nullable=False),
        sa.Column("same", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("judged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolve_judgement")),
    )
    op.create_index(
        op.f("ix_resolve_judgement_left_id_right_id"),
        "resolve_judgement",
        ["left_id", "right_id"],
    )
    with op.batch_alter_table("run") as batch:
        batch.drop_constraint(op.f("ck_run_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_run_kind"), _KINDS_AFTER)


def downgrade() -> None:
    with op.batch_alter_table("run") as batch:
        batch.drop_constraint(op.f("ck_run_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_run_kind"), _KINDS_BEFORE)
    op.drop_index(op.f("ix_resolve_judgement_left_id_right_id"), table_name="resolve_judgement")
    op.drop_table("resolve_judgement")
