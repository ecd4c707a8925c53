"""Online patrol: ``patrol`` runs (a crawl with its evidence and the pages' document load).

Revision ID: 0008_patrol
Revises: 0007_blacklist
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008_patrol"
down_revision: str | None = "0007_blacklist"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS_BEFORE = "kind IN ('ingest', 'detect', 'score', 'demo', 'resolve', 'graph')"
_KINDS_AFTER = "kind IN ('ingest', 'detect', 'score', 'demo', 'resolve', 'graph', 'patrol')"


def upgrade() -> None:
    with op.batch_alter_table("run") as batch:
        batch.drop_constraint(op.f("ck_run_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_run_kind"), _KINDS_AFTER)


def downgrade() -> None:
    # Patrol runs cannot be expressed before this revision: they become ingest runs (their
    # source ``patrol_<id>`` still names the patrol), as the first patrol increment recorded them.
    op.execute("UPDATE run SET kind = 'ingest' WHERE kind = 'patrol'")
    with op.batch_alter_table("run") as batch:
        batch.drop_constraint(op.f("ck_run_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_run_kind"), _KINDS_BEFORE)
