"""The :class:`Store`: one SQLAlchemy engine, units of work, and the migrations.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout, and
has exactly one writer at a time: every unit of work takes the store's write lock and opens
its transaction with ``BEGIN IMMEDIATE``, so a second writer (a thread or another process)
waits for the first instead of failing half-way. Readers never wait for writers. PostgreSQL
(``postgresql+psycopg://...``) needs the ``postgres`` extra.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from smokewatch.errors import Conflict, InvalidInput, MissingExtra, SmokewatchError
from smokewatch.store import migrate

_WRITE: Final = "smokewatch_write"
"""Execution option marking a connection whose transaction will write (SQLite only)."""

_UPGRADE_LOCK_ID: Final = 0x5357_5354  # "SWST": PostgreSQL advisory lock for upgrades

_POSTGRES_DRIVERS: Final = frozenset({"postgres", "postgresql", "postgresql+psycopg"})
_SQLITE_DRIVERS: Final = frozenset({"sqlite", "sqlite+pysqlite"})


def _dumps(value: object) -> str:
    if isinstance(value, RawJson):  # already JSON text: stored as it is, not encoded again
        return value.text
    # Chinese text stays readable in the database (and in psql / sqlite3 sessions).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class RawJson:
    """A value for a JSON column that is already JSON text (e.g. produced by an engine).

    Writing it skips decoding and re-encoding; reading gives the parsed value as usual. The
    text must be valid JSON — it is not checked.
    """

    text: str


class Store:
    """The operational store behind one SQLAlchemy URL.

    Examples:
        >>> store = Store("sqlite://")
        >>> store.upgrade()
        '0001_initial'
        >>> with store.unit_of_work() as session:
        ...     _ = session.execute(sa.text("select 1")).scalar_one()
        >>> store.dialect
        'sqlite'
        >>> store.dispose()
    """

    def __init__(self, url: str, *, busy_timeout: float = 30.0, echo: bool = False) -> None:
        """Open (lazily) the store at ``url``.

        Args:
            url: ``sqlite:///path`` (the folder is created), ``sqlite://`` for a private
                in-memory database (one shared connection: for tests and single-threaded
                use), or ``postgresql+psycopg://user@host:port/db`` (``postgresql://`` means
                psycopg 3).
            busy_timeout: Seconds a writer waits for another writer before giving up
                with :class:`~smokewatch.errors.Conflict`.
            echo: Log every SQL statement (debugging).

        Raises:
            InvalidInput: The URL is malformed or names an unsupported database.
            MissingExtra: A PostgreSQL URL without psycopg installed.
        """
        if busy_timeout <= 0:
            raise InvalidInput(f"busy_timeout must be positive, got {busy_timeout}")
        parsed = _parse_url(url)
        self.url: str = parsed.render_as_string(hide_password=True)
        """The URL with any password hidden."""
        self.dialect: str = parsed.get_backend_name()
        """``sqlite`` or ``postgresql``."""
        self._busy_timeout = busy_timeout
        self._writer_thread: int | None = None
        if self.dialect == "sqlite":
            self._engine = _sqlite_engine(parsed, busy_timeout, echo)
            self._write_lock: threading.Lock | None = threading.Lock()
        else:
            self._engine = _postgres_engine(parsed, echo)
            self._write_lock = None
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.dispose()

    @property
    def sa_engine(self) -> Engine:
        """The SQLAlchemy engine (for migrations tooling and tests; services use sessions)."""
        return self._engine

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session in one read-write transaction: commit on success, roll back on error.

        The service function owns this boundary; repositories take the session and never
        commit. Objects stay readable after the block (no expiry on commit). On SQLite a
        unit of work must not be opened inside another one in the same thread.

        Raises:
            Conflict: An integrity constraint failed (duplicate key, unknown run...), or on
                SQLite another writer held the store for longer than ``busy_timeout``.
        """
        with self._writer():
            session = self._sessions()
            try:
                with _store_errors():
                    session.connection(execution_options={_WRITE: True})
                    yield session
                    session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading; it never waits for writers and its changes are discarded.

        Objects loaded in it stay readable after the block.
        """
        session = self._sessions()
        try:
            with _store_errors():
                yield session
        finally:
            # close() ends the transaction without committing and, unlike rollback(), leaves
            # the loaded objects' attributes in place.
            session.close()

    def upgrade(self, revision: str = "head") -> str | None:
        """Migrate the schema to ``revision`` (default: the newest shipped) in one transaction.

        Idempotent: upgrading a store that is already at ``revision`` changes nothing.
        Concurrent upgrades of one PostgreSQL database run one after the other.

        Returns:
            The revision the store is at afterwards (``None`` only when ``revision`` is
            ``"base"``).
        """
        with self._writer(), _store_errors(), self._write_connection() as connection:
            if self.dialect == "postgresql":
                connection.execute(
                    sa.text("select pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_ID}
                )
            migrate.upgrade(connection, revision)
            return migrate.current_revision(connection)  # committed on leaving the block

    def current_revision(self) -> str | None:
        """The schema revision of the store, or ``None`` when it was never migrated."""
        with self._engine.connect() as connection:
            return migrate.current_revision(connection)

    def dispose(self) -> None:
        """Close every pooled connection (the store can be used again afterwards)."""
        self._engine.dispose()

    @contextmanager
    def _writer(self) -> Iterator[None]:
        if self._write_lock is None:
            yield
            return
        if self._writer_thread == threading.get_ident():
            # Waiting would never end: the holder is this very thread.
            raise Conflict(f"store busy: this thread already has a unit of work open on {self.url}")
        if not self._write_lock.acquire(timeout=self._busy_timeout):
            raise Conflict(f"store busy: another write held {self.url} for {self._busy_timeout}s")
        self._writer_thread = threading.get_ident()
        try:
            yield
        finally:
            self._writer_thread = None
            self._write_lock.release()

    @contextmanager
    def _write_connection(self) -> Iterator[Connection]:
        with (
            self._engine.connect().execution_options(**{_WRITE: True}) as connection,
            connection.begin(),
        ):
            yield connection


@contextmanager
def _store_errors() -> Iterator[None]:
    """Translate database failures that callers can act on into smokewatch error kinds."""
    try:
        yield
    except exc.IntegrityError as error:
        raise Conflict(f"store constraint failed: {error.orig}") from error
    except exc.DataError as error:
        # A value the database cannot hold: a NUL character or too long for the column
        # (PostgreSQL), an integer out of range.
        raise InvalidInput(f"value not accepted by the store: {error.orig}") from error
    except exc.OperationalError as error:
        if getattr(error.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY:
            raise Conflict(f"store busy: {error.orig}") from error
        raise
    except exc.StatementError as error:
        # Our own checks in column types (e.g. a naive timestamp) arrive wrapped.
        if isinstance(error.orig, SmokewatchError):
            raise error.orig from error
        raise


def _parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        raise InvalidInput(f"not a database URL: {url!r}") from error
    if parsed.drivername in _POSTGRES_DRIVERS:
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in _SQLITE_DRIVERS:
        return parsed
    raise InvalidInput(
        f"unsupported store URL {parsed.render_as_string()!r}: "
        "use sqlite:///path, sqlite:// or postgresql+psycopg://user@host:port/db"
    )


def _sqlite_engine(url: URL, busy_timeout: float, echo: bool) -> Engine:
    memory = url.database in (None, "", ":memory:")
    options: dict[str, Any] = {"echo": echo, "json_serializer": _dumps}
    if memory:
        # One shared connection, or every connection would see its own empty database.
        options["poolclass"] = StaticPool
        options["connect_args"] = {"check_same_thread": False}
    else:
        Path(str(url.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **options)
    event.listen(engine, "connect", _sqlite_on_connect(busy_timeout, wal=not memory))
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(
    busy_timeout: float, *, wal: bool
) -> Callable[[sqlite3.Connection, object], None]:
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Turn off pysqlite's own transaction handling (it would issue a DEFERRED BEGIN before
        # the first write); the "begin" listener below decides between BEGIN and BEGIN
        # IMMEDIATE instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            if wal:
                _enable_wal(cursor, busy_timeout)
                cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL
        finally:
            cursor.close()

    return on_connect


def _enable_wal(cursor: sqlite3.Cursor, busy_timeout: float) -> None:
    # WAL mode is a property of the file, set by the first connection. Switching needs an
    # exclusive lock, and SQLite answers "database is locked" at once (no busy handler) while
    # another connection holds the file, so a new file opened by two connections needs a retry.
    deadline = time.monotonic() + busy_timeout
    while cursor.execute("PRAGMA journal_mode").fetchone() != ("wal",):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_on_begin(connection: Connection) -> None:
    # IMMEDIATE takes the database's write lock at the start, so a writer waits (busy
    # timeout) before doing any work rather than failing at its first write.
    write = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _postgres_engine(url: URL, echo: bool) -> Engine:
    try:
        return sa.create_engine(url, echo=echo, json_serializer=_dumps, pool_pre_ping=True)
    except ImportError as error:
        raise MissingExtra("PostgreSQL store", "postgres") from error


__all__ = ["RawJson", "Store"]
