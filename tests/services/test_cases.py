"""Cases through the service: who may open, see and move them; facts checked; all audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from smokewatch.cases.access import Actor, can_view
from smokewatch.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from smokewatch.services import agencies, audit, cases, evidence, users
from smokewatch.store import Store
from smokewatch.store.orm_cases import Case

ROOT = users.system_actor("tester")
AGENCIES = [
    ("lead-340200", "芜湖市地方金融管理局", "lead_department", "340200", ()),
    ("lead-340202", "镜湖区金融办", "lead_department", "340202", ()),
    ("lead-340207", "鸠江区金融办", "lead_department", "340207", ()),
    ("amr-340202", "镜湖区市场监管局", "market_regulation", "340202", ("J66", "L72")),
    ("police-340202", "镜湖区公安分局经侦大队", "police", "340202", ()),
    ("bank-icbc", "工商银行芜湖分行", "bank", "340200", ()),
]
USERS = [
    ("city", ["lead"], "lead-340200"),
    ("jinghu", ["lead"], "lead-340202"),
    ("jiujiang", ["lead"], "lead-340207"),
    ("amr", ["officer"], "amr-340202"),
    ("police", ["police"], "police-340202"),
    ("bank", ["reporter"], "bank-icbc"),
]


@pytest.fixture
def people(store: Store) -> dict[str, Actor]:
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
            password="long enough password",
            roles=roles,
            agency_id=agency,
            actor=ROOT,
        )
    return {user_id: users.actor_for_user(store, user_id) for user_id, _, _ in USERS}


def _open(store: Store, actor: Actor, jurisdiction: str = "340202", **extra: object) -> str:
    case = cases.open_case(
        store,
        actor,
        title="鑫源财富涉嫌非法集资",
        jurisdiction=jurisdiction,
        subject_id="e1",
        **extra,
    )  # type: ignore[arg-type]
    return str(case["id"])


def test_a_county_opens_cases_in_its_county_only(store: Store, people: dict[str, Actor]) -> None:
    case_id = _open(store, people["jinghu"])
    assert case_id == "C-340202-" + case_id.split("-")[2] + "-0001"
    with pytest.raises(Forbidden, match="outside your jurisdiction"):
        _open(store, people["jinghu"], "340207")
    with pytest.raises(Forbidden, match="may not open"):
        _open(store, people["police"])
    assert _open(store, people["city"], "340207").startswith("C-340207-")


def test_a_case_goes_through_the_agencies_that_own_each_step(
    store: Store, people: dict[str, Actor]
) -> None:
    case_id = _open(store, people["jinghu"], sector="J66")
    cases.act(store, people["jinghu"], case_id, "verify", {"assignee": "amr"})
    cases.act(store, people["amr"], case_id, "determine", {"determination": "illegal_fundraising"})
    referred = cases.act(
        store,
        people["amr"],
        case_id,
        "refer",
        {"to_agency": "police-340202", "receipt": "移送-001"},
    )
    assert referred["actions"] == ["assign"]  # aftermath waits for the police
    with pytest.raises(Forbidden, match="may not acknowledge"):
        cases.act(store, people["jinghu"], case_id, "acknowledge")
    police_view = cases.act(store, people["police"], case_id, "acknowledge")
    assert police_view["referral_acknowledged_at"] is not None
    cases.act(store, people["jinghu"], case_id, "start_aftermath")
    closed = cases.act(
        store, people["jinghu"], case_id, "close", {"resolution": "referred_to_police"}
    )
    assert closed["status"] == "closed" and closed["due_on"] is None
    history = [h["action"] for h in cases.get_case(store, people["city"], case_id)["history"]]
    assert history == [
        "open",
        "verify",
        "determine",
        "refer",
        "acknowledge",
        "start_aftermath",
        "close",
    ]
    audited = [e["action"] for e in audit.history(store, "case", case_id)]
    assert audited == [
        "case.open",
        "case.verify",
        "case.determine",
        "case.refer",
        "case.refused",  # the lead's attempt to acknowledge
        "case.acknowledge",
        "case.start_aftermath",
        "case.close",
    ]
    assert audit.verify(store).intact


def test_facts_the_store_knows_are_checked(store: Store, people: dict[str, Actor]) -> None:
    case_id = _open(store, people["jinghu"])
    with pytest.raises(InvalidInput, match="cannot see this case"):
        cases.act(store, people["jinghu"], case_id, "verify", {"assignee": "jiujiang"})
    with pytest.raises(InvalidInput, match="no active user"):
        cases.act(store, people["jinghu"], case_id, "verify", {"assignee": "ghost"})
    cases.act(store, people["jinghu"], case_id, "verify", {"assignee": "jinghu"})
    cases.act(
        store, people["jinghu"], case_id, "determine", {"determination": "illegal_fundraising"}
    )
    with pytest.raises(InvalidInput, match="not a police agency"):
        cases.act(
            store, people["jinghu"], case_id, "refer", {"to_agency": "amr-340202", "receipt": "r"}
        )


def test_refusals_change_nothing(store: Store, people: dict[str, Actor]) -> None:
    case_id = _open(store, people["jinghu"])
    before = cases.get_case(store, people["jinghu"], case_id)
    with pytest.raises(InvalidTransition):
        cases.act(store, people["jinghu"], case_id, "close", {"resolution": "disposed"})
    with pytest.raises(Forbidden):
        cases.act(store, people["amr"], case_id, "dismiss", {"resolution": "no_violation"})
    with pytest.raises(NotFound):
        cases.act(store, people["jiujiang"], case_id, "verify", {"assignee": "jiujiang"})
    after = cases.get_case(store, people["jinghu"], case_id)
    assert (after["version"], after["history"]) == (before["version"], before["history"])


def test_a_refusal_is_the_only_trace_a_refused_action_leaves(
    store: Store, people: dict[str, Actor]
) -> None:
    case_id = _open(store, people["jinghu"])
    with pytest.raises(InvalidTransition):
        cases.act(store, people["jinghu"], case_id, "close", {"resolution": "disposed"})
    with pytest.raises(NotFound):  # invisible: nothing is recorded about a hidden case
        cases.act(store, people["jiujiang"], case_id, "verify", {"assignee": "jiujiang"})
    entries = audit.history(store, "case", case_id)
    assert [e["action"] for e in entries] == ["case.open", "case.refused"]
    assert entries[-1]["actor"] == "jinghu"
    assert entries[-1]["detail"]["action"] == "close"
    assert entries[-1]["detail"]["kind"] == "InvalidTransition"


def test_a_stale_version_is_a_conflict(store: Store, people: dict[str, Actor]) -> None:
    case_id = _open(store, people["jinghu"])
    cases.act(
        store, people["jinghu"], case_id, "assign", {"assignee": "jinghu"}, expected_version=1
    )
    with pytest.raises(Conflict, match="changed"):
        cases.act(
            store, people["jinghu"], case_id, "assign", {"assignee": "jinghu"}, expected_version=1
        )


def test_escalation_moves_ownership_up_and_the_city_designates_the_lead(
    store: Store, people: dict[str, Actor]
) -> None:
    case_id = _open(store, people["jinghu"])
    with pytest.raises(Forbidden, match="own level"):
        cases.act(store, people["city"], case_id, "escalate", {"reason": "跨区"})
    cases.act(store, people["jinghu"], case_id, "escalate", {"reason": "涉及鸠江区投资人"})
    with pytest.raises(NotFound):  # the county no longer owns it
        cases.get_case(store, people["jinghu"], case_id)
    cases.act(store, people["city"], case_id, "designate_lead", {"lead_adcode": "340207"})
    assert cases.get_case(store, people["jiujiang"], case_id)["lead_adcode"] == "340207"


def test_each_actor_lists_exactly_the_cases_it_can_see(
    store: Store, people: dict[str, Actor]
) -> None:
    opened = [
        _open(store, people["jinghu"], sector="J66"),
        _open(store, people["jinghu"], sector="I64"),
        _open(store, people["jiujiang"], "340207"),
        _open(store, people["bank"], "340202"),
    ]
    referred = opened[0]
    cases.act(store, people["jinghu"], referred, "verify", {"assignee": "jinghu"})
    cases.act(
        store, people["jinghu"], referred, "determine", {"determination": "illegal_fundraising"}
    )
    cases.act(
        store, people["jinghu"], referred, "refer", {"to_agency": "police-340202", "receipt": "r"}
    )
    with store.read_session() as session:
        rows = {c.id: cases.scope_of(c) for c in session.query(Case).all()}
    for actor in [*people.values(), ROOT]:
        listed, total = cases.list_cases(store, actor, limit=100)
        expected = {case_id for case_id, scope in rows.items() if can_view(actor, scope)}
        assert {c["id"] for c in listed} == expected, actor.user_id
        assert total == len(expected)
    assert {c["id"] for c in cases.list_cases(store, people["bank"])[0]} == {opened[3]}
    assert {c["id"] for c in cases.list_cases(store, people["police"])[0]} == {referred}


def test_evidence_must_exist_and_files_are_typed_by_their_bytes(
    store: Store, people: dict[str, Actor], tmp_path: Path
) -> None:
    case_id = _open(store, people["jinghu"], links=[("entity", "e1")])
    with pytest.raises(InvalidInput, match="no alert"):
        cases.add_evidence(store, people["jinghu"], case_id, "alert", "al-missing")
    pdf = b"%PDF-1.7\n" + b"x" * 100
    first = evidence.attach_file(
        store, people["jinghu"], case_id, pdf, "询问笔录.pdf", evidence_dir=tmp_path / "evidence"
    )
    again = evidence.attach_file(
        store, people["jinghu"], case_id, pdf, "copy.pdf", evidence_dir=tmp_path / "evidence"
    )
    assert first["sha256"] == again["sha256"] and first["media_type"] == "application/pdf"
    assert len(list((tmp_path / "evidence").rglob("*"))) == 2  # one folder, one file
    with pytest.raises(InvalidInput, match="never accepted"):
        evidence.attach_file(
            store,
            people["jinghu"],
            case_id,
            b"MZ\x90\x00",
            "report.pdf",
            evidence_dir=tmp_path / "evidence",
        )
    path, info = evidence.open_file(
        store, people["city"], case_id, str(first["sha256"]), evidence_dir=tmp_path / "evidence"
    )
    assert path.read_bytes() == pdf and info.original_name == "询问笔录.pdf"
    with pytest.raises(NotFound):
        evidence.open_file(
            store,
            people["jiujiang"],
            case_id,
            str(first["sha256"]),
            evidence_dir=tmp_path / "evidence",
        )
    kinds = [e["kind"] for e in cases.get_case(store, people["jinghu"], case_id)["evidence"]]
    assert kinds == ["entity", "file"]
    assert "case.file_download" in [e["action"] for e in audit.history(store, "case", case_id)]
