"""Public risk warnings (风险提示): drafted and approved inside, published on the portal.

A lead or admin drafts a warning (about a company, a platform or a typology) in its division;
another lead or admin — never the author — approves it, which publishes it with the day and the
issuing agency; a published warning can be withdrawn (it leaves the portal, the row stays).
The portal reads only published warnings: :func:`published` (search by words in title, body or
the name warned about; newest first) feeds the list, the JSON feed and the RSS feed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Final

import sqlalchemy as sa

from smokewatch.cases.access import TRIAGE_ROLES, Actor, Role, within
from smokewatch.errors import Conflict, Forbidden, InvalidInput, NotFound
from smokewatch.model.divisions import load_divisions
from smokewatch.services import audit
from smokewatch.store.db import Store
from smokewatch.store.orm_tips import PublicWarning

AUTHORS: Final = frozenset({Role.ADMIN, Role.LEAD})
READERS: Final = TRIAGE_ROLES | {Role.VIEWER}
MAX_TITLE: Final = 200
MAX_BODY: Final = 20_000


def _may(actor: Actor, adcode: str) -> None:
    if not actor.is_admin and not (actor.roles & AUTHORS and within(adcode, actor.adcode)):
        raise Forbidden("only leads of the division and administrators manage warnings")


def warning_dict(row: PublicWarning) -> dict[str, Any]:
    """A warning as the API and the portal show it."""
    return {
        "id": row.id,
        "title": row.title,
        "body": row.body,
        "about": row.about,
        "typology": row.typology,
        "issuing_agency": row.issuing_agency,
        "adcode": row.adcode,
        "status": row.status,
        "published_on": None if row.published_on is None else row.published_on.isoformat(),
    }


def draft(
    store: Store,
    actor: Actor,
    *,
    title: str,
    body: str,
    issuing_agency: str,
    adcode: str,
    about: str | None = None,
    typology: str | None = None,
) -> dict[str, Any]:
    """Draft a warning (not public until approved).

    Raises:
        InvalidInput: empty or too long title/body, unknown division; Forbidden: not a lead of
        the division or an admin.
    """
    if not title.strip() or len(title) > MAX_TITLE or not body.strip() or len(body) > MAX_BODY:
        raise InvalidInput(f"a warning needs a title (≤ {MAX_TITLE}) and a body (≤ {MAX_BODY})")
    if adcode not in load_divisions():
        raise InvalidInput(f"unknown division code {adcode!r}")
    _may(actor, adcode)
    now = datetime.now(UTC)
    with store.unit_of_work() as session:
        prefix = f"W-{now:%Y%m%d}-"
        count = session.scalar(
            sa.select(sa.func.count())
            .select_from(PublicWarning)
            .where(PublicWarning.id.startswith(prefix))
        )
        row = PublicWarning(
            id=f"{prefix}{int(count or 0) + 1:03d}",
            title=title.strip(),
            body=body.strip(),
            about=(about or "").strip() or None,
            typology=typology,
            issuing_agency=issuing_agency.strip(),
            adcode=adcode,
            status="draft",
            published_on=None,
            created_by=actor.user_id,
            approved_by=None,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        audit.record(
            session,
            actor=actor.user_id,
            action="warning.draft",
            object_type="warning",
            object_id=row.id,
            detail={"title": row.title},
        )
        return warning_dict(row)


def approve(
    store: Store, actor: Actor, warning_id: str, *, on: date | None = None
) -> dict[str, Any]:
    """Approve and publish a draft (four eyes: the author may not approve their own).

    Raises:
        NotFound: no such warning; Forbidden: not allowed, or the author; Conflict: not a draft.
    """
    now = datetime.now(UTC)
    with store.unit_of_work() as session:
        row = session.get(PublicWarning, warning_id)
        if row is None:
            raise NotFound(f"no warning {warning_id!r}")
        _may(actor, row.adcode)
        if row.created_by == actor.user_id and not actor.user_id.startswith("cli:"):
            raise Forbidden("a warning is approved by someone other than its author")
        if row.status != "draft":
            raise Conflict(f"warning {warning_id} is {row.status}")
        row.status, row.approved_by = "published", actor.user_id
        row.published_on, row.updated_at = on or now.date(), now
        audit.record(
            session,
            actor=actor.user_id,
            action="warning.publish",
            object_type="warning",
            object_id=row.id,
        )
        return warning_dict(row)


def withdraw(store: Store, actor: Actor, warning_id: str, *, reason: str) -> dict[str, Any]:
    """Take a published warning off the portal (kept, with the reason in the audit log).

    Raises:
        NotFound / Forbidden as :func:`approve`; InvalidInput: no reason; Conflict: not published.
    """
    if not reason.strip():
        raise InvalidInput("withdrawing a warning needs a reason")
    with store.unit_of_work() as session:
        row = session.get(PublicWarning, warning_id)
        if row is None:
            raise NotFound(f"no warning {warning_id!r}")
        _may(actor, row.adcode)
        if row.status != "published":
            raise Conflict(f"warning {warning_id} is {row.status}")
        row.status, row.updated_at = "withdrawn", datetime.now(UTC)
        audit.record(
            session,
            actor=actor.user_id,
            action="warning.withdraw",
            object_type="warning",
            object_id=row.id,
            detail={"reason": reason},
        )
        return warning_dict(row)


def published(
    store: Store, *, query: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Published warnings, newest first, optionally those containing every word of ``query``."""
    where: list[sa.ColumnElement[bool]] = [PublicWarning.status == "published"]
    for word in (query or "").split()[:5]:
        pattern = word[:50]
        where.append(
            sa.or_(
                PublicWarning.title.contains(pattern, autoescape=True),
                PublicWarning.body.contains(pattern, autoescape=True),
                PublicWarning.about.contains(pattern, autoescape=True),
            )
        )
    with store.unit_of_work() as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(PublicWarning).where(*where))
        rows = session.scalars(
            sa.select(PublicWarning)
            .where(*where)
            .order_by(PublicWarning.published_on.desc(), PublicWarning.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return [warning_dict(r) for r in rows], int(total or 0)


def published_one(store: Store, warning_id: str) -> dict[str, Any]:
    """One published warning.

    Raises:
        NotFound: no such warning, or not published.
    """
    with store.unit_of_work() as session:
        row = session.get(PublicWarning, warning_id)
        if row is None or row.status != "published":
            raise NotFound(f"no warning {warning_id!r}")
        return warning_dict(row)


def all_warnings(store: Store, actor: Actor) -> list[dict[str, Any]]:
    """Every warning of the actor's division (drafts too), for the officers' side.

    Raises:
        Forbidden: police and reporting institutions do not manage warnings.
    """
    if not actor.is_admin and not actor.roles & READERS:
        raise Forbidden("your role does not manage warnings")
    with store.unit_of_work() as session:
        rows = session.scalars(sa.select(PublicWarning).order_by(PublicWarning.id.desc())).all()
        return [warning_dict(r) for r in rows if actor.is_admin or within(r.adcode, actor.adcode)]


__all__ = [
    "all_warnings",
    "approve",
    "draft",
    "published",
    "published_one",
    "warning_dict",
    "withdraw",
]
