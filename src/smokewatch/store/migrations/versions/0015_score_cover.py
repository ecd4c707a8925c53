"""The dashboard's score reads are answered from indexes; cases record the amount involved.

``ix_score_cover`` (scorecard, shadow, date, grade, division, sector) answers the latest
evaluation date, grade counts, the grade trend and the map's counts without reading the
rows (their contributions are long). ``ix_score_rank`` (scorecard, shadow, date, index, subject,
then the columns the filters and the name search read), read backwards, gives the watch list
and the top entities highest first (ties: subject id descending), so a page reads only the rows it shows. It
replaces ``ix_score_scorecard_id_as_of_grade``. ``case_record.amount_involved`` is the amount
involved (涉案金额) in yuan, recorded on the case page. ``sector_month`` holds the sector
statistics (the "three drops") published for the dashboard.

Revision ID: 0015_score_cover
Revises: 0014_tip_limits
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_score_cover"
down_revision: str | None = "0014_tip_limits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COVER = ["scorecard_id", "shadow", "as_of", "grade", "adcode", "sector"]
_RANK = [
    "scorecard_id",
    "shadow",
    "as_of",
    "score",
    "subject_id",
    "grade",
    "adcode",
    "sector",
    "subject_name",
]


def upgrade() -> None:
    op.drop_index(op.f("ix_score_scorecard_id_as_of_grade"), table_name="score")
    op.create_index("ix_score_cover", "score", _COVER)
    op.create_index("ix_score_rank", "score", _RANK)
    with op.batch_alter_table("case_record") as batch:
        batch.add_column(sa.Column("amount_involved", sa.Numeric(18, 2), nullable=True))
    op.create_table(
        "sector_month",
        sa.Column("sector", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("institutions", sa.Integer(), nullable=False),
        sa.Column("balance", sa.Float(), nullable=False),
        sa.Column("lenders", sa.Integer(), nullable=False),
        sa.Column("borrowers", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], name=op.f("fk_sector_month_run_id_run")),
        sa.PrimaryKeyConstraint("sector", "month", name=op.f("pk_sector_month")),
    )


def downgrade() -> None:
    op.drop_table("sector_month")
    with op.batch_alter_table("case_record") as batch:
        batch.drop_column("amount_involved")
    op.drop_index("ix_score_rank", table_name="score")
    op.drop_index("ix_score_cover", table_name="score")
    op.create_index(
        op.f("ix_score_scorecard_id_as_of_grade"), "score", ["scorecard_id", "as_of", "grade"]
    )
