"""The multi-agency workflow: agencies, users, API tokens, cases, their events and evidence,
evidence files, and the hash-chained audit log.

Revision ID: 0003_cases
Revises: 0002_scores_alerts
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_cases"
down_revision: str | None = "0002_scores_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _serial() -> sa.Column[int]:
    return sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        autoincrement=True,
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("adcode", sa.String(12), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("agency_id", sa.String(64), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", _ts(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("last_login_at", _ts(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_app_user_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("expires_at", _ts(), nullable=True),
        sa.Column("revoked_at", _ts(), nullable=True),
        sa.Column("last_used_at", _ts(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_api_token_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"])
    op.create_table(
        "case_record",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=True),
        sa.Column("subject_table", sa.String(64), nullable=True),
        sa.Column("subject_name", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("jurisdiction", sa.String(12), nullable=False),
        sa.Column("opened_in", sa.String(12), nullable=False),
        sa.Column("lead_adcode", sa.String(12), nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("sector", sa.String(64), nullable=True),
        sa.Column("assignee", sa.String(64), nullable=True),
        sa.Column("referred_to", sa.String(64), nullable=True),
        sa.Column("referral_receipt", sa.Text(), nullable=True),
        sa.Column("referral_acknowledged_at", _ts(), nullable=True),
        sa.Column("determination", sa.String(64), nullable=True),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("resolution", sa.String(64), nullable=True),
        sa.Column("merged_into", sa.String(64), nullable=True),
        sa.Column("reported_by", sa.String(64), nullable=True),
        sa.Column("opened_by", sa.String(128), nullable=False),
        sa.Column("opened_at", _ts(), nullable=False),
        sa.Column("status_since", _ts(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("updated_at", _ts(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_record")),
    )
    op.create_index(
        op.f("ix_case_record_jurisdiction_status"), "case_record", ["jurisdiction", "status"]
    )
    op.create_index(op.f("ix_case_record_subject_id"), "case_record", ["subject_id"])
    op.create_index(op.f("ix_case_record_referred_to"), "case_record", ["referred_to"])
    op.create_table(
        "case_event",
        _serial(),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", _ts(), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_case_event_case_id_case_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
        sa.UniqueConstraint("case_id", "seq", name=op.f("uq_case_event_case_id_seq")),
    )
    op.create_table(
        "case_link",
        _serial(),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref_id", sa.String(128), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("added_by", sa.String(128), nullable=False),
        sa.Column("added_at", _ts(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_case_link_case_id_case_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_link")),
        sa.UniqueConstraint(
            "case_id", "kind", "ref_id", name=op.f("uq_case_link_case_id_kind_ref_id")
        ),
    )
    op.create_table(
        "evidence_file",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(128), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("stored_by", sa.String(128), nullable=False),
        sa.Column("stored_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_evidence_file")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", _ts(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object_type", sa.String(32), nullable=False),
        sa.Column("object_id", sa.String(128), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entry_hash")),
    )
    op.create_index(
        op.f("ix_audit_entry_object_type_object_id"), "audit_entry", ["object_type", "object_id"]
    )


def downgrade() -> None:
    op.drop_table("audit_entry")
    op.drop_table("evidence_file")
    op.drop_table("case_link")
    op.drop_table("case_event")
    op.drop_table("case_record")
    op.drop_table("api_token")
    op.drop_table("app_user")
    op.drop_table("agency")
