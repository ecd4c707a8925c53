"""The untrustworthy-borrower list (恶意逃废债名单).

Revision ID: 0007_blacklist
Revises: 0003_cases
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_blacklist"
down_revision: str | None = "0006_alert_ack"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "blacklist_entry",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("subject_type", sa.String(16), nullable=False),
        sa.Column("subject_key", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("id_kind", sa.String(16), nullable=False),
        sa.Column("id_display", sa.String(32), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("reporter", sa.Text(), nullable=False),
        sa.Column("reporter_uscc", sa.String(18), nullable=True),
        sa.Column("amount_evaded", sa.Numeric(20, 2), nullable=False),
        sa.Column("evaded_on", sa.Date(), nullable=True),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence_ref", sa.Text(), nullable=True),
        sa.Column("adcode", sa.String(12), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
        sa.Column("updated_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blacklist_entry")),
    )
    op.create_index(op.f("ix_blacklist_entry_subject_key"), "blacklist_entry", ["subject_key"])
    op.create_index(
        op.f("ix_blacklist_entry_status_adcode"), "blacklist_entry", ["status", "adcode"]
    )


def downgrade() -> None:
    op.drop_table("blacklist_entry")
