"""Alembic environment: runs on the connection :class:`smokewatch.store.Store` hands over.

There is no ``alembic.ini`` and no URL here: ``Store.upgrade()`` opens a transaction, puts the
connection into ``config.attributes`` and calls Alembic, so the whole upgrade is one
transaction on the store's own engine.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from smokewatch.errors import ConfigError
from smokewatch.store.migrate import CONNECTION_KEY
from smokewatch.store.orm import Base


def _run() -> None:
    connection = context.config.attributes.get(CONNECTION_KEY)
    if not isinstance(connection, Connection):
        raise ConfigError(
            "smokewatch migrations run on a connection: use Store.upgrade() or "
            "smokewatch.store.migrate.alembic_config(connection)"
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


# Alembic sets up `context` before it executes this file; a plain import (doctest collection,
# tooling) finds no migration context and does nothing.
if hasattr(context, "config"):
    _run()
