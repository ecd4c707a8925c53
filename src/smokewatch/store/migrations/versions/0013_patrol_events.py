"""Patrol change events on the entity timeline (``patrol_event``).

Revision ID: 0013_patrol_events
Revises: 0012_alert_assign
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_patrol_events"
down_revision: str | None = "0012_alert_assign"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patrol_event",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("patrol_id", sa.String(length=64), nullable=False),
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject_id", sa.String(length=128), nullable=True),
        sa.Column("subject_table", sa.String(length=64), nullable=True),
        sa.Column("subject_name", sa.Text(), nullable=True),
        sa.Column("summary_zh", sa.Text(), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_patrol_event_run_id_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_event")),
    )
    with op.batch_alter_table("patrol_event") as batch:
        batch.create_index(batch.f("ix_patrol_event_subject_id_at"), ["subject_id", "at"])
        batch.create_index(batch.f("ix_patrol_event_run_id"), ["run_id"])


def downgrade() -> None:
    with op.batch_alter_table("patrol_event") as batch:
        batch.drop_index(batch.f("ix_patrol_event_run_id"))
        batch.drop_index(batch.f("ix_patrol_event_subject_id_at"))
    op.drop_table("patrol_event")
