"""The data version: a counter bumped by triggers on every table the API's hot reads show.

See :mod:`smokewatch.store.data_version`. The table list is frozen here (a later migration
that adds a watched table adds its triggers).

Revision ID: 0017_data_version
Revises: 0016_graph_read
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_data_version"
down_revision: str | None = "0016_graph_read"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (
    "run",
    "finding",
    "score",
    "alert",
    "alert_event",
    "watchlist_entry",
    "case_record",
    "agency",
    "app_user",
    "graph_read_node",
    "graph_read_record",
)
_SLOTS = 64
_FUNCTION = "smokewatch_bump_data_version"

_PG_FUNCTION = f"""
create function {_FUNCTION}() returns trigger language plpgsql as $$
declare
    chosen integer := nullif(current_setting('smokewatch.data_version_slot', true), '')::integer;
begin
    if chosen is null then
        -- the first slot no other transaction holds: writers never wait on each other here
        select slot into chosen from data_version order by slot limit 1 for update skip locked;
        if chosen is null then  -- every slot busy: wait for one
            chosen := pg_backend_pid() % {_SLOTS};
        end if;
        perform set_config('smokewatch.data_version_slot', chosen::text, true);
    end if;
    update data_version set version = version + 1 where slot = chosen;
    return null;
end
$$
"""


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column(
            "version",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            server_default="0",
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("slot", name=op.f("pk_data_version")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    slots = range(_SLOTS if postgres else 1)
    op.bulk_insert(
        sa.table("data_version", sa.column("slot"), sa.column("version")),
        [{"slot": s, "version": 0} for s in slots],
    )
    if postgres:
        op.execute(_PG_FUNCTION)
        for table in _TABLES:
            op.execute(
                f"create trigger {table}_data_version after insert or update or delete "
                f"on {table} for each statement execute function {_FUNCTION}()"
            )
            op.execute(
                f"create trigger {table}_data_version_truncate after truncate "
                f"on {table} for each statement execute function {_FUNCTION}()"
            )
        return
    for table in _TABLES:
        for event in ("insert", "update", "delete"):
            op.execute(
                f"create trigger {table}_data_version_{event} after {event} on {table} "
                "for each row begin "
                "update data_version set version = version + 1 where slot = 0; end"
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in _TABLES:
        if postgres:
            op.execute(f"drop trigger if exists {table}_data_version on {table}")
            op.execute(f"drop trigger if exists {table}_data_version_truncate on {table}")
        else:
            for event in ("insert", "update", "delete"):
                op.execute(f"drop trigger if exists {table}_data_version_{event}")
    if postgres:
        op.execute(f"drop function if exists {_FUNCTION}()")
    op.drop_table("data_version")
