"""The portal's rate limits and used challenges in the store, shared by its processes.

Revision ID: 0014_tip_limits
Revises: 0013_patrol_events
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_tip_limits"
down_revision: str | None = "0013_patrol_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tip_limit_hit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("bucket", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_limit_hit")),
    )
    with op.batch_alter_table("tip_limit_hit") as batch:
        batch.create_index(batch.f("ix_tip_limit_hit_bucket_key_at"), ["bucket", "key", "at"])
        batch.create_index(batch.f("ix_tip_limit_hit_bucket_at"), ["bucket", "at"])


def downgrade() -> None:
    with op.batch_alter_table("tip_limit_hit") as batch:
        batch.drop_index(batch.f("ix_tip_limit_hit_bucket_at"))
        batch.drop_index(batch.f("ix_tip_limit_hit_bucket_key_at"))
    op.drop_table("tip_limit_hit")
