"""Alerts can be acknowledged: who and when on the alert, an ``acknowledged`` history event.

Revision ID: 0006_alert_ack
Revises: 0003_cases
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_alert_ack"
down_revision: str | None = "0005_resolve"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_KINDS = "'raised', 'rose', 'fell', 'snoozed', 'woke', 'closed', 'reopened'"
_NEW_KINDS = _OLD_KINDS + ", 'acknowledged'"


def _kinds(kinds: str) -> None:
    # SQLite cannot alter a CHECK constraint: batch mode copies the table.
    with op.batch_alter_table("alert_event", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_alert_event_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_alert_event_kind"), f"kind IN ({kinds})")


def upgrade() -> None:
    with op.batch_alter_table("alert") as batch:
        batch.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("acknowledged_by", sa.String(128), nullable=True))
    _kinds(_NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM alert_event WHERE kind = 'acknowledged'")
    _kinds(_OLD_KINDS)
    with op.batch_alter_table("alert") as batch:
        batch.drop_column("acknowledged_by")
        batch.drop_column("acknowledged_at")
