"""Agencies: only admins register them, each bound to a known division and kind, audited."""

from __future__ import annotations

import pytest

from smokewatch.cases.access import Actor, Role
from smokewatch.errors import Conflict, Forbidden, InvalidInput
from smokewatch.services import agencies, audit, users
from smokewatch.store import Store

ROOT = users.system_actor("tester")


def _county_lead(store: Store) -> dict[str, object]:
    return agencies.create_agency(
        store,
        agency_id="lead-340202",
        name="镜湖区金融办",
        kind="lead_department",
        adcode="340202",
        actor=ROOT,
    )


def test_a_registered_agency_is_listed_by_division_and_audited(store: Store) -> None:
    agencies.create_agency(
        store,
        agency_id="police-340200",
        name="芜湖市公安局经侦支队",
        kind="police",
        adcode="340200",
        sectors=["fundraising"],
        actor=ROOT,
    )
    created = _county_lead(store)
    assert created == {
        "id": "lead-340202",
        "name": "镜湖区金融办",
        "kind": "lead_department",
        "adcode": "340202",
        "sectors": [],
        "active": True,
    }
    assert [a["id"] for a in agencies.list_agencies(store)] == ["police-340200", "lead-340202"]
    assert agencies.list_agencies(store)[0]["sectors"] == ["fundraising"]
    assert [e["action"] for e in audit.history(store, "agency", "lead-340202")] == ["agency.create"]


def test_unknown_divisions_kinds_and_duplicate_ids_are_refused(store: Store) -> None:
    _county_lead(store)
    with pytest.raises(InvalidInput, match="division"):
        agencies.create_agency(
            store, agency_id="x", name="x", kind="police", adcode="999999", actor=ROOT
        )
    with pytest.raises(InvalidInput, match="agency kind"):
        agencies.create_agency(
            store, agency_id="x", name="x", kind="army", adcode="340202", actor=ROOT
        )
    with pytest.raises(Conflict):
        _county_lead(store)
    assert [a["id"] for a in agencies.list_agencies(store)] == ["lead-340202"]


def test_only_administrators_register_agencies(store: Store) -> None:
    analyst = Actor("li", frozenset({Role.LEAD}), None, "340202", frozenset())
    with pytest.raises(Forbidden):
        agencies.create_agency(
            store, agency_id="x", name="x", kind="police", adcode="340202", actor=analyst
        )
    assert agencies.list_agencies(store) == []
