"""Findings are routed like scores (division code and sector), and the API's reads are indexed.

Revision ID: 0011_api_indexes
Revises: 0009_tips
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_api_indexes"
down_revision: str | None = "0009_tips"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("finding") as batch:
        batch.add_column(sa.Column("adcode", sa.String(12), nullable=True))
        batch.add_column(sa.Column("sector", sa.String(64), nullable=True))
    op.create_index(op.f("ix_finding_adcode"), "finding", ["adcode"])


def downgrade() -> None:
    op.drop_index(op.f("ix_finding_adcode"), table_name="finding")
    with op.batch_alter_table("finding") as batch:
        batch.drop_column("sector")
        batch.drop_column("adcode")
