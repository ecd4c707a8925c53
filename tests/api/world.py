"""A small monitored world for API tests: agencies, one user per role, entities in two counties.

``IN`` (镜湖区 340202) is the county of the county-level users and of the bank branch that
reports; ``OUT`` (鸠江区 340207) is another county of the same city, the workspace's
(340200). Entities get a score (with contributions and evidence), an open alert and a
finding, routed to their county and to sector L7243 (the officer's agency covers L72).
Every helper makes fresh objects, so each test (and each cell of the permission matrix)
starts from its own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from smokewatch.cases.access import Actor
from smokewatch.services import agencies, cases, evidence, users
from smokewatch.settings import Settings
from smokewatch.store import repos, scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, AlertStatus

IN, OUT = "340202", "340207"
SECTOR = "L7243"
DAY = date(2026, 11, 1)
PASSWORD = "long enough password"
ROOT = users.system_actor("tests")
ROLES = ("admin", "city", "lead", "officer", "viewer", "police", "reporter")
"""The users of the matrix: one per role (city and lead are both leads, at two levels)."""

AGENCIES = [
    ("lead-340200", "芜湖市地方金融管理局", "lead_department", "340200", ()),
    ("lead-340202", "镜湖区金融办", "lead_department", IN, ()),
    ("lead-340207", "鸠江区金融办", "lead_department", OUT, ()),
    ("amr-340202", "镜湖区市场监管局", "market_regulation", IN, ("L72",)),
    ("police-340202", "镜湖区公安分局经侦大队", "police", IN, ()),
    ("police-340207", "鸠江区公安分局经侦大队", "police", OUT, ()),
    ("bank-icbc", "工商银行芜湖镜湖支行", "bank", IN, ()),
]
USERS = [
    ("admin", ["admin"], None),
    ("city", ["lead"], "lead-340200"),
    ("lead", ["lead"], "lead-340202"),
    ("officer", ["officer"], "amr-340202"),
    ("viewer", ["viewer"], "lead-340202"),
    ("police", ["police"], "police-340202"),
    ("reporter", ["reporter"], "bank-icbc"),
    ("jiujiang", ["lead"], "lead-340207"),
]
PHONE = "13800138000"


@dataclass
class World:
    """The store, the app's client, each role's token and actor, and counters for ids."""

    store: Store
    settings: Settings
    client: TestClient
    tokens: dict[str, str]
    actors: dict[str, Actor]
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def headers(self, role: str) -> dict[str, str]:
        """The Authorization header of a role's user."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def call(self, role: str | None, method: str, path: str, **kwargs: Any) -> Any:
        """A request as the role's user (``None``: without a token)."""
        headers = self.headers(role) if role else {}
        return self.client.request(method, path, headers=headers, **kwargs)

    def next(self, prefix: str) -> str:
        """A fresh id."""
        return f"{prefix}{next(self.ids)}"

    @property
    def evidence_dir(self) -> Path:
        """Where the app keeps evidence files."""
        return self.settings.workspace / "evidence"


def populate(store: Store) -> dict[str, Actor]:
    """Agencies, users, and the detect and score runs entities hang from."""
    for agency_id, name, kind, adcode, sectors in AGENCIES:
        agencies.create_agency(
            store,
            agency_id=agency_id,
            name=name,
            kind=kind,
            adcode=adcode,
            sectors=sectors,
            actor=ROOT,
        )
    for user_id, roles, agency in USERS:
        users.create_user(
            store,
            user_id=user_id,
            display_name=user_id,
            password=PASSWORD,
            roles=roles,
            agency_id=agency,
            actor=ROOT,
        )
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest", source_id="registry")
        repos.add_rejects(
            session,
            "ing-1",
            [
                {
                    "source_id": "registry",
                    "row_number": 7,
                    "reason": "USCC check character",
                    "column": "uscc",
                    "raw": {"phone": PHONE, "name": "芜湖某公司"},
                }
            ],
        )
        repos.finish_run(session, "ing-1", status="succeeded", stats={"rows_loaded": 3})
        repos.add_run(session, run_id="det-1", kind="detect")
        repos.finish_run(session, "det-1", status="succeeded")
        repos.add_run(session, run_id="sco-1", kind="score")
        repos.finish_run(session, "sco-1", status="succeeded")
    return {user_id: users.actor_for_user(store, user_id) for user_id, _, _ in USERS}


def entity(world: World, where: str, *, grade: str = "red", sector: str = SECTOR) -> str:
    """A fresh entity in a county with a finding, a score and an open alert; its id."""
    subject = world.next(f"ent-{where}-")
    name = f"芜湖{subject}财富管理有限公司"
    evidence_text = f"广告留有联系电话 {PHONE}"
    with world.store.unit_of_work() as session:
        repos.replace_findings(
            session,
            "det-1",
            [
                {
                    "id": f"f-{subject}",
                    "subject_id": subject,
                    "subject_table": "enterprise",
                    "subject_name": name,
                    "rule_id": "SW-R-0001",
                    "rule_version": 1,
                    "severity": "high",
                    "band": "binding_word",
                    "reason_zh": "名称含“财富管理”",
                    "reason_en": "Name contains 财富管理",
                    "metrics": {"words": ["财富管理"]},
                    "evidence": [{"field": "ad", "text": evidence_text}],
                    "as_of": DAY,
                    "shadow": False,
                    "engine": "duckdb",
                    "adcode": where,
                    "sector": sector,
                }
            ],
        )
        scoring.replace_scores(
            session,
            "sco-1",
            [
                {
                    "id": f"sc-{subject}",
                    "subject_id": subject,
                    "subject_table": "enterprise",
                    "subject_name": name,
                    "scorecard_id": "SW-S-0001",
                    "scorecard_version": 1,
                    "as_of": DAY,
                    "score": 72.5,
                    "grade": grade,
                    "dimensions": {"compliance": 40.0, "lure": 32.5},
                    "contributions": [
                        {
                            "kind": "component",
                            "dimension": "compliance",
                            "component": "binding_word",
                            "source": "SW-R-0001@1",
                            "points": 40.0,
                            "reason_zh": "名称含“财富管理”",
                            "reason_en": "Name contains 财富管理",
                            "evidence": [f"f-{subject}"],
                            "band": "binding_word",
                            "probability": None,
                        },
                        {
                            "kind": "component",
                            "dimension": "lure",
                            "component": "promise",
                            "source": "SW-R-0102@1",
                            "points": 32.5,
                            "reason_zh": evidence_text,
                            "reason_en": f"Ad with phone {PHONE}",
                            "evidence": [],
                            "band": "guarantee",
                            "probability": None,
                        },
                    ],
                    "shadow": False,
                    "adcode": where,
                    "sector": sector,
                }
            ],
        )
        now = datetime.now(UTC)
        session.add(
            Alert(
                id=f"al-{subject}",
                subject_id=subject,
                subject_table="enterprise",
                subject_name=name,
                scorecard_id="SW-S-0001",
                scorecard_version=1,
                grade=grade,
                last_grade=grade,
                score=72.5,
                as_of=DAY,
                status=AlertStatus.OPEN,
                raised_at=now,
                raised_run_id="sco-1",
                updated_at=now,
                last_run_id="sco-1",
                adcode=where,
                sector=sector,
                reason_zh="名称含“财富管理”",
                reason_en="Name contains 财富管理",
            )
        )
        scoring.add_alert_event(session, f"al-{subject}", "raised", grade=grade, run_id="sco-1")
    return subject


def referred_case(world: World, where: str, subject_id: str | None = None) -> str:
    """A case in a county, referred to that county's police; in ``IN`` opened by the bank."""
    opener = world.actors["reporter"] if where == IN else ROOT
    case = cases.open_case(
        world.store,
        opener,
        title=f"{subject_id or 'clue'} 涉嫌非法集资（联系电话 {PHONE}）",
        jurisdiction=where,
        subject_id=subject_id,
        subject_table="enterprise" if subject_id else None,
        sector=SECTOR,
    )
    case_id = str(case["id"])
    cases.act(world.store, ROOT, case_id, "verify", {"assignee": "admin"})
    cases.act(world.store, ROOT, case_id, "determine", {"determination": "illegal_fundraising"})
    cases.act(
        world.store,
        ROOT,
        case_id,
        "refer",
        {"to_agency": f"police-{where}", "receipt": world.next("移送-")},
    )
    return case_id


def case_with_file(world: World, where: str) -> tuple[str, str]:
    """A referred case holding a small text file; the case id and the file's SHA-256."""
    case_id = referred_case(world, where)
    stored = evidence.attach_file(
        world.store,
        ROOT,
        case_id,
        "举报材料：收益承诺每月 3%".encode("gb18030"),
        "举报材料.txt",
        evidence_dir=world.evidence_dir,
    )
    return case_id, str(stored["sha256"])


def fresh_token(world: World, user_id: str) -> tuple[str, str]:
    """A new API token of a user: its id and secret."""
    issued = users.issue_token(world.store, user_id, name="test", days=1, actor=ROOT)
    return issued.id, issued.secret


__all__ = [
    "IN",
    "OUT",
    "PASSWORD",
    "PHONE",
    "ROLES",
    "ROOT",
    "World",
    "case_with_file",
    "entity",
    "fresh_token",
    "populate",
    "referred_case",
]
