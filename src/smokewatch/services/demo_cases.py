"""The demo's joint mechanism: agencies, one user per role, and cases at every stage.

``smokewatch demo init`` calls :func:`seed_mechanism` after scoring, so the web UI and the API
of the demo city show real-looking work: the lead offices of 安徽省, 芜湖市 and two of its
districts, the member agencies (market regulation, cyberspace, police, court) and two banks
as outposts; a user for each role with a documented demo password (:data:`DEMO_USERS`,
printed by ``demo init`` and listed in README); and planted cases (:data:`PLANTED_CASES`)
opened from the demo's highest alerts of each district (then its highest scored entities:
the demo city has few alerts per district) and taken through the workflow by those users —
a fresh clue, verification (one past its deadline), a determination, disposal,
a referral to the police with its handover receipt awaiting acknowledgement, a closed case,
a dismissed one, an escalated cross-district case with a designated lead region, and a clue
reported by a bank.

Everything goes through the ordinary services (rights, workflow, audit log). The steps are
dated back from the moment of seeding (``now``), so deadlines and the overdue flag are
meaningful on the day the demo is built. Given the same alerts and ``now``, the result is
the same (ids, stages, subjects, dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa

from smokewatch.cases.access import Actor
from smokewatch.errors import Conflict
from smokewatch.services import agencies, alerts, case_intake, cases, evidence, users
from smokewatch.services.case_intake import GRADE_ZH
from smokewatch.store.db import Store
from smokewatch.store.orm import Alert, AlertStatus, Score
from smokewatch.store.orm_cases import Agency

SMOKE_CARD: Final = "SW-S-0001"

DEMO_AGENCIES: Final = (
    # id, name, kind, division, sectors
    ("lead-340000", "安徽省地方金融管理局", "lead_department", "340000", ()),
    ("lead-340200", "芜湖市地方金融管理局", "lead_department", "340200", ()),
    ("lead-340202", "镜湖区金融工作办公室", "lead_department", "340202", ()),
    ("lead-340207", "鸠江区金融工作办公室", "lead_department", "340207", ()),
    ("amr-340202", "镜湖区市场监督管理局", "market_regulation", "340202", ()),
    ("cac-340200", "中共芜湖市委网络安全和信息化委员会办公室", "cyberspace", "340200", ()),
    ("police-340200", "芜湖市公安局经济犯罪侦查支队", "police", "340200", ()),
    ("police-340202", "芜湖市公安局镜湖分局经侦大队", "police", "340202", ()),
    ("court-340200", "芜湖市中级人民法院", "judiciary", "340200", ()),
    ("bank-icbc-340202", "中国工商银行芜湖镜湖支行", "bank", "340202", ()),
    ("bank-yzrcb-340200", "芜湖扬子农村商业银行", "bank", "340200", ()),
)
"""The agencies of the demo mechanism (ids, names, kinds, divisions, sectors)."""


@dataclass(frozen=True, slots=True)
class DemoUser:
    """A demo user: who, with which role in which agency, and the demo password."""

    id: str
    display_name: str
    role: str
    agency_id: str | None

    @property
    def password(self) -> str:
        """The documented demo password: ``demo-`` and the user id."""
        return f"demo-{self.id}"


DEMO_USERS: Final = (
    DemoUser("admin", "系统管理员", "admin", None),
    DemoUser("wuhu.lead", "王主任（市金融局）", "lead", "lead-340200"),
    DemoUser("jinghu.lead", "李科长（镜湖区金融办）", "lead", "lead-340202"),
    DemoUser("jiujiang.lead", "赵科长（鸠江区金融办）", "lead", "lead-340207"),
    DemoUser("jinghu.officer", "陈干事（镜湖区市场监管局）", "officer", "amr-340202"),
    DemoUser("court.viewer", "周法官（市中院）", "viewer", "court-340200"),
    DemoUser("jinghu.police", "刘警官（镜湖分局经侦）", "police", "police-340202"),
    DemoUser("icbc.reporter", "孙经理（工行镜湖支行）", "reporter", "bank-icbc-340202"),
)
"""One user per role (two district leads: cases cross district lines)."""

Step = tuple[int, str, str, dict[str, Any]]
"""(days before seeding, user id, action, fields)."""


@dataclass(frozen=True, slots=True)
class PlantedCase:
    """A case the demo plants: where, opened by whom and when, and the steps that follow."""

    key: str
    county: str
    opened_by: str
    opened_days_ago: int
    steps: tuple[Step, ...] = ()
    from_alert: bool = True
    title: str | None = None
    amount: str | None = None
    """The amount involved (涉案金额, yuan) the lead records once the activity is determined."""


RECEIPT: Final = "镜公经侦受〔2026〕第0417号"

PLANTED_CASES: Final = (
    PlantedCase("clue", "340202", "jinghu.lead", 2),
    PlantedCase(
        "verifying", "340202", "jinghu.lead", 12,
        ((10, "jinghu.lead", "verify", {"assignee": "jinghu.officer"}),),
    ),
    PlantedCase(
        "overdue", "340202", "jinghu.lead", 45,
        ((41, "jinghu.lead", "verify", {"assignee": "jinghu.officer"}),),
    ),
    PlantedCase(
        "determined", "340202", "jinghu.lead", 30,
        (
            (28, "jinghu.lead", "verify", {"assignee": "jinghu.officer"}),
            (5, "jinghu.officer", "determine", {"determination": "unlicensed_financial_business"}),
        ),
        amount="3860000.00",
    ),
    PlantedCase(
        "disposing", "340202", "jinghu.lead", 60,
        (
            (58, "jinghu.lead", "verify", {"assignee": "jinghu.officer"}),
            (40, "jinghu.officer", "determine", {"determination": "illegal_fundraising"}),
            (20, "jinghu.lead", "dispose", {"measures": ["warning_notice", "order_to_stop"]}),
        ),
        amount="12650000.00",
    ),
    PlantedCase(
        "referred", "340202", "jinghu.lead", 70,
        (
            (68, "jinghu.lead", "verify", {"assignee": "jinghu.officer"}),
            (50, "jinghu.officer", "determine", {"determination": "fundraising_fraud"}),
            (8, "jinghu.lead", "refer", {"to_agency": "police-340202", "receipt": RECEIPT}),
        ),
        amount="56300000.00",
    ),
    PlantedCase(
        "closed", "340202", "jinghu.lead", 150,
        (
            (148, "jinghu.lead", "verify", {"assignee": "jinghu.officer"}),
            (120, "jinghu.officer", "determine", {"determination": "illegal_fundraising"}),
            (110, "jinghu.lead", "dispose", {"measures": ["order_to_stop", "cleanup"]}),
            (60, "jinghu.lead", "start_aftermath", {}),
            (3, "jinghu.lead", "close", {"resolution": "cleaned_up"}),
        ),
        amount="2184500.00",
    ),
    PlantedCase(
        "dismissed", "340207", "jiujiang.lead", 20,
        (
            (18, "jiujiang.lead", "verify", {"assignee": "jiujiang.lead"}),
            (6, "jiujiang.lead", "dismiss", {"resolution": "false_positive"}),
        ),
    ),
    PlantedCase(
        "escalated", "340207", "jiujiang.lead", 25,
        (
            (23, "jiujiang.lead", "verify", {"assignee": "jiujiang.lead"}),
            (9, "jiujiang.lead", "escalate", {"reason": "资金流向镜湖区、鸠江区多地，跨区县"}),
            (7, "wuhu.lead", "designate_lead", {"lead_adcode": "340207"}),
        ),
    ),
    PlantedCase(
        "bank_report", "340202", "icbc.reporter", 1, from_alert=False,
        title="可疑交易报告：个人账户短期内大量分散转入、集中转出（疑似资金池）",
    ),
)  # fmt: skip
"""The planted cases, in the order they are opened."""


@dataclass(frozen=True, slots=True)
class SeededCase:
    """A planted case as seeded: its key, id, stage and subject."""

    key: str
    id: str
    status: str
    subject_id: str | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class Mechanism:
    """What :func:`seed_mechanism` made."""

    agencies: int
    users: tuple[DemoUser, ...]
    cases: tuple[SeededCase, ...]


@dataclass(frozen=True, slots=True)
class _Lead:
    """Where a planted case comes from: an open alert, else a scored entity of the district."""

    kind: str
    ref_id: str
    subject_id: str
    subject_table: str
    subject_name: str | None
    sector: str | None
    grade: str


def _leads(store: Store, county: str) -> list[_Lead]:
    """Open smoke-index alerts of a district, then its other scored entities.

    Each part highest first, ties by id (deterministic).
    """
    with store.read_session() as session:
        alerted = [
            _Lead("alert", a.id, a.subject_id, a.subject_table, a.subject_name, a.sector, a.grade)
            for a in session.scalars(
                sa.select(Alert)
                .where(
                    Alert.scorecard_id == SMOKE_CARD,
                    Alert.adcode == county,
                    Alert.status == AlertStatus.OPEN,
                )
                .order_by(Alert.score.desc(), Alert.id)
            )
        ]
        taken = {lead.subject_id for lead in alerted}
        scored = [
            _Lead("score", s.id, s.subject_id, s.subject_table, s.subject_name, s.sector, s.grade)
            for s in session.scalars(
                sa.select(Score)
                .where(
                    Score.scorecard_id == SMOKE_CARD,
                    Score.adcode == county,
                    Score.shadow.is_(False),
                )
                .order_by(Score.score.desc(), Score.as_of.desc(), Score.id)
                .limit(50)
            )
            if s.subject_id not in taken
        ]
    unique = {lead.subject_id: lead for lead in reversed(scored)}  # the highest per entity
    return alerted + sorted(unique.values(), key=scored.index)


def _seed_people(store: Store, root: Actor) -> None:
    with store.read_session() as session:
        if session.get(Agency, DEMO_AGENCIES[0][0]) is not None:
            raise Conflict("the demo mechanism is already seeded in this store")
    for agency_id, name, kind, adcode, sectors in DEMO_AGENCIES:
        agencies.create_agency(
            store,
            agency_id=agency_id,
            name=name,
            kind=kind,
            adcode=adcode,
            sectors=sectors,
            actor=root,
        )
    for user in DEMO_USERS:
        users.create_user(
            store,
            user_id=user.id,
            display_name=user.display_name,
            password=user.password,
            roles=[user.role],
            agency_id=user.agency_id,
            actor=root,
        )


def _open(
    store: Store, plant: PlantedCase, actor: Actor, lead: _Lead | None, when: datetime
) -> str:
    if lead is None:
        title = plant.title or "群众举报：承诺高额回报吸收资金"
        opened = cases.open_case(
            store,
            actor,
            title=title,
            jurisdiction=plant.county,
            links=[("report", f"STR-{plant.county}-{when:%Y%m%d}-{plant.key}")],
            now=when,
        )
        return str(opened["id"])
    name = lead.subject_name or lead.subject_id
    opened = cases.open_case(
        store,
        actor,
        title=f"{name}：冒烟指数{GRADE_ZH.get(lead.grade, lead.grade)}"
        + ("预警" if lead.kind == "alert" else "，研判"),
        jurisdiction=plant.county,
        subject_id=lead.subject_id,
        subject_table=lead.subject_table,
        subject_name=lead.subject_name,
        sector=lead.sector,
        links=[(lead.kind, lead.ref_id), ("entity", lead.subject_id)],
        now=when,
    )
    if lead.kind == "alert":
        alerts.acknowledge_alert(store, lead.ref_id, actor=actor, note=f"case {opened['id']}")
    return str(opened["id"])


def seed_mechanism(
    store: Store, evidence_dir: Path, *, now: datetime | None = None, root: str = "demo"
) -> Mechanism:
    """Seed the demo's agencies, users and planted cases into a store that holds its alerts.

    Each planted case takes the next highest open alert of its district, else its next
    highest scored entity (a case with neither left is opened as a hand-entered clue, so a
    small demo still shows every stage).

    Raises:
        Conflict: the store already holds the demo's agencies.
    """
    now = now or datetime.now(UTC)
    admin = users.system_actor(root)
    _seed_people(store, admin)
    actors = {u.id: users.actor_for_user(store, u.id) for u in DEMO_USERS}
    pools = {county: _leads(store, county) for county in {p.county for p in PLANTED_CASES}}
    seeded: list[SeededCase] = []
    for plant in PLANTED_CASES:
        pool = pools[plant.county]
        lead = pool.pop(0) if plant.from_alert and pool else None
        when = now - timedelta(days=plant.opened_days_ago)
        case_id = _open(store, plant, actors[plant.opened_by], lead, when)
        for days_ago, user_id, action, fields in plant.steps:
            cases.act(
                store, actors[user_id], case_id, action, fields, now=now - timedelta(days=days_ago)
            )
        if plant.amount is not None:
            case_intake.update_case(
                store, actors[plant.opened_by], case_id, amount_involved=plant.amount
            )
        if plant.key == "referred":
            evidence.attach_file(
                store,
                actors[plant.opened_by],
                case_id,
                f"移送函回执 {RECEIPT}\n接收单位：芜湖市公安局镜湖分局经侦大队\n".encode(),
                "移送回执.txt",
                evidence_dir=evidence_dir,
            )
        case = cases.get_case(store, admin, case_id)
        seeded.append(
            SeededCase(
                plant.key,
                case_id,
                str(case["status"]),
                case["subject_id"],
                bool(case["due_on"] is not None and now.date() > case["due_on"]),
            )
        )
    with store.read_session() as session:
        agencies = session.execute(sa.select(sa.func.count()).select_from(Agency)).scalar_one()
    return Mechanism(int(agencies), DEMO_USERS, tuple(seeded))


__all__ = [
    "DEMO_AGENCIES",
    "DEMO_USERS",
    "PLANTED_CASES",
    "DemoUser",
    "Mechanism",
    "PlantedCase",
    "SeededCase",
    "seed_mechanism",
]
