"""Score runs: indices from findings (direct, through documents and through bank accounts),
stored with routing;
alerts raised once, risen, snoozed, woken, closed and reopened; shadow cards raise nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smokewatch.errors import ConfigError, Conflict, InvalidInput
from smokewatch.services import alerts as alert_service
from smokewatch.services.scores import score
from smokewatch.services.workspace import init_workspace, open_engine, open_store
from smokewatch.settings import Settings, load_settings
from smokewatch.store import scoring
from smokewatch.store.db import Store
from tests.model.builders import typed_table

DAY = date(2026, 11, 1)
USCC = "91340200MA2N0XQ01A"


@pytest.fixture
def ws(tmp_path: Path) -> Settings:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200")
    return load_settings(root)


def _finding(
    fid: str, rule: str, band: str, subject: str, table: str = "enterprise", **extra: Any
) -> dict[str, Any]:
    return {
        "id": fid,
        "subject_id": subject,
        "subject_table": table,
        "subject_name": extra.pop("subject_name", None),
        "rule_id": rule,
        "rule_version": 1,
        "severity": "high",
        "band": band,
        "reason_zh": f"{rule}:{band}",
        "reason_en": f"{rule}:{band}",
        "metrics": "{}",
        "evidence": "[]",
        "as_of": DAY,
        "shadow": extra.pop("shadow", False),
        "run_id": "det-test",
        "engine": "duckdb",
    }


ENTERPRISES = [
    {
        "id": "e1",
        "uscc": USCC,
        "name": "芜湖鑫源财富管理有限公司",
        "adcode": "340202",
        "industry_code": "J6620",
    },
    {"id": "e2", "name": "芜湖惠民养老服务有限公司", "adcode": "340207", "industry_code": "O8010"},
    {"id": "e3", "name": "芜湖聚宝农业专业合作社", "adcode": "340221"},
]
DOCUMENTS = [
    {"id": "d1", "kind": "ad", "text": "保本保息", "subject_uscc": USCC},
    {"id": "d2", "kind": "ad", "text": "年化36%", "subject_name": "芜湖惠民养老服务有限公司"},
    {"id": "d3", "kind": "news", "text": "涉嫌非法吸收公众存款被立案侦查"},
]


ACCOUNTS = [
    {"id": "a1", "account_number": "6222020000000001", "enterprise_uscc": USCC},
    {"id": "a2", "account_number": "6222020000000002", "enterprise_uscc": USCC},
    {"id": "a3", "account_number": "6222020000000003", "holder_name": "个人"},
]


def _load(settings: Settings, findings: list[dict[str, Any]]) -> None:
    with open_engine(settings) as engine:
        engine.replace_tables(
            {
                "enterprise": typed_table("enterprise", ENTERPRISES),
                "document": typed_table("document", DOCUMENTS),
                "account": typed_table("account", ACCOUNTS),
                "finding": typed_table("finding", findings),
            }
        )


@pytest.fixture
def store(ws: Settings) -> Iterator[Store]:
    with open_store(ws) as opened:
        yield opened


FINDINGS = [
    _finding("f1", "SW-R-0001", "binding_word", "e1"),
    _finding("f2", "SW-R-0102", "guarantee", "d1", "document"),
    _finding("f3", "SW-R-0101", "above_legal_ceiling", "d2", "document"),
    _finding(
        "f4",
        "SW-R-0104",
        "case_or_collapse",
        "d3",
        "document",
        subject_name="芜湖聚宝农业专业合作社",
    ),
]


def test_findings_reach_entities_directly_and_through_their_documents(
    ws: Settings, store: Store
) -> None:
    _load(ws, FINDINGS)
    summary = score(ws, as_of=DAY)
    card, *others = summary.cards
    assert card.scorecard == "SW-S-0001@3" and card.scored == 3
    # The platform index and the local-lender rating have no table to score in this workspace.
    assert [(c.scorecard, bool(c.skipped)) for c in others] == [
        ("SW-S-0002@1", True),
        ("SW-S-0003@3", True),
    ]
    page = alert_service.list_scores(store)
    by_id = {s["subject_id"]: s for s in page.scores}
    assert by_id["e1"]["smoke_index"] == 15 + 18  # name word + guarantee ad found by USCC
    assert by_id["e2"]["dimensions"]["return_deviation"] == 22  # ad found by exact name
    assert by_id["e3"]["grade"] == "orange"  # event found by the name in the news text
    assert (by_id["e1"]["adcode"], by_id["e1"]["sector"]) == ("340202", "J6620")


def test_findings_on_bank_accounts_reach_the_enterprise_holding_them(
    ws: Settings, store: Store
) -> None:
    _load(
        ws,
        [
            _finding("f1", "SW-R-0306", "gather_scatter", "6222020000000001", "account"),
            _finding("f2", "SW-R-0307", "cycle", "6222020000000002", "account"),
            _finding("f3", "SW-R-0301", "pool", "6222020000000003", "account"),
            _finding("f4", "SW-R-0307", "cycle", "6222020000000001", "account", shadow=True),
        ],
    )
    score(ws, as_of=DAY)
    by_id = {s["subject_id"]: s for s in alert_service.list_scores(store).scores}
    # gather-scatter (8) and a cycle (8) on two of e1's accounts; a fund pool on a private
    # account reaches nobody, and a shadow finding never counts
    assert set(by_id) == {"e1"}
    assert by_id["e1"]["dimensions"]["fund_anomaly"] == 8 + 8


def test_the_contributions_shown_add_up_to_the_index(ws: Settings, store: Store) -> None:
    _load(ws, FINDINGS)
    score(ws, as_of=DAY)
    shown = alert_service.show_scores(store, "e3")
    assert sum(c["points"] for c in shown["contributions"]) == pytest.approx(shown["smoke_index"])
    assert [c["kind"] for c in shown["contributions"]] == ["component", "floor"]
    assert shown["contributions"][0]["evidence"] == ["f4"]
    assert shown["history"] == [{"as_of": DAY, "smoke_index": 55.0, "grade": "orange"}]


def test_an_alert_is_raised_once_and_rescoring_the_same_data_changes_nothing(
    ws: Settings, store: Store
) -> None:
    _load(ws, FINDINGS)
    first = score(ws, as_of=DAY).cards[0]
    again = score(ws, as_of=DAY).cards[0]
    assert first.alerts == {"raised": 1}
    assert again.alerts == {}
    alerts, total = alert_service.list_alerts(store)
    assert total == 1 and alerts[0]["subject_id"] == "e3"
    assert alerts[0]["adcode"] == "340221"
    history = alert_service.show_alert(store, alerts[0]["id"])["history"]
    assert [h["kind"] for h in history] == ["raised"]


def test_a_rise_is_recorded_and_a_snoozed_alert_stays_snoozed(ws: Settings, store: Store) -> None:
    _load(ws, FINDINGS)
    score(ws, as_of=DAY)
    (alert,), _ = alert_service.list_alerts(store)
    alert_service.snooze_alert(
        store, alert["id"], until=date(2026, 12, 31), reason="核查中", actor="t", today=DAY
    )
    more = [
        *FINDINGS,
        _finding(
            "f5", "SW-R-0102", "guarantee", "d4", "document", subject_name="芜湖聚宝农业专业合作社"
        ),
        _finding(
            "f6",
            "SW-R-0101",
            "above_legal_ceiling",
            "d5",
            "document",
            subject_name="芜湖聚宝农业专业合作社",
        ),
        _finding("f9", "SW-R-0105", "many", "e3"),
    ]
    _load(ws, more)
    assert score(ws, as_of=date(2026, 11, 15)).cards[0].alerts == {"rose": 1}
    shown = alert_service.show_alert(store, alert["id"])
    assert (shown["status"], shown["grade"]) == ("snoozed", "red")
    assert [h["kind"] for h in shown["history"]] == ["raised", "snoozed", "rose"]


def test_a_snooze_ends_on_its_day_and_a_closed_alert_reopens_when_the_entity_rises(
    ws: Settings, store: Store
) -> None:
    _load(ws, FINDINGS)
    score(ws, as_of=DAY)
    (alert,), _ = alert_service.list_alerts(store)
    alert_service.snooze_alert(
        store, alert["id"], until=date(2026, 11, 10), reason="待核实", actor="t", today=DAY
    )
    assert score(ws, as_of=date(2026, 11, 20)).cards[0].alerts == {"woke": 1}
    alert_service.close_alert(store, alert["id"], reason="已核查，未发现问题", actor="t")
    assert score(ws, as_of=date(2026, 11, 21)).cards[0].alerts == {}
    _load(
        ws,
        [
            *FINDINGS,
            _finding(
                "f7",
                "SW-R-0101",
                "above_legal_ceiling",
                "d9",
                "document",
                subject_name="芜湖聚宝农业专业合作社",
            ),
            _finding("f9", "SW-R-0105", "many", "e3"),
            _finding(
                "f8",
                "SW-R-0102",
                "guarantee",
                "d8",
                "document",
                subject_name="芜湖聚宝农业专业合作社",
            ),
        ],
    )
    assert score(ws, as_of=date(2026, 11, 22)).cards[0].alerts == {"reopened": 1}
    kinds = [h["kind"] for h in alert_service.show_alert(store, alert["id"])["history"]]
    assert kinds == ["raised", "snoozed", "woke", "closed", "reopened"]


def test_an_entity_that_no_longer_scores_fell_and_keeps_its_alert(
    ws: Settings, store: Store
) -> None:
    _load(ws, FINDINGS)
    score(ws, as_of=DAY)
    _load(ws, FINDINGS[:3])
    assert score(ws, as_of=date(2026, 12, 1)).cards[0].alerts == {"fell": 1}
    (alert,), _ = alert_service.list_alerts(store)
    assert (alert["grade"], alert["last_grade"]) == ("orange", "none")


def test_snooze_and_close_need_a_reason_and_sensible_days(ws: Settings, store: Store) -> None:
    _load(ws, FINDINGS)
    score(ws, as_of=DAY)
    (alert,), _ = alert_service.list_alerts(store)
    with pytest.raises(InvalidInput, match="reason"):
        alert_service.snooze_alert(
            store, alert["id"], until=date(2026, 12, 1), reason=" ", actor="t", today=DAY
        )
    with pytest.raises(InvalidInput, match="future"):
        alert_service.snooze_alert(store, alert["id"], until=DAY, reason="x", actor="t", today=DAY)
    with pytest.raises(InvalidInput, match="reason"):
        alert_service.close_alert(store, alert["id"], reason="", actor="t")


def test_a_shadow_scorecard_scores_but_raises_no_alert(ws: Settings, store: Store) -> None:
    _load(ws, FINDINGS)
    card = (
        Path(__file__).parents[2] / "src/smokewatch/rulepacks/core/scorecards/SW-S-0001.yml"
    ).read_text(encoding="utf-8")
    shadow = card.replace("id: SW-S-0001", "id: XX-S-0001").replace(
        "status: active", "status: testing"
    )
    (ws.workspace / "scorecards" / "shadow.yml").write_text(shadow, encoding="utf-8")
    summary = score(ws, as_of=DAY)
    by_card = {c.scorecard: c for c in summary.cards}
    assert by_card["XX-S-0001@3"].shadow and by_card["XX-S-0001@3"].scored == 3
    assert by_card["XX-S-0001@3"].alerts == {}
    with store.unit_of_work() as session:
        assert scoring.latest_as_of(session, "XX-S-0001") is None  # only shadow scores
        assert scoring.latest_as_of(session, "XX-S-0001", shadow=True) == DAY


def test_a_scorecard_with_errors_stops_the_run_before_it_starts(ws: Settings) -> None:
    _load(ws, FINDINGS)
    text = (
        "id: XX-S-0002\nversion: 1\nname: bad\nstatus: active\nsubject: enterprise\n"
        "title: {zh: 坏, en: Bad}\n"
        "grades: [{code: red, min: 50, label: {zh: 红, en: Red}}]\n"
        "dimensions:\n  - id: d\n    title: {zh: 维, en: D}\n    cap: 60\n    components:\n"
        "      - {id: c, title: {zh: 组, en: C}, rule: SW-R-0001, bands: {no_such_band: 60}}\n"
    )
    (ws.workspace / "scorecards" / "bad.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown-band"):
        score(ws, as_of=DAY)


def test_a_published_scorecard_cannot_change_without_a_new_version(ws: Settings) -> None:
    _load(ws, FINDINGS)
    score(ws, as_of=DAY)
    card = (
        Path(__file__).parents[2] / "src/smokewatch/rulepacks/core/scorecards/SW-S-0001.yml"
    ).read_text(encoding="utf-8")
    (ws.workspace / "scorecards" / "mine.yml").write_text(
        card.replace("cap: 30", "cap: 35"), encoding="utf-8"
    )
    with pytest.raises(Conflict, match="bump the version"):
        score(ws, as_of=DAY)


def test_watch_lists_keep_who_why_and_until_when(ws: Settings, store: Store) -> None:
    _load(ws, FINDINGS)
    score(ws, as_of=DAY)
    entry = alert_service.add_watch(
        store, "e1", reason="群众多次举报", actor="analyst", expires_on=date(2099, 1, 1)
    )
    assert entry["subject_name"] == "芜湖鑫源财富管理有限公司"
    with pytest.raises(Conflict, match="already on key_focus"):
        alert_service.add_watch(store, "e1", reason="again", actor="analyst")
    with pytest.raises(InvalidInput, match="reason"):
        alert_service.add_watch(store, "e2", reason="", actor="analyst")
    assert [e["subject_id"] for e in alert_service.list_watch(store)] == ["e1"]
    assert alert_service.show_scores(store, "e1")["watchlists"][0]["reason"] == "群众多次举报"
    alert_service.remove_watch(store, "e1", reason="核查无问题", actor="lead")
    assert alert_service.list_watch(store) == []
    (old,) = alert_service.list_watch(store, history=True)
    assert (old["removed_by"], old["removal_reason"]) == ("lead", "核查无问题")


def test_local_lenders_are_rated_from_their_red_lines_and_ratios(
    ws: Settings, store: Store
) -> None:
    orgs = [
        {
            "id": "m1",
            "name": "芜湖速达小额贷款有限公司",
            "uscc": "91340200MA2N1GD013",
            "kind": "microcredit",
            "status": "operating",
            "adcode": "340202",
        },
        {
            "id": "m2",
            "name": "芜湖安信小额贷款有限公司",
            "uscc": "91340200MA2N2AX02D",
            "kind": "microcredit",
            "status": "operating",
            "adcode": "340207",
        },
    ]
    findings = [
        _finding("l1", "SW-R-0401", "isolated", "m1", "local_org"),  # a red line: orange at least
        _finding("l2", "SW-R-0408", "loss", "m1", "local_org"),
        _finding("l3", "SW-R-0407", "elevated", "m2", "local_org"),
    ]
    with open_engine(ws) as engine:
        engine.replace_tables(
            {
                "local_org": typed_table("local_org", orgs),
                "finding": typed_table("finding", findings),
            }
        )
    summary = score(ws, as_of=DAY, scorecard_ids=["SW-S-0003"])
    (card,) = summary.cards
    assert card.scorecard == "SW-S-0003@3" and card.scored == 2
    page = alert_service.list_scores(store, scorecard_id="SW-S-0003")
    by_id = {s["subject_id"]: s for s in page.scores}
    dims = by_id["m1"]["dimensions"]
    assert {k: v for k, v in dims.items() if v} == {"compliance": 15, "earnings": 5}
    # 15 + 5 points, raised to orange's floor by the red line's minimum grade.
    assert (by_id["m1"]["smoke_index"], by_id["m1"]["grade"]) == (40, "orange")
    assert (by_id["m2"]["smoke_index"], by_id["m2"]["grade"]) == (4, "none")
