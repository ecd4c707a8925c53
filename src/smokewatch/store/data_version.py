"""The store's data version: a number that grows with every commit changing what hot reads show.

Migration ``0017_data_version`` creates the ``data_version`` table and database triggers on
every table in :data:`WATCHED_TABLES` (insert, update, delete; ``TRUNCATE`` too on
PostgreSQL), so *every* write path bumps it — API services, CLI runs in other processes, bulk
ingest through Core or raw SQL, another server — on SQLite and PostgreSQL alike, in the same
transaction as the change. A reader that reads the version *before* computing an answer may
keep the answer for as long as the version has not moved (the API's answer cache does).

SQLite has one writer and only row triggers: one row (``slot`` 0) gets ``version + 1`` per
changed row. PostgreSQL has concurrent writers and statement triggers: each writing
transaction bumps one of :data:`PG_SLOTS` rows, taking the first row no other transaction
holds (``FOR UPDATE SKIP LOCKED``) and remembering it for the rest of the transaction, so
writers never wait for each other's commit on the counter. The version is the sum of the
slots: each slot only grows, so the sum moves on every commit that changed a watched table.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.pool import StaticPool

from smokewatch.store.orm import Base

WATCHED_TABLES: Final = (
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
"""Every table the entity profile and the alert list read (a test captures their statements),
plus the users and agencies that decide what a user sees."""

PG_SLOTS: Final = 64
"""Counter rows on PostgreSQL (concurrent writing transactions that never wait on each other)."""

_READ: Final = sa.text("select sum(version) from data_version")


class DataVersion(Base):
    """One counter row (SQLite: one row; PostgreSQL: :data:`PG_SLOTS` rows)."""

    __tablename__ = "data_version"

    slot: Mapped[int] = mapped_column(sa.Integer(), primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), server_default="0"
    )


def read_version(connection: Connection) -> int:
    """The data version as of now (one statement on a one-row or 64-row table)."""
    return int(connection.execute(_READ).scalar_one() or 0)


class VersionReader:
    """Reads the data version on a connection of its own, kept open (thread-safe).

    A hot path (the API's event loop) must not wait for the pool, which worker threads may
    hold entirely: the reader takes one connection out of the pool for good, in autocommit
    mode, so each read is one statement that sees every commit made before it. (A private
    in-memory SQLite store has one shared connection: the reader borrows it each time.)
    """

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._shared = isinstance(engine.pool, StaticPool)
        self._connection: Any = None
        self._lock = threading.Lock()

    def read(self) -> int:
        """The data version as of now."""
        if self._shared:
            with self._engine.connect() as connection:
                return read_version(connection)
        with self._lock:
            try:
                if self._connection is None:
                    self._connection = self._open()
                cursor = self._connection.cursor()
                try:
                    cursor.execute(_READ.text)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            except Exception:
                self._close()
                raise
        return int(row[0] or 0)

    def close(self) -> None:
        """Close the reader's connection (it is opened again on the next read)."""
        with self._lock:
            self._close()

    def _open(self) -> Any:
        proxy = self._engine.raw_connection()
        connection: Any = proxy.dbapi_connection
        proxy.detach()  # ours for good: the pool opens another for everyone else
        if self._engine.dialect.name == "postgresql":
            connection.rollback()
            connection.autocommit = True
        return connection

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()


__all__ = ["PG_SLOTS", "WATCHED_TABLES", "DataVersion", "VersionReader", "read_version"]
