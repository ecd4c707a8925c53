"""Shapes of sign-in, sessions, tokens, agencies, users and the audit check."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignIn(_Request):
    """A user id and password."""

    user_id: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class IssuedToken(BaseModel):
    """A new session or API token: ``token`` is the secret, shown only this once."""

    id: str = Field(description="Public prefix of the token (for listings and revocation).")
    token: str = Field(description="The bearer secret: send as `Authorization: Bearer …`.")
    user_id: str
    kind: str = Field(description="`session` (from a sign-in) or `api` (named, long-lived).")
    expires_at: datetime | None


class TokenRequest(_Request):
    """What a new API token is for and how long it lives."""

    name: str = Field(default="api", min_length=1, max_length=100)
    days: int = Field(default=365, ge=1, le=3650)


class Token(BaseModel):
    """A token or session of a user (never its secret)."""

    id: str
    user_id: str
    name: str
    kind: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class Me(BaseModel):
    """The signed-in user: roles and where they act."""

    user_id: str
    roles: list[str]
    agency_id: str | None
    adcode: str = Field(description="The division the user's agency covers ('' for admins).")
    sectors: list[str]
    sees_pii: bool


class Agency(BaseModel):
    """An agency of the joint mechanism, bound to a division and (regulators) sectors."""

    id: str
    name: str
    kind: str
    adcode: str
    sectors: list[str]
    active: bool


class AgencyCreate(_Request):
    """A new agency."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description="A term of the agency_kind vocabulary.", max_length=32)
    adcode: str = Field(pattern=r"^\d{6}(\d{3})?$")
    sectors: list[str] = Field(default_factory=list, max_length=50)


class User(BaseModel):
    """A user (never the password hash)."""

    id: str
    display_name: str
    agency_id: str | None
    roles: list[str]
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


class UserCreate(_Request):
    """A new user with roles in an agency."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=10, max_length=1024)
    roles: list[str] = Field(min_length=1, max_length=6)
    agency_id: str | None = None


class AuditCheck(BaseModel):
    """The result of re-computing the audit hash chain."""

    entries: int
    intact: bool
    broken_at: int | None
    problem: str | None


__all__ = [
    "Agency",
    "AgencyCreate",
    "AuditCheck",
    "IssuedToken",
    "Me",
    "SignIn",
    "Token",
    "TokenRequest",
    "User",
    "UserCreate",
]
