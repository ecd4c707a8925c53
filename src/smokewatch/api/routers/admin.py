"""``/api/v1``: sign-in and sessions, the signed-in user, agencies, users, tokens, audit."""

from __future__ import annotations

from fastapi import APIRouter, status

from smokewatch.api.deps import SIGNED_IN, ActorDep, StoreDep, TokenDep
from smokewatch.api.schemas import auth as schemas
from smokewatch.services import agencies, audit, users

router = APIRouter(prefix="/api/v1")


def _issued(token: users.IssuedToken) -> schemas.IssuedToken:
    return schemas.IssuedToken(
        id=token.id,
        token=token.secret,
        user_id=token.user_id,
        kind=token.kind,
        expires_at=token.expires_at,
    )


@router.post(
    "/auth/sessions",
    tags=["auth"],
    operation_id="auth-sign-in",
    status_code=status.HTTP_201_CREATED,
)
def sign_in(store: StoreDep, body: schemas.SignIn) -> schemas.IssuedToken:
    """Sign in with a password: a session token valid for 12 hours (5 failures lock 15 min)."""
    return _issued(users.sign_in(store, body.user_id, body.password))


@router.delete(
    "/auth/sessions/current",
    tags=["auth"],
    operation_id="auth-sign-out",
    status_code=status.HTTP_204_NO_CONTENT,
)
def sign_out(store: StoreDep, token: TokenDep) -> None:
    """End this session (or revoke this API token)."""
    users.sign_out(store, token)


@router.get("/me", tags=["auth"], operation_id="auth-me")
def me(actor: ActorDep) -> schemas.Me:
    """Who the token belongs to: roles, agency, division and sectors."""
    return schemas.Me(
        user_id=actor.user_id,
        roles=sorted(r.value for r in actor.roles),
        agency_id=actor.agency_id,
        adcode=actor.adcode,
        sectors=sorted(actor.sectors),
        sees_pii=actor.sees_pii,
    )


@router.get(
    "/agencies",
    tags=["organisations"],
    operation_id="organisations-list-agencies",
    dependencies=SIGNED_IN,
)
def list_agencies(store: StoreDep) -> list[schemas.Agency]:
    """Every agency of the joint mechanism (to refer, assign and route)."""
    return [schemas.Agency(**a) for a in agencies.list_agencies(store)]


@router.post(
    "/agencies",
    tags=["organisations"],
    operation_id="organisations-create-agency",
    status_code=status.HTTP_201_CREATED,
)
def create_agency(store: StoreDep, actor: ActorDep, body: schemas.AgencyCreate) -> schemas.Agency:
    """Register an agency bound to a division (admins)."""
    return schemas.Agency(
        **agencies.create_agency(
            store,
            agency_id=body.id,
            name=body.name,
            kind=body.kind,
            adcode=body.adcode,
            sectors=body.sectors,
            actor=actor,
        )
    )


@router.get("/users", tags=["organisations"], operation_id="organisations-list-users")
def list_users(store: StoreDep, actor: ActorDep) -> list[schemas.User]:
    """Users: all for admins; a lead sees the users of agencies in its division."""
    return [schemas.User(**u) for u in users.list_users(store, actor)]


@router.post(
    "/users",
    tags=["organisations"],
    operation_id="organisations-create-user",
    status_code=status.HTTP_201_CREATED,
)
def create_user(store: StoreDep, actor: ActorDep, body: schemas.UserCreate) -> schemas.User:
    """Create a user with roles in an agency (admins)."""
    return schemas.User(
        **users.create_user(
            store,
            user_id=body.id,
            display_name=body.display_name,
            password=body.password,
            roles=body.roles,
            agency_id=body.agency_id,
            actor=actor,
        )
    )


@router.post(
    "/users/{user_id}/deactivate",
    tags=["organisations"],
    operation_id="organisations-deactivate-user",
    status_code=status.HTTP_204_NO_CONTENT,
)
def deactivate_user(store: StoreDep, actor: ActorDep, user_id: str) -> None:
    """Deactivate a user: their tokens stop working, their history stays (admins)."""
    users.set_active(store, user_id, False, actor=actor)


@router.get("/users/{user_id}/tokens", tags=["organisations"], operation_id="organisations-tokens")
def list_tokens(store: StoreDep, actor: ActorDep, user_id: str) -> list[schemas.Token]:
    """A user's tokens and sessions (admins, or the user)."""
    return [schemas.Token(**t) for t in users.list_tokens(store, user_id, actor=actor)]


@router.post(
    "/users/{user_id}/tokens",
    tags=["organisations"],
    operation_id="organisations-issue-token",
    status_code=status.HTTP_201_CREATED,
)
def issue_token(
    store: StoreDep, actor: ActorDep, user_id: str, body: schemas.TokenRequest
) -> schemas.IssuedToken:
    """Issue a named API token (admins for anyone, users for themselves); shown once."""
    return _issued(users.issue_token(store, user_id, name=body.name, days=body.days, actor=actor))


@router.delete(
    "/tokens/{token_id}",
    tags=["organisations"],
    operation_id="organisations-revoke-token",
    status_code=status.HTTP_204_NO_CONTENT,
)
def revoke_token(store: StoreDep, actor: ActorDep, token_id: str) -> None:
    """Revoke a token by its id (admins any, users their own)."""
    users.revoke_token(store, token_id, actor=actor)


@router.get("/audit/verify", tags=["audit"], operation_id="audit-verify")
def verify_audit(store: StoreDep, actor: ActorDep) -> schemas.AuditCheck:
    """Re-compute the audit hash chain (admins)."""
    check = audit.verify_for(store, actor)
    return schemas.AuditCheck(
        entries=check.entries,
        intact=check.intact,
        broken_at=check.broken_at,
        problem=check.problem,
    )


__all__ = ["router"]
