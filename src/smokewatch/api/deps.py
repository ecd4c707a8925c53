"""Request dependencies: settings, store, and the signed-in user behind a bearer token.

Every route but ``/health`` and sign-in needs ``Authorization: Bearer swt_…`` (an API token
from ``smokewatch users token`` or ``POST /api/v1/users/{id}/tokens``, or the session token a
sign-in returns). The token resolves to an :class:`~smokewatch.cases.access.Actor`; what the
actor may see and do is decided by the services, never here.

The dependencies are ``async``: FastAPI runs a sync dependency in a worker thread, and a thread
hop costs more than what these do. Only resolving a token the process does not remember reads
the store, and that goes to a worker thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from smokewatch.cases.access import Actor
from smokewatch.errors import Unauthorized
from smokewatch.services import users
from smokewatch.settings import Settings
from smokewatch.store.db import Store

_bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="swt_…",
    description="An API token or the session token a sign-in returns.",
)


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def _token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("sign in first: send Authorization: Bearer <token>")
    return credentials.credentials


async def _actor(
    store: Annotated[Store, Depends(_store)], token: Annotated[str, Depends(_token)]
) -> Actor:
    actor = users.remembered_actor(token)
    if actor is not None:
        return actor
    return await run_in_threadpool(users.actor_for_token, store, token)


async def _evidence_dir(settings: Annotated[Settings, Depends(_settings)]) -> Path:
    return settings.workspace / "evidence"


SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[Store, Depends(_store)]
TokenDep = Annotated[str, Depends(_token)]
ActorDep = Annotated[Actor, Depends(_actor)]
EvidenceDirDep = Annotated[Path, Depends(_evidence_dir)]
SIGNED_IN = [Depends(_actor)]
"""Route dependencies of routes any signed-in user may call (``dependencies=SIGNED_IN``)."""

__all__ = ["SIGNED_IN", "ActorDep", "EvidenceDirDep", "SettingsDep", "StoreDep", "TokenDep"]
