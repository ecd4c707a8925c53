"""Scores with dimensions and routing, the scorecard registry, alerts with history, watch lists.

The ``score`` table of 0001 was a placeholder no release ever wrote to; it is rebuilt with the
columns the smoke index needs.

Revision ID: 0002_scores_alerts
Revises: 0001_initial
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_scores_alerts"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _serial() -> sa.Column[int]:
    return sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        autoincrement=True,
        nullable=False,
    )


def upgrade() -> None:
    op.drop_index(op.f("ix_score_subject_id"), table_name="score")
    op.drop_index(op.f("ix_score_run_id"), table_name="score")
    op.drop_table("score")
    op.create_table(
        "score",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=False),
        sa.Column("subject_table", sa.String(64), nullable=False),
        sa.Column("subject_name", sa.Text(), nullable=True),
        sa.Column("scorecard_id", sa.String(64), nullable=False),
        sa.Column("scorecard_version", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(32), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("contributions", sa.JSON(), nullable=False),
        sa.Column("shadow", sa.Boolean(), nullable=False),
        sa.Column("adcode", sa.String(12), nullable=True),
        sa.Column("sector", sa.String(64), nullable=True),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_score_run_id_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score")),
    )
    op.create_index(
        op.f("ix_score_subject_id_scorecard_id"), "score", ["subject_id", "scorecard_id"]
    )
    op.create_index(
        op.f("ix_score_scorecard_id_as_of_grade"), "score", ["scorecard_id", "as_of", "grade"]
    )
    op.create_index(op.f("ix_score_run_id"), "score", ["run_id"])

    op.create_table(
        "scorecard_version",
        sa.Column("scorecard_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_published_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("scorecard_id", "version", name=op.f("pk_scorecard_version")),
    )

    op.create_table(
        "alert",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=False),
        sa.Column("subject_table", sa.String(64), nullable=False),
        sa.Column("subject_name", sa.Text(), nullable=True),
        sa.Column("scorecard_id", sa.String(64), nullable=False),
        sa.Column("scorecard_version", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(32), nullable=False),
        sa.Column("last_grade", sa.String(32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("raised_at", _timestamp(), nullable=False),
        sa.Column("raised_run_id", sa.String(64), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.Column("last_run_id", sa.String(64), nullable=False),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("snooze_reason", sa.Text(), nullable=True),
        sa.Column("adcode", sa.String(12), nullable=True),
        sa.Column("sector", sa.String(64), nullable=True),
        sa.Column("reason_zh", sa.Text(), nullable=False),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'snoozed', 'closed')", name=op.f("ck_alert_status")),
        sa.ForeignKeyConstraint(
            ["raised_run_id"], ["run.id"], name=op.f("fk_alert_raised_run_id_run")
        ),
        sa.ForeignKeyConstraint(["last_run_id"], ["run.id"], name=op.f("fk_alert_last_run_id_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint(
            "subject_table",
            "subject_id",
            "scorecard_id",
            name=op.f("uq_alert_subject_table_subject_id_scorecard_id"),
        ),
    )
    op.create_index(op.f("ix_alert_status_grade"), "alert", ["status", "grade"])
    op.create_index(op.f("ix_alert_adcode"), "alert", ["adcode"])

    op.create_table(
        "alert_event",
        _serial(),
        sa.Column("alert_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", _timestamp(), nullable=False),
        sa.Column("grade", sa.String(32), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("actor", sa.String(128), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('raised', 'rose', 'fell', 'snoozed', 'woke', 'closed', 'reopened')",
            name=op.f("ck_alert_event_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
            name=op.f("fk_alert_event_alert_id_alert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_alert_event_run_id_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_event")),
    )
    op.create_index(op.f("ix_alert_event_alert_id_at"), "alert_event", ["alert_id", "at"])

    op.create_table(
        "watchlist_entry",
        _serial(),
        sa.Column("list_id", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=False),
        sa.Column("subject_table", sa.String(64), nullable=False),
        sa.Column("subject_name", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(128), nullable=False),
        sa.Column("added_at", _timestamp(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("removed_at", _timestamp(), nullable=True),
        sa.Column("removed_by", sa.String(128), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_entry")),
    )
    op.create_index(
        op.f("ix_watchlist_entry_list_id_subject_id"), "watchlist_entry", ["list_id", "subject_id"]
    )


def downgrade() -> None:
    op.drop_table("watchlist_entry")
    op.drop_table("alert_event")
    op.drop_table("alert")
    op.drop_table("scorecard_version")
    op.drop_index(op.f("ix_score_run_id"), table_name="score")
    op.drop_index(op.f("ix_score_scorecard_id_as_of_grade"), table_name="score")
    op.drop_index(op.f("ix_score_subject_id_scorecard_id"), table_name="score")
    op.drop_table("score")
    op.create_table(
        "score",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=False),
        sa.Column("scorecard_id", sa.String(64), nullable=False),
        sa.Column("scorecard_version", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(32), nullable=False),
        sa.Column("contributions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_score_run_id_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score")),
    )
    op.create_index(op.f("ix_score_subject_id"), "score", ["subject_id"])
    op.create_index(op.f("ix_score_run_id"), "score", ["run_id"])
