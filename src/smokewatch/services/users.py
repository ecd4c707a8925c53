"""Users, passwords, API tokens and sessions — and turning a token into an Actor.

Passwords are hashed with argon2id (never stored or logged); a user is locked for
:data:`LOCK_MINUTES` after :data:`MAX_FAILED_LOGINS` failed sign-ins in a row. API tokens and
session tokens are random secrets shown once; only their SHA-256 is stored, with a short public
prefix as id. Every change is written to the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from smokewatch.cases.access import Actor, Role, within
from smokewatch.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from smokewatch.services import audit
from smokewatch.store.db import Store
from smokewatch.store.orm_cases import Agency, ApiToken, User

MAX_FAILED_LOGINS: Final = 5
LOCK_MINUTES: Final = 15
SESSION_HOURS: Final = 12
MIN_PASSWORD: Final = 10
TOKEN_PREFIX: Final = "swt_"  # noqa: S105 - a public marker, not a secret
TOUCH_MINUTES: Final = 5
"""A token's ``last_used_at`` is written at most this often (reads stay reads)."""
ACTOR_CACHE_SECONDS: Final = 10.0
"""How long a process trusts a token it resolved (revocations elsewhere take this long)."""


_hasher = PasswordHasher()


def _now() -> datetime:
    return datetime.now(UTC)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def system_actor(name: str) -> Actor:
    """The operator at the command line: an admin recorded as ``cli:<name>``."""
    return Actor(f"cli:{name}", frozenset({Role.ADMIN}))


def require_admin(actor: Actor) -> None:
    """Refuse anyone but an administrator.

    Raises:
        Forbidden: the actor is not an admin.
    """
    if not actor.is_admin:
        raise Forbidden("only administrators manage agencies and users")


def actor_of(user: User, agency: Agency | None) -> Actor:
    """The :class:`Actor` a user acts as."""
    return Actor(
        user.id,
        frozenset(Role(r) for r in user.roles),
        agency.id if agency else None,
        agency.adcode if agency else "",
        frozenset(agency.sectors) if agency else frozenset(),
    )


# -- users ----------------------------------------------------------------------------------


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")


def user_dict(user: User) -> dict[str, Any]:
    """A user as plain data (never the hash)."""
    return {
        "id": user.id,
        "display_name": user.display_name,
        "agency_id": user.agency_id,
        "roles": list(user.roles),
        "active": user.active,
        "locked_until": user.locked_until,
        "last_login_at": user.last_login_at,
    }


def create_user(
    store: Store,
    *,
    user_id: str,
    display_name: str,
    password: str,
    roles: Sequence[str],
    agency_id: str | None,
    actor: Actor,
) -> dict[str, Any]:
    """Create a user with roles in an agency (admins may have none).

    Raises:
        InvalidInput: a weak password, unknown roles, a non-admin without an agency.
        NotFound: the agency does not exist.
        Conflict: the user id exists.
        Forbidden: the actor is not an admin.
    """
    require_admin(actor)
    _check_password(password)
    try:
        parsed = sorted({Role(r) for r in roles})
    except ValueError as exc:
        raise InvalidInput(
            f"unknown role in {list(roles)} (one of: {[r.value for r in Role]})"
        ) from exc
    if not parsed:
        raise InvalidInput("a user needs at least one role")
    if agency_id is None and parsed != [Role.ADMIN]:
        raise InvalidInput("every user but an admin belongs to an agency")
    with store.unit_of_work() as session:
        if agency_id is not None and session.get(Agency, agency_id) is None:
            raise NotFound(f"no agency {agency_id!r}")
        if session.get(User, user_id) is not None:
            raise Conflict(f"user {user_id!r} exists")
        user = User(
            id=user_id,
            display_name=display_name,
            agency_id=agency_id,
            roles=[r.value for r in parsed],
            password_hash=_hasher.hash(password),
            failed_logins=0,
            locked_until=None,
            active=True,
            created_at=_now(),
            last_login_at=None,
        )
        session.add(user)
        audit.record(
            session,
            actor=actor.user_id,
            action="user.create",
            object_type="user",
            object_id=user_id,
            detail={"roles": user.roles, "agency_id": agency_id},
        )
        return user_dict(user)


def list_users(store: Store, actor: Actor | None = None) -> list[dict[str, Any]]:
    """Every user (without password hashes); a lead sees the users of agencies in its division.

    Raises:
        Forbidden: the actor is neither an admin nor a lead.
    """
    if actor is not None and not actor.is_admin and Role.LEAD not in actor.roles:
        raise Forbidden("only administrators and lead departments list users")
    with store.read_session() as session:
        query = sa.select(User).order_by(User.id)
        rows = session.scalars(query).all()
        if actor is None or actor.is_admin:
            return [user_dict(u) for u in rows]
        places = dict(session.execute(sa.select(Agency.id, Agency.adcode)).all())
        return [
            user_dict(u)
            for u in rows
            if u.agency_id is not None and within(places.get(u.agency_id), actor.adcode)
        ]


def set_password(store: Store, user_id: str, password: str, *, actor: Actor) -> None:
    """Replace a user's password and unlock them (an admin, or the user themself)."""
    if not actor.is_admin and actor.user_id != user_id:
        raise Forbidden("only administrators set other users' passwords")
    _check_password(password)
    with store.unit_of_work() as session:
        user = _user(session, user_id)
        user.password_hash = _hasher.hash(password)
        user.failed_logins, user.locked_until = 0, None
        audit.record(
            session,
            actor=actor.user_id,
            action="user.password",
            object_type="user",
            object_id=user_id,
        )
    forget_tokens()  # after the commit: no request re-caches the old state


def set_active(store: Store, user_id: str, active: bool, *, actor: Actor) -> None:
    """Deactivate (or reactivate) a user; a deactivated user's tokens stop working."""
    require_admin(actor)
    with store.unit_of_work() as session:
        user = _user(session, user_id)
        user.active = active
        audit.record(
            session,
            actor=actor.user_id,
            action="user.activate" if active else "user.deactivate",
            object_type="user",
            object_id=user_id,
        )
    forget_tokens()  # after the commit: no request re-caches the old state


def _user(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id!r}")
    return user


# -- tokens and sign-in ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: the secret is shown once and never stored."""

    id: str
    secret: str
    user_id: str
    kind: str
    expires_at: datetime | None


def _issue(
    session: Session, user: User, *, name: str, kind: str, expires_at: datetime | None
) -> IssuedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = secret[: len(TOKEN_PREFIX) + 8]
    session.add(
        ApiToken(
            id=token_id,
            user_id=user.id,
            token_hash=_token_hash(secret),
            name=name,
            kind=kind,
            created_at=_now(),
            expires_at=expires_at,
            revoked_at=None,
            last_used_at=None,
        )
    )
    return IssuedToken(token_id, secret, user.id, kind, expires_at)


def issue_token(
    store: Store, user_id: str, *, name: str, days: int | None = 365, actor: Actor
) -> IssuedToken:
    """A named API token for a user (for scripts and the bank reporting interface).

    Raises:
        Forbidden: the actor is neither an admin nor the user.
        NotFound: no such user.
    """
    if not actor.is_admin and actor.user_id != user_id:
        raise Forbidden("only administrators issue tokens for other users")
    with store.unit_of_work() as session:
        user = _user(session, user_id)
        expires = _now() + timedelta(days=days) if days else None
        issued = _issue(session, user, name=name, kind="api", expires_at=expires)
        audit.record(
            session,
            actor=actor.user_id,
            action="token.issue",
            object_type="user",
            object_id=user_id,
            detail={"token": issued.id, "name": name, "expires_at": expires},
        )
        return issued


def revoke_token(store: Store, token_id: str, *, actor: Actor) -> None:
    """Revoke a token by its id (prefix): an admin any, a user their own.

    Raises:
        NotFound: no such token (or, for a user, not theirs).
    """
    with store.unit_of_work() as session:
        token = session.get(ApiToken, token_id)
        if token is None or (not actor.is_admin and token.user_id != actor.user_id):
            raise NotFound(f"no token {token_id!r}")
        token.revoked_at = _now()
        audit.record(
            session,
            actor=actor.user_id,
            action="token.revoke",
            object_type="user",
            object_id=token.user_id,
            detail={"token": token_id},
        )
    forget_tokens()  # after the commit: no request re-caches the old state


def sign_in(store: Store, user_id: str, password: str) -> IssuedToken:
    """Check a password and open a session; lock the user after repeated failures.

    Raises:
        Unauthorized: unknown user, wrong password, locked or inactive (one message for all,
            so sign-in does not reveal which user ids exist).
    """
    with store.unit_of_work() as session:
        issued = _sign_in(session, user_id, password)
    if issued is None:
        raise Unauthorized("wrong user or password, or the account is locked")
    return issued


def _sign_in(session: Session, user_id: str, password: str) -> IssuedToken | None:
    """The sign-in; failed attempts are recorded (and committed) before refusing."""
    user = session.get(User, user_id)
    now = _now()
    if user is None or not user.active:
        _hasher.hash(password)  # same cost as a real check: no timing oracle
        return None
    if user.locked_until is not None and user.locked_until > now:
        audit.record(
            session,
            actor=user_id,
            action="user.signin_locked",
            object_type="user",
            object_id=user_id,
        )
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        user.failed_logins += 1
        detail: dict[str, Any] = {"failed_logins": user.failed_logins}
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            detail["locked_until"] = user.locked_until
        audit.record(
            session,
            actor=user_id,
            action="user.signin_failed",
            object_type="user",
            object_id=user_id,
            detail=detail,
        )
        return None
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    expires = now + timedelta(hours=SESSION_HOURS)
    issued = _issue(session, user, name="session", kind="session", expires_at=expires)
    audit.record(
        session, actor=user_id, action="user.signin", object_type="user", object_id=user_id
    )
    return issued


_ACTORS: dict[str, tuple[Actor, float, datetime | None]] = {}
"""Recently resolved tokens: hash → (actor, monotonic time resolved, token expiry)."""
_ACTORS_LOCK = threading.Lock()


def forget_tokens() -> None:
    """Drop the resolved-token cache of this process (after a revocation or a user change)."""
    with _ACTORS_LOCK:
        _ACTORS.clear()


def remembered_actor(secret: str) -> Actor | None:
    """The actor of a token this process resolved lately, else ``None`` (no store access).

    Lately: within :data:`ACTOR_CACHE_SECONDS` by :func:`actor_for_token`, and the token has
    not expired since. The API calls it on the event loop and goes to a worker thread only
    when it says ``None``.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    digest = _token_hash(secret)
    with _ACTORS_LOCK:
        cached = _ACTORS.get(digest)
    if cached is None:
        return None
    actor, resolved, expires = cached
    fresh = time.monotonic() - resolved < ACTOR_CACHE_SECONDS
    return actor if fresh and (expires is None or expires > _now()) else None


def actor_for_token(store: Store, secret: str) -> Actor:
    """The actor behind a bearer token.

    A read: ``last_used_at`` is written only when it is older than :data:`TOUCH_MINUTES`, and a
    resolved token is remembered for :data:`ACTOR_CACHE_SECONDS` in this process, so
    authenticating a request neither takes the store's write lock nor queries it every time.
    Revoking a token or changing a user through this process forgets the cache at once; other
    server processes notice within :data:`ACTOR_CACHE_SECONDS`.

    Raises:
        Unauthorized: unknown, expired or revoked token, or an inactive user.
    """
    refused = Unauthorized("invalid or expired token")
    if not secret.startswith(TOKEN_PREFIX):
        raise refused
    remembered = remembered_actor(secret)
    if remembered is not None:
        return remembered
    digest = _token_hash(secret)
    now = _now()
    with store.read_session() as session:
        token = session.scalars(sa.select(ApiToken).where(ApiToken.token_hash == digest)).first()
        if token is None or token.revoked_at is not None:
            raise refused
        if token.expires_at is not None and token.expires_at <= now:
            raise refused
        user = session.get(User, token.user_id)
        if user is None or not user.active:
            raise refused
        agency = session.get(Agency, user.agency_id) if user.agency_id else None
        actor = actor_of(user, agency)
        stale = token.last_used_at is None or token.last_used_at < now - timedelta(
            minutes=TOUCH_MINUTES
        )
        token_id, expires_at = token.id, token.expires_at
    if stale:
        with store.unit_of_work() as session:
            session.execute(
                sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
            )
    with _ACTORS_LOCK:
        if len(_ACTORS) > 10_000:
            _ACTORS.clear()
        _ACTORS[digest] = (actor, time.monotonic(), expires_at)
    return actor


def sign_out(store: Store, secret: str) -> None:
    """End the session (or revoke the token) whose secret this is.

    Raises:
        Unauthorized: the token is unknown or already revoked.
    """
    with store.unit_of_work() as session:
        token = session.scalars(
            sa.select(ApiToken).where(ApiToken.token_hash == _token_hash(secret))
        ).first()
        if token is None or token.revoked_at is not None:
            raise Unauthorized("invalid or expired token")
        token.revoked_at = _now()
        audit.record(
            session,
            actor=token.user_id,
            action="user.signout" if token.kind == "session" else "token.revoke",
            object_type="user",
            object_id=token.user_id,
            detail={"token": token.id},
        )
    forget_tokens()  # after the commit: no request re-caches the old state


def token_dict(token: ApiToken) -> dict[str, Any]:
    """A token as plain data (its id and dates; never the secret or its hash)."""
    return {
        "id": token.id,
        "user_id": token.user_id,
        "name": token.name,
        "kind": token.kind,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "last_used_at": token.last_used_at,
    }


def list_tokens(store: Store, user_id: str, *, actor: Actor) -> list[dict[str, Any]]:
    """A user's tokens and sessions, newest first (an admin any user's, a user their own).

    Raises:
        Forbidden: the actor is neither an admin nor the user.
    """
    if not actor.is_admin and actor.user_id != user_id:
        raise Forbidden("only administrators see other users' tokens")
    with store.read_session() as session:
        _user(session, user_id)
        rows = session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id)
        )
        return [token_dict(t) for t in rows]


def actor_for_user(store: Store, user_id: str) -> Actor:
    """The actor a user acts as (for ``--as USER`` at the command line).

    Raises:
        NotFound: no such active user.
    """
    with store.read_session() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise NotFound(f"no active user {user_id!r}")
        agency = session.get(Agency, user.agency_id) if user.agency_id else None
        return actor_of(user, agency)


__all__ = [
    "LOCK_MINUTES",
    "MAX_FAILED_LOGINS",
    "IssuedToken",
    "actor_for_token",
    "actor_for_user",
    "actor_of",
    "create_user",
    "forget_tokens",
    "issue_token",
    "list_tokens",
    "list_users",
    "remembered_actor",
    "require_admin",
    "revoke_token",
    "set_active",
    "set_password",
    "sign_in",
    "sign_out",
    "system_actor",
    "token_dict",
    "user_dict",
]
