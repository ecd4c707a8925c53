"""Who sees which analytic rows: the SQL form of :func:`smokewatch.cases.access.sees_region`.

Scores and alerts are routed to a division code (属地) and a sector (行业) when they are
computed. An analyst sees the rows routed inside their division (officers and viewers: also in
their sectors); admins see everything. Police and reporters see no analytic lists: they reach
an entity only through a case they can see. Cases have their own rule
(:func:`smokewatch.services.cases.visible`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute

from smokewatch.cases.access import (
    ANALYST_ROLES,
    PII_ROLES,
    TRIAGE_ROLES,
    Actor,
    Role,
    redact,
    within,
)
from smokewatch.cases.workflow import jurisdiction_prefix
from smokewatch.errors import Forbidden
from smokewatch.services import audit
from smokewatch.services.view_audit import PiiView, noted
from smokewatch.store.db import Store
from smokewatch.store.scoring import Region


def require_analyst(actor: Actor) -> None:
    """Refuse roles that never read analytic output (police, reporters).

    Raises:
        Forbidden: the actor holds none of the analyst roles.
    """
    if not actor.roles & ANALYST_ROLES:
        raise Forbidden("your role does not read monitoring results")


def require_triage(actor: Actor) -> None:
    """Refuse roles that may not act on alerts or watch lists (viewers, police, reporters).

    Raises:
        Forbidden: the actor holds none of the triage roles.
    """
    if not actor.roles & TRIAGE_ROLES:
        raise Forbidden("your role may not act on alerts or watch lists")


def covers(actor: Actor, division: str | None) -> bool:
    """Whether an analyst's division contains ``division`` (workspace-wide data: rejected rows).

    Admins are always covered; without a division (a workspace whose jurisdiction has no
    code) only admins are.

    Examples:
        >>> lead = Actor("wang", frozenset({Role.LEAD}), adcode="340200")
        >>> covers(lead, "340200"), covers(lead, "340000"), covers(lead, None)
        (True, False, False)
    """
    if actor.is_admin:
        return True
    return (
        bool(actor.roles & ANALYST_ROLES)
        and division is not None
        and within(division, actor.adcode)
    )


def region_condition(
    actor: Actor, adcode: QueryableAttribute[Any], sector: QueryableAttribute[Any]
) -> sa.ColumnElement[bool]:
    """The SQL condition selecting rows routed where the actor sees them (see :func:`region_of`)."""
    if actor.is_admin:
        return sa.true()
    if not actor.roles & ANALYST_ROLES or not actor.adcode:
        return sa.false()
    territory = adcode.startswith(jurisdiction_prefix(actor.adcode), autoescape=True)
    if Role.LEAD in actor.roles or not actor.sectors:
        return territory
    sectors = [sector.startswith(s, autoescape=True) for s in sorted(actor.sectors)]
    return sa.and_(territory, sa.or_(sector.is_(None), *sectors))


def region_of(actor: Actor) -> Region:
    """:func:`region_condition` as data, for the store's prebuilt statements (the alert list).

    Examples:
        >>> region_of(Actor("wang", frozenset({Role.LEAD}), adcode="340200"))
        Region(everything=False, prefix='3402', sectors=())
    """
    if actor.is_admin:
        return Region(everything=True)
    if not actor.roles & ANALYST_ROLES or not actor.adcode:
        return Region()
    prefix = jurisdiction_prefix(actor.adcode)
    if Role.LEAD in actor.roles or not actor.sectors:
        return Region(prefix=prefix)
    return Region(prefix=prefix, sectors=tuple(sorted(actor.sectors)))


def shown(actor: Actor, value: Any) -> tuple[Any, int]:
    """``value`` as this actor may see it (PII masked unless the role allows), and PII count.

    A count above zero for a role that sees PII means unmasked PII was shown: the caller
    records a ``view_pii`` audit entry.
    """
    return redact(value, reveal=bool(actor.roles & PII_ROLES))


def audited_view(
    store: Store, actor: Actor, data: Any, *, object_type: str, object_id: str, view: str
) -> Any:
    """``data`` as the actor may see it; a view of unmasked PII gets an audit entry.

    The entry (``<object_type>.view_pii``) names the view and how many values were shown.
    """
    value, found = shown(actor, data)
    if found and actor.sees_pii:
        seen = PiiView(
            f"{object_type}.view_pii", object_type, object_id, {"view": view, "values": found}
        )
        with store.unit_of_work() as session:
            audit.record(session, **seen.entry(actor.user_id))
        noted(seen)
    return value


__all__ = [
    "audited_view",
    "covers",
    "region_condition",
    "region_of",
    "require_analyst",
    "require_triage",
    "shown",
]
