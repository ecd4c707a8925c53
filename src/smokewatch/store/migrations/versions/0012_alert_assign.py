"""Alerts can be assigned to a person: who and since when, an ``assigned`` history event.

Revision ID: 0012_alert_assign
Revises: 0011_api_indexes
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_alert_assign"
down_revision: str | None = "0011_api_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_KINDS = "'raised', 'rose', 'fell', 'snoozed', 'woke', 'closed', 'reopened', 'acknowledged'"
_NEW_KINDS = _OLD_KINDS + ", 'assigned'"


def _kinds(kinds: str) -> None:
    # SQLite cannot alter a CHECK constraint: batch mode copies the table.
    with op.batch_alter_table("alert_event", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_alert_event_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_alert_event_kind"), f"kind IN ({kinds})")


def upgrade() -> None:
    with op.batch_alter_table("alert") as batch:
        batch.add_column(sa.Column("assignee", sa.String(128), nullable=True))
        batch.add_column(sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_alert_assignee"), ["assignee"])
    _kinds(_NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM alert_event WHERE kind = 'assigned'")
    _kinds(_OLD_KINDS)
    with op.batch_alter_table("alert") as batch:
        batch.drop_index(batch.f("ix_alert_assignee"))
        batch.drop_column("assigned_at")
        batch.drop_column("assignee")
