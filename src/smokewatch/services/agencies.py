"""Agencies of the mechanism: lead departments, member agencies and banks, each bound to a division.

Only administrators register agencies; every registration is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from smokewatch.cases.access import Actor
from smokewatch.errors import Conflict, InvalidInput
from smokewatch.model.divisions import load_divisions
from smokewatch.model.vocab import get_vocabulary
from smokewatch.services import audit
from smokewatch.services.users import require_admin
from smokewatch.store.db import Store
from smokewatch.store.orm_cases import Agency


def create_agency(
    store: Store,
    *,
    agency_id: str,
    name: str,
    kind: str,
    adcode: str,
    sectors: Sequence[str] = (),
    actor: Actor,
) -> dict[str, Any]:
    """Register an agency of the mechanism, bound to a division.

    Raises:
        InvalidInput: unknown kind or division code.
        Conflict: the id exists.
        Forbidden: the actor is not an admin.
    """
    require_admin(actor)
    if kind not in get_vocabulary("agency_kind"):
        raise InvalidInput(f"unknown agency kind {kind!r}")
    if adcode not in load_divisions():
        raise InvalidInput(f"unknown division code {adcode!r}")
    with store.unit_of_work() as session:
        if session.get(Agency, agency_id) is not None:
            raise Conflict(f"agency {agency_id!r} exists")
        agency = Agency(
            id=agency_id,
            name=name,
            kind=kind,
            adcode=adcode,
            sectors=list(sectors),
            active=True,
            created_at=datetime.now(UTC),
        )
        session.add(agency)
        audit.record(
            session,
            actor=actor.user_id,
            action="agency.create",
            object_type="agency",
            object_id=agency_id,
            detail={"name": name, "kind": kind, "adcode": adcode, "sectors": list(sectors)},
        )
        return agency_dict(agency)


def agency_dict(agency: Agency) -> dict[str, Any]:
    """An agency as plain data."""
    return {
        "id": agency.id,
        "name": agency.name,
        "kind": agency.kind,
        "adcode": agency.adcode,
        "sectors": list(agency.sectors),
        "active": agency.active,
    }


def list_agencies(store: Store) -> list[dict[str, Any]]:
    """Every agency, by division then id."""
    with store.read_session() as session:
        rows = session.scalars(sa.select(Agency).order_by(Agency.adcode, Agency.id))
        return [agency_dict(a) for a in rows]


__all__ = ["agency_dict", "create_agency", "list_agencies"]
