"""Alembic, driven from code: the migrations ship inside the package, no ``alembic.ini``.

:class:`~smokewatch.store.db.Store` calls these functions with a connection it has opened in a
transaction; ``migrations/env.py`` picks that connection up from the Alembic config.
"""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from smokewatch.errors import ConfigError
from smokewatch.store.orm import Base

SCRIPT_LOCATION = "smokewatch.store:migrations"
"""Where the migration scripts live, as ``package:folder`` (read with importlib.resources)."""

CONNECTION_KEY = "connection"
"""Key of :attr:`alembic.config.Config.attributes` under which ``env.py`` finds the connection."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the shipped migrations, bound to ``connection`` when given.

    Developers can pass it to :mod:`alembic.command` functions, e.g. ``command.revision(
    alembic_config(conn), "add alerts", autogenerate=True, rev_id="0002_alerts")``.
    """
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("path_separator", "os")
    config.attributes[CONNECTION_KEY] = connection
    return config


def head_revision() -> str:
    """The newest revision shipped with this version of smokewatch."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise ConfigError(f"no migrations found in {SCRIPT_LOCATION}")
    return head


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` on ``connection`` (inside its transaction)."""
    command.upgrade(alembic_config(connection), revision)


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or ``None`` when it was never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def schema_differences(connection: Connection) -> list[str]:
    """Differences between the ORM metadata and the database schema, one line each.

    Empty when the migrations and the ORM agree (what ``alembic revision --autogenerate``
    would find to write).
    """
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [repr(diff) for diff in compare_metadata(context, Base.metadata)]


__all__ = [
    "CONNECTION_KEY",
    "SCRIPT_LOCATION",
    "alembic_config",
    "current_revision",
    "head_revision",
    "schema_differences",
    "upgrade",
]
