"""Initial schema: runs, ingest rejects, findings, the rule registry and scores.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp() -> sa.DateTime:
    # smokewatch.store.orm.UTCDateTime stores UTC through this type on every backend.
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "run",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", _timestamp(), nullable=False),
        sa.Column("finished_at", _timestamp(), nullable=True),
        sa.Column("engine", sa.String(64), nullable=True),
        sa.Column("source_id", sa.String(64), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(128), nullable=True),
        sa.CheckConstraint(
            "kind IN ('ingest', 'detect', 'score', 'demo')", name=op.f("ck_run_kind")
        ),
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'failed', 'unchanged')",
            name=op.f("ck_run_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run")),
    )
    op.create_index(op.f("ix_run_kind_started_at"), "run", ["kind", "started_at"])

    op.create_table(
        "ingest_reject",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("column", sa.String(128), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["run.id"],
            name=op.f("fk_ingest_reject_run_id_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_reject")),
    )
    op.create_index(
        op.f("ix_ingest_reject_run_id_row_number"), "ingest_reject", ["run_id", "row_number"]
    )

    op.create_table(
        "finding",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=False),
        sa.Column("subject_table", sa.String(64), nullable=False),
        sa.Column("subject_name", sa.Text(), nullable=True),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("band", sa.String(64), nullable=False),
        sa.Column("reason_zh", sa.Text(), nullable=False),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("shadow", sa.Boolean(), nullable=False),
        sa.Column("engine", sa.String(64), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_finding_run_id_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
    )
    op.create_index(op.f("ix_finding_rule_id_rule_version"), "finding", ["rule_id", "rule_version"])
    op.create_index(op.f("ix_finding_subject_id"), "finding", ["subject_id"])
    op.create_index(op.f("ix_finding_run_id"), "finding", ["run_id"])

    op.create_table(
        "rule_version",
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_published_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", "version", name=op.f("pk_rule_version")),
    )

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


def downgrade() -> None:
    op.drop_table("score")
    op.drop_table("rule_version")
    op.drop_table("finding")
    op.drop_table("ingest_reject")
    op.drop_table("run")
