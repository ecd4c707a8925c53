"""The public form end to end over HTTP: submit, get a code, track, add information."""

from __future__ import annotations

import sqlalchemy as sa

from smokewatch.services import tips_inbox
from smokewatch.store.orm_tips import Tip, TipEvent
from tests.portal.conftest import Portal, hidden, tracking_code


def test_a_reporter_submits_anonymously_and_receives_a_tracking_code_once(portal: Portal) -> None:
    answer = portal.submit({"target_address": "安徽省芜湖市镜湖区中山路8号", "amount": "50,000"})
    assert answer.status_code == 200
    code = tracking_code(answer.text)
    assert len(code.replace("-", "")) == 20
    with portal.store.unit_of_work() as session:
        tip = session.scalars(sa.select(Tip)).one()
        assert code not in (tip.tracking_hash, tip.id) and tip.contact is None
        assert (tip.adcode, tip.agency_id, tip.routed_by) == ("340202", "lead-340202", "address")
        assert str(tip.amount) == "50000.00"
        assert tip.risk_score > 0.5 and "保本保息" in str(tip.analysis)
    again = portal.page("/track")
    assert code not in again.text


def test_the_tracking_code_shows_the_status_and_takes_more_information(portal: Portal) -> None:
    code = tracking_code(portal.submit().text)
    page = portal.page("/track").text
    status = portal.client.post(
        "/track", data={"code": code.lower(), "csrf_token": hidden(page, "csrf_token")}
    )
    assert status.status_code == 200
    assert 'data-status="received"' in status.text
    more = portal.client.post(
        "/track/more",
        data={
            "code": code,
            "more": "他们还在微信群里继续拉人。",
            "csrf_token": hidden(status.text, "csrf_token"),
            "challenge": hidden(status.text, "challenge"),
            "answer": "",
            "pow": _pow(hidden(status.text, "challenge")),
        },
    )
    assert more.status_code == 200, more.text
    with portal.store.unit_of_work() as session:
        actions = session.scalars(sa.select(TipEvent.action).order_by(TipEvent.id)).all()
    assert actions == ["submitted", "processed", "information_added"]


def test_a_wrong_code_says_so_without_telling_anything_else(portal: Portal) -> None:
    page = portal.page("/track").text
    answer = portal.client.post(
        "/track",
        data={"code": "AAAA-BBBB-CCCC-DDDD-EEEE", "csrf_token": hidden(page, "csrf_token")},
    )
    assert answer.status_code == 404
    assert "AAAA" not in answer.text


def test_missing_fields_are_listed_and_the_typed_values_kept(portal: Portal) -> None:
    answer = portal.submit({"target_name": "", "amount": "很多", "target_url": "<script>"})
    assert answer.status_code == 422
    assert answer.text.count('aria-invalid="true"') == 3
    assert "&lt;script&gt;" in answer.text and "<script>" not in answer.text.split("</header>")[1]
    with portal.store.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Tip)) == 0


def test_without_csrf_token_nothing_is_stored(portal: Portal) -> None:
    answer = portal.client.post(
        "/report", data={"target_name": "x", "description": "y" * 20, "consent": "yes"}
    )
    assert answer.status_code == 403
    with portal.store.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Tip)) == 0


def test_the_officers_inbox_receives_the_tip_of_their_county_only(portal: Portal) -> None:
    portal.submit({"target_address": "芜湖市鸠江区湾里街道"})
    jiujiang, jinghu = portal.actors["jiujiang"], portal.actors["lead"]
    assert [t["adcode"] for t in tips_inbox.inbox(portal.store, jiujiang)[0]] == ["340207"]
    assert tips_inbox.inbox(portal.store, jinghu)[0] == []


def _pow(challenge: str) -> str:
    from smokewatch.portal.guard import solve  # noqa: PLC0415

    return str(solve(challenge, 4))
