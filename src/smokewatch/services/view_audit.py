"""Audited views of PII, for an edge that answers a repeated read from memory.

A read that shows unmasked PII is recorded in the audit log by
:func:`smokewatch.services.visibility.audited_view`. An edge that keeps finished answers (the
API's answer cache) must record the same entry each time it serves one again, for the user it
serves. Two pieces make that possible without the services knowing about the cache:

* :func:`observing`: while computing an answer, collect the views that were recorded
  (:func:`noted` is called by ``audited_view``), so the edge can keep them with the answer;
* :class:`AuditWriter`: *group commit* of such entries. Each request submits its entries and
  waits until the transaction holding them is committed (never fire-and-forget); a writer
  thread puts everything submitted meanwhile into one transaction, so under load one commit
  serves many requests.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final

from smokewatch.services import audit
from smokewatch.store.db import Store

BATCH: Final = 500
"""At most this many entries in one transaction."""


@dataclass(frozen=True, slots=True)
class PiiView:
    """An audit entry of a PII view, without who saw it (the user of each request)."""

    action: str
    object_type: str
    object_id: str
    detail: Mapping[str, Any]

    def entry(self, user_id: str) -> dict[str, Any]:
        """:func:`smokewatch.services.audit.record`'s arguments for ``user_id``."""
        return {
            "actor": user_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "detail": dict(self.detail),
        }


_OBSERVED: ContextVar[list[PiiView] | None] = ContextVar("smokewatch_pii_views", default=None)


@contextmanager
def observing() -> Iterator[list[PiiView]]:
    """Collect the PII views recorded in this context (worker threads it starts included)."""
    seen: list[PiiView] = []
    token = _OBSERVED.set(seen)
    try:
        yield seen
    finally:
        _OBSERVED.reset(token)


def noted(view: PiiView) -> None:
    """Tell an :func:`observing` caller, if any, that ``view`` was recorded."""
    seen = _OBSERVED.get()
    if seen is not None:
        seen.append(view)


_STOP: Final = object()


class AuditWriter:
    """Group commit of audit entries: :meth:`submit` returns a future done at commit."""

    def __init__(self, store: Store, *, batch: int = BATCH) -> None:
        self._store = store
        self._batch = batch
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.commits = 0
        """Transactions written so far (for tests and benchmarks)."""

    def submit(self, entries: list[dict[str, Any]]) -> Future[None]:
        """Queue entries (in order, consecutive in the chain); the future resolves at commit."""
        done: Future[None] = Future()
        if not entries:
            done.set_result(None)
            return done
        self._start()
        self._queue.put((entries, done))
        return done

    def close(self) -> None:
        """Write what is queued, then stop the writer thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
            thread.join()

    def _start(self) -> None:
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="smokewatch-audit-writer", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            item = self._queue.get()
            if item is _STOP:
                return
            pending = [item]
            while len(pending) < self._batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    stopping = True
                    break
                pending.append(more)
            self._write(pending)

    def _write(self, pending: list[Any]) -> None:
        entries = [entry for batch, _ in pending for entry in batch]
        try:
            with self._store.unit_of_work() as session:
                audit.record_many(session, entries)
        except BaseException as error:  # noqa: BLE001 - every waiting request gets the failure
            for _, done in pending:
                done.set_exception(error)
            return
        self.commits += 1
        for _, done in pending:
            done.set_result(None)


__all__ = ["AuditWriter", "PiiView", "noted", "observing"]
