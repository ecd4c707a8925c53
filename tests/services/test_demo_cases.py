"""The demo's joint mechanism: agencies, a user per role, planted cases at every stage."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from smokewatch.cases.access import Role
from smokewatch.errors import Conflict
from smokewatch.services import agencies, audit, cases, users
from smokewatch.services.demo_cases import (
    DEMO_AGENCIES,
    DEMO_USERS,
    PLANTED_CASES,
    RECEIPT,
    Mechanism,
    seed_mechanism,
)
from smokewatch.store import repos, scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, AlertStatus

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
SCORES = {"340202": [91.0, 88.5, 80.0, 77.0, 75.5, 71.0, 66.0, 62.5, 58.0], "340207": [83.0, 70.0]}
"""Open alerts of the demo's two districts: more in 镜湖区 than cases, as in the demo city."""


def _alerts(store: Store) -> None:
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="sco-1", kind="score")
        repos.finish_run(session, "sco-1", status="succeeded")
        for county, scores in SCORES.items():
            for n, score in enumerate(scores):
                subject = f"ent-{county}-{n}"
                session.add(
                    Alert(
                        id=f"al-{subject}",
                        subject_id=subject,
                        subject_table="enterprise",
                        subject_name=f"芜湖{county}{n}号财富管理有限公司",
                        scorecard_id="SW-S-0001",
                        scorecard_version=1,
                        grade="red" if score >= 80 else "orange",
                        last_grade="red" if score >= 80 else "orange",
                        score=score,
                        as_of=date(2026, 11, 1),
                        status=AlertStatus.OPEN,
                        raised_at=NOW,
                        raised_run_id="sco-1",
                        updated_at=NOW,
                        last_run_id="sco-1",
                        adcode=county,
                        sector="L7243",
                        reason_zh="名称含“财富管理”",
                        reason_en="Name contains 财富管理",
                    )
                )
                session.flush()
                scoring.add_alert_event(session, f"al-{subject}", "raised", grade="red")


def _seed(store: Store, folder: Path) -> Mechanism:
    _alerts(store)
    return seed_mechanism(store, folder / "evidence", now=NOW)


@pytest.fixture
def seeded(store: Store, tmp_path: Path) -> Mechanism:
    return _seed(store, tmp_path)


def test_every_role_has_a_demo_user_who_signs_in_with_the_documented_password(
    store: Store, seeded: Mechanism
) -> None:
    assert {u.role for u in seeded.users} == {r.value for r in Role}
    assert seeded.agencies == len(DEMO_AGENCIES)
    for user in DEMO_USERS:
        assert user.password == f"demo-{user.id}"
        assert users.sign_in(store, user.id, user.password).secret.startswith("swt_")


def test_the_mechanism_has_province_city_and_district_leads_members_and_two_banks(
    store: Store, seeded: Mechanism
) -> None:
    kinds = {(a["kind"], a["adcode"]) for a in agencies.list_agencies(store)}
    leads = {code for kind, code in kinds if kind == "lead_department"}
    assert {"340000", "340200", "340202", "340207"} <= leads
    members = {kind for kind, _ in kinds}
    assert {"market_regulation", "cyberspace", "police", "judiciary"} <= members
    assert sum(kind == "bank" for kind, _ in kinds) == 2


def test_planted_cases_reach_every_stage_and_one_is_overdue(seeded: Mechanism) -> None:
    stages = {c.key: c.status for c in seeded.cases}
    assert stages == {
        "clue": "clue",
        "verifying": "verifying",
        "overdue": "verifying",
        "determined": "determined",
        "disposing": "disposing",
        "referred": "referred",
        "closed": "closed",
        "dismissed": "dismissed",
        "escalated": "verifying",
        "bank_report": "clue",
    }
    assert [c.key for c in seeded.cases if c.overdue] == ["overdue"]


def test_cases_are_opened_from_the_highest_alerts_of_their_district(
    store: Store, seeded: Mechanism
) -> None:
    subjects = {c.key: c.subject_id for c in seeded.cases}
    assert subjects["clue"] == "ent-340202-0"  # the highest score of 镜湖区
    assert subjects["verifying"] == "ent-340202-1"
    assert subjects["dismissed"] == "ent-340207-0"
    assert subjects["bank_report"] is None
    root = users.system_actor("tests")
    clue = cases.get_case(store, root, seeded.cases[0].id)
    assert {(e["kind"], e["ref_id"]) for e in clue["evidence"]} == {
        ("alert", "al-ent-340202-0"),
        ("entity", "ent-340202-0"),
    }


def test_the_referral_carries_its_receipt_and_waits_for_the_police(
    store: Store, seeded: Mechanism
) -> None:
    referred = next(c for c in seeded.cases if c.key == "referred")
    police = users.actor_for_user(store, "jinghu.police")
    case = cases.get_case(store, police, referred.id)
    assert case["referral_receipt"] == RECEIPT
    assert case["referred_to"] == "police-340202"
    assert case["actions"] == ["acknowledge"]
    assert any(e["kind"] == "file" for e in case["evidence"])
    seen, _ = cases.list_cases(store, police)
    assert [c["id"] for c in seen] == [referred.id]


def test_the_bank_sees_only_its_own_report_and_the_city_lead_sees_every_case(
    store: Store, seeded: Mechanism
) -> None:
    bank = users.actor_for_user(store, "icbc.reporter")
    seen, _ = cases.list_cases(store, bank)
    assert [c["id"] for c in seen] == [c.id for c in seeded.cases if c.key == "bank_report"]
    city = users.actor_for_user(store, "wuhu.lead")
    _, total = cases.list_cases(store, city)
    assert total == len(seeded.cases)


def test_the_escalated_case_belongs_to_the_city_with_a_designated_lead_district(
    store: Store, seeded: Mechanism
) -> None:
    escalated = next(c for c in seeded.cases if c.key == "escalated")
    case = cases.get_case(store, users.system_actor("tests"), escalated.id)
    assert (case["jurisdiction"], case["lead_adcode"], case["escalated"]) == (
        "340200",
        "340207",
        True,
    )


def test_every_step_is_in_the_audit_log_and_the_chain_holds(
    store: Store, seeded: Mechanism
) -> None:
    check = audit.verify(store)
    assert check.intact
    assert check.entries > sum(1 + len(p.steps) for p in PLANTED_CASES)


def test_seeding_is_deterministic(tmp_path: Path) -> None:
    def listing(folder: Path) -> list[tuple[object, ...]]:
        store = Store(f"sqlite:///{folder / 'store.sqlite'}")
        store.upgrade()
        _seed(store, folder)
        rows, _ = cases.list_cases(store, users.system_actor("tests"), today=NOW.date())
        store.dispose()
        return sorted(
            (c["id"], c["status"], c["subject_id"], c["due_on"], c["overdue"], c["opened_at"])
            for c in rows
        )

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert listing(tmp_path / "a") == listing(tmp_path / "b")


def test_seeding_twice_is_refused(store: Store, seeded: Mechanism, tmp_path: Path) -> None:
    with pytest.raises(Conflict, match="already seeded"):
        seed_mechanism(store, tmp_path / "evidence", now=NOW)
