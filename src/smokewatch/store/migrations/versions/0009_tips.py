"""The public tip portal: tips, attachments, events, reward schemes and decisions, warnings.

Revision ID: 0009_tips
Revises: 0008_patrol
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_tips"
down_revision: str | None = "0008_patrol"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "public_warning",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("about", sa.Text(), nullable=True),
        sa.Column("typology", sa.String(length=64), nullable=True),
        sa.Column("issuing_agency", sa.Text(), nullable=False),
        sa.Column("adcode", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("approved_by", sa.String(length=128), nullable=True),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("updated_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_warning")),
    )
    with op.batch_alter_table("public_warning", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_public_warning_status_published_on"),
            ["status", "published_on"],
            unique=False,
        )

    op.create_table(
        "reward_scheme",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("province", sa.String(length=12), nullable=False),
        sa.Column("rate", sa.Numeric(precision=8, scale=6), nullable=False),
        sa.Column("floor", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("cap", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_scheme")),
    )
    op.create_table(
        "tip",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tracking_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("target_name", sa.Text(), nullable=False),
        sa.Column("target_url", sa.Text(), nullable=True),
        sa.Column("target_wechat", sa.String(length=64), nullable=True),
        sa.Column("target_phone", sa.String(length=32), nullable=True),
        sa.Column("target_address", sa.Text(), nullable=True),
        sa.Column("target_key", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("happened_on", sa.Date(), nullable=True),
        sa.Column("learnt_via", sa.String(length=16), nullable=False),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("adcode", sa.String(length=12), nullable=True),
        sa.Column("agency_id", sa.String(length=64), nullable=True),
        sa.Column("routed_by", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=True),
        sa.Column("entity_name", sa.Text(), nullable=True),
        sa.Column("duplicate_of", sa.String(length=32), nullable=True),
        sa.Column("spam_reasons", sa.JSON(), nullable=False),
        sa.Column("risk_score", sa.Float(), nullable=False),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", _ts(), nullable=False),
        sa.Column("updated_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip")),
        sa.UniqueConstraint("tracking_hash", name=op.f("uq_tip_tracking_hash")),
    )
    with op.batch_alter_table("tip", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tip_agency_id_status"), ["agency_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tip_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tip_status_adcode"), ["status", "adcode"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tip_target_key"), ["target_key"], unique=False)

    op.create_table(
        "reward_decision",
        sa.Column("tip_id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("scheme_id", sa.String(length=64), nullable=False),
        sa.Column("illegal_amount", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("computed", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("awarded", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("approver", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", _ts(), nullable=False),
        sa.Column("payment_status", sa.String(length=16), nullable=False),
        sa.Column("payment_ref", sa.Text(), nullable=True),
        sa.Column("payment_at", _ts(), nullable=True),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["reward_scheme.id"],
            name=op.f("fk_reward_decision_scheme_id_reward_scheme"),
        ),
        sa.ForeignKeyConstraint(["tip_id"], ["tip.id"], name=op.f("fk_reward_decision_tip_id_tip")),
        sa.PrimaryKeyConstraint("tip_id", name=op.f("pk_reward_decision")),
    )
    op.create_table(
        "tip_attachment",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("tip_id", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("added_at", _ts(), nullable=False),
        sa.ForeignKeyConstraint(["tip_id"], ["tip.id"], name=op.f("fk_tip_attachment_tip_id_tip")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_attachment")),
        sa.UniqueConstraint("tip_id", "sha256", name=op.f("uq_tip_attachment_tip_id_sha256")),
    )
    op.create_table(
        "tip_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("tip_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("at", _ts(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["tip_id"], ["tip.id"], name=op.f("fk_tip_event_tip_id_tip")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_event")),
        sa.UniqueConstraint("tip_id", "seq", name=op.f("uq_tip_event_tip_id_seq")),
    )


def downgrade() -> None:
    op.drop_table("tip_event")
    op.drop_table("tip_attachment")
    op.drop_table("reward_decision")
    with op.batch_alter_table("tip", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tip_target_key"))
        batch_op.drop_index(batch_op.f("ix_tip_status_adcode"))
        batch_op.drop_index(batch_op.f("ix_tip_entity_id"))
        batch_op.drop_index(batch_op.f("ix_tip_agency_id_status"))

    op.drop_table("tip")
    op.drop_table("reward_scheme")
    with op.batch_alter_table("public_warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_warning_status_published_on"))

    op.drop_table("public_warning")
