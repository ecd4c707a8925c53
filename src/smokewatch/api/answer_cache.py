"""The answer cache: finished answers of the hot reads, served again while the data is unchanged.

A pure ASGI layer in front of the API for exactly two reads, ``GET /api/v1/entities/{id}``
(the entity profile) and ``GET /api/v1/alerts`` (the alert list). For such a request it:

1. resolves the user from the process's token cache (:func:`smokewatch.services.users.
   remembered_actor`; no store access) — a token it does not remember goes the normal way;
2. builds the key: the route, the query parameters as the API parses them (in a canonical
   order) and the user's *visibility scope* (roles, agency, division, sectors — what decides
   what an answer contains, PII rights included; never the token or the user's id);
3. reads the store's data version (:mod:`smokewatch.store.data_version`, one statement on a
   connection of the cache's own, so it never waits for the pool the worker threads use);
4. with an answer kept under that key *and* that version: records the PII views the answer
   showed when it was computed, for this user, exactly as the normal path does (the request
   waits until its audit entries are committed: :class:`~smokewatch.services.view_audit.
   AuditWriter`), then sends the kept status, headers and body;
5. otherwise lets FastAPI answer (validation, permissions, masking and audit unchanged) and
   keeps a ``200`` answer under the version read *before* it was computed, so an answer is
   never newer than its version claims to be older.

Anything else (other routes and methods, no or an unknown token) passes straight through.
Bounded LRU by bytes per process; ``api.answer_cache_mib = 0`` or ``smokewatch serve
--no-answer-cache`` turns it off.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smokewatch.cases.access import Actor
from smokewatch.services import users
from smokewatch.services.view_audit import AuditWriter, PiiView, observing
from smokewatch.store.data_version import VersionReader
from smokewatch.store.db import Store

_PROFILE: Final = "/api/v1/entities/"
_ALERTS: Final = "/api/v1/alerts"
_OVERHEAD: Final = 512
"""Bytes counted per entry beyond its body (key, headers, bookkeeping)."""

Key = tuple[str, tuple[tuple[str, str], ...], tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Answer:
    """A finished ``200`` answer and what it cost to show."""

    version: int
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    views: tuple[PiiView, ...]
    """PII views recorded when it was computed: recorded again for each user it is sent to."""


@dataclass(slots=True)
class CacheStats:
    """Counters of one process's cache."""

    hits: int = 0
    misses: int = 0
    stored: int = 0
    evicted: int = 0
    bytes: int = 0


@dataclass(slots=True)
class AnswerCache:
    """Bounded LRU of answers (used on the event loop only) and the hits' audit writer."""

    max_bytes: int
    stats: CacheStats = field(default_factory=CacheStats)
    _entries: OrderedDict[Key, Answer] = field(default_factory=OrderedDict)
    _writer: AuditWriter | None = None
    _reader: VersionReader | None = None

    def get(self, key: Key, version: int) -> Answer | None:
        """The answer kept under ``key`` if it was computed at ``version``."""
        answer = self._entries.get(key)
        if answer is None:
            return None
        if answer.version != version:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return answer

    def put(self, key: Key, answer: Answer) -> None:
        """Keep ``answer`` (evicting the least recently used beyond :attr:`max_bytes`)."""
        size = len(answer.body) + _OVERHEAD
        if size > self.max_bytes:
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = answer
        self.stats.bytes += size
        self.stats.stored += 1
        while self.stats.bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))
            self.stats.evicted += 1

    def __len__(self) -> int:
        return len(self._entries)

    def reader(self, store: Store) -> VersionReader:
        """The store's data version reader (a connection of its own, opened on first use)."""
        if self._reader is None:
            self._reader = VersionReader(store.sa_engine)
        return self._reader

    def writer(self, store: Store) -> AuditWriter:
        """The group-commit writer of the hits' audit entries (started on first use)."""
        if self._writer is None:
            self._writer = AuditWriter(store)
        return self._writer

    def close(self) -> None:
        """Stop the audit writer after it wrote what is queued; forget every answer."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self._entries.clear()
        self.stats.bytes = 0

    def _drop(self, key: Key) -> None:
        answer = self._entries.pop(key)
        self.stats.bytes -= len(answer.body) + _OVERHEAD


def _route(path: str) -> str | None:
    if path == _ALERTS:
        return "alerts-list"
    if path.startswith(_PROFILE):
        rest = path[len(_PROFILE) :]
        if rest and "/" not in rest:
            return "entities-profile"
    return None


def _bearer(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == b"authorization":
            # exactly as FastAPI's HTTPBearer reads it (get_authorization_scheme_param)
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if token and scheme.lower() == "bearer" else None
    return None


def _visibility(actor: Actor) -> tuple[Any, ...]:
    """What decides the content of an answer: everything of the actor but who it is."""
    return (
        tuple(sorted(actor.roles)),
        actor.agency_id,
        actor.adcode,
        tuple(sorted(actor.sectors)),
    )


def _query(raw: bytes) -> tuple[tuple[str, str], ...]:
    """The query parameters as Starlette parses them, by name (each name's values in order)."""
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return tuple(sorted(pairs, key=lambda pair: pair[0]))


class AnswerCacheMiddleware:
    """Serve kept answers of the hot reads; see the module's documentation."""

    def __init__(self, app: ASGIApp, *, owner: FastAPI, cache: AnswerCache) -> None:
        self.app = app
        self.owner = owner
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer from the cache, or pass the request on (and keep its answer)."""
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        route = _route(scope["path"])
        token = _bearer(scope["headers"]) if route else None
        actor = users.remembered_actor(token) if token else None
        store: Store | None = getattr(self.owner.state, "store", None)
        if route is None or token is None or actor is None or store is None:
            await self.app(scope, receive, send)
            return
        try:
            version = self.cache.reader(store).read()
        except Exception:  # noqa: BLE001 - e.g. a store not migrated yet: the normal way
            await self.app(scope, receive, send)
            return
        key: Key = (f"{route}:{scope['path']}", _query(scope["query_string"]), _visibility(actor))
        answer = self.cache.get(key, version)
        if answer is not None and await self._audited(store, answer, actor):
            self.cache.stats.hits += 1
            await send(
                {"type": "http.response.start", "status": answer.status, "headers": answer.headers}
            )
            await send({"type": "http.response.body", "body": answer.body})
            return
        self.cache.stats.misses += 1
        await self._miss(scope, receive, send, key=key, version=version, actor=actor, token=token)

    async def _audited(self, store: Store, answer: Answer, actor: Actor) -> bool:
        """Record the answer's PII views for ``actor``; ``False`` if that failed."""
        if not answer.views:
            return True
        entries = [view.entry(actor.user_id) for view in answer.views]
        try:
            await asyncio.wrap_future(self.cache.writer(store).submit(entries))
        except Exception:  # noqa: BLE001 - the normal path will record it or report the failure
            return False
        return True

    async def _miss(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        *,
        key: Key,
        version: int,
        actor: Actor,
        token: str,
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        complete = False

        async def capturing(message: Message) -> None:
            nonlocal start, complete
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        with observing() as views:
            await self.app(scope, receive, capturing)
        if start is None or start["status"] != 200 or not complete:
            return
        if users.remembered_actor(token) != actor:  # the user changed while it was computed
            return
        headers = tuple((bytes(k), bytes(v)) for k, v in start.get("headers", ()))
        self.cache.put(key, Answer(version, 200, headers, b"".join(chunks), tuple(views)))


__all__ = ["Answer", "AnswerCache", "AnswerCacheMiddleware", "CacheStats"]
