"""Tips as a service: checks, routing to the county in charge, entities, duplicates, spam, codes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.services import tips, tips_inbox, tips_processing
from smokewatch.store import scoring
from smokewatch.store.db import Store
from smokewatch.store.orm_tips import Tip
from tests.api.world import ROOT, populate

DESCRIPTION = "该公司承诺年化18%，保本保息，推荐朋友投资还有返佣金，现在已经无法提现。"


@pytest.fixture
def world(store: Store) -> Store:
    """A store with the agencies of 芜湖市 (city lead department, two counties')."""
    populate(store)
    return store


def submit(store: Store, tmp_path: Path, **fields: str) -> Tip:
    values = {"target_name": "芜湖鑫源财富管理有限公司", "description": DESCRIPTION, **fields}
    submitted = tips.submit_tip(
        store,
        tips.TipForm(consent=True, **values),
        files_dir=tmp_path / "tips",
        home_adcode="340200",
    )
    with store.unit_of_work() as session:
        tip = session.get(Tip, submitted.tip_id)
        assert tip is not None
        session.expunge(tip)
        return tip


def monitored(store: Store, subject_id: str, name: str, adcode: str) -> None:
    """A scored entity the store knows, registered in ``adcode``."""
    with store.unit_of_work() as session:
        scoring.replace_scores(
            session,
            "sco-1",
            [
                {
                    "id": f"sc-{subject_id}",
                    "subject_id": subject_id,
                    "subject_table": "enterprise",
                    "subject_name": name,
                    "scorecard_id": "SW-S-0001",
                    "scorecard_version": 1,
                    "as_of": date(2026, 11, 1),
                    "score": 60.0,
                    "grade": "orange",
                    "dimensions": {},
                    "contributions": [],
                    "shadow": False,
                    "adcode": adcode,
                    "sector": None,
                }
            ],
        )


@pytest.mark.parametrize(
    ("address", "county", "agency"),
    [
        ("安徽省芜湖市镜湖区中山路8号", "340202", "lead-340202"),
        ("芜湖市鸠江区湾里街道九华北路166号", "340207", "lead-340207"),
        ("镜湖区范罗山街道", "340202", "lead-340202"),
        ("芜湖市弋江区利民路", "340209", "lead-340200"),
        ("安徽省合肥市蜀山区长江西路", "340104", None),
    ],
    ids=[
        "jinghu-full",
        "jiujiang",
        "jinghu-short",
        "county-without-office-goes-to-city",
        "other-city",
    ],
)
def test_a_tip_is_routed_to_the_county_its_address_names(
    world: Store, tmp_path: Path, address: str, county: str, agency: str | None
) -> None:
    tip = submit(world, tmp_path, target_address=address)
    assert (tip.adcode, tip.agency_id, tip.routed_by) == (county, agency, "address")


def test_without_an_address_the_known_entity_s_registration_routes_it(
    world: Store, tmp_path: Path
) -> None:
    monitored(world, "ent-xy", "芜湖市鑫源财富管理有限公司", "340207001")
    tip = submit(world, tmp_path, target_name="芜湖鑫源财富管理有限公司")
    assert (tip.entity_id, tip.entity_name) == ("ent-xy", "芜湖市鑫源财富管理有限公司")
    assert (tip.adcode, tip.agency_id, tip.routed_by) == ("340207", "lead-340207", "entity")


def test_without_a_place_or_an_entity_the_workspace_s_own_office_gets_it(
    world: Store, tmp_path: Path
) -> None:
    monitored(world, "ent-other", "芜湖宏达建材有限公司", "340202")
    tip = submit(world, tmp_path, target_name="某某理财工作室")
    assert (tip.entity_id, tip.adcode, tip.agency_id, tip.routed_by) == (
        None,
        "340200",
        "lead-340200",
        "default",
    )


def test_the_same_target_with_a_similar_story_is_a_duplicate_of_the_first_tip(
    world: Store, tmp_path: Path
) -> None:
    first = submit(world, tmp_path)
    second = submit(
        world,
        tmp_path,
        target_name="芜湖市鑫源财富管理有限公司",
        description="鑫源财富承诺年化18%保本保息，拉朋友投资有返佣金，现在无法提现了！",
    )
    third = submit(
        world, tmp_path, description="保本保息，年化18%，推荐朋友投资返佣金，已经无法提现。"
    )
    assert (second.status, second.duplicate_of) == ("duplicate", first.id)
    assert third.duplicate_of == first.id  # always the original, not the duplicate in between


@pytest.mark.parametrize(
    "fields",
    [
        {"target_name": "芜湖宏达建材有限公司"},
        {
            "description": "这家公司在小区门口发传单，说买他们的养老公寓"
            "可以每年返租金12%，十年后原价回购。"
        },
    ],
    ids=["other-target", "other-story"],
)
def test_another_target_or_another_story_is_a_new_tip(
    world: Store, tmp_path: Path, fields: dict[str, str]
) -> None:
    submit(world, tmp_path)
    assert submit(world, tmp_path, **fields).duplicate_of is None


@pytest.mark.parametrize(
    ("description", "target", "reason"),
    [
        ("骗子", "某公司", "description too short"),
        ("啊" * 40, "某公司", "one character repeated"),
        ("看这里 http://a.cn http://b.cn http://c.cn http://d.cn 赚钱快", "推广", "too many links"),
        (DESCRIPTION, "!!!", "no target named"),
    ],
)
def test_spam_is_kept_apart_with_its_reasons_and_never_told(
    world: Store, tmp_path: Path, description: str, target: str, reason: str
) -> None:
    tip = submit(world, tmp_path, description=description, target_name=target)
    assert tip.status == "spam" and reason in tip.spam_reasons
    assert tips.PUBLIC_STATUS[tip.status] == "received"


def test_the_description_is_read_by_the_text_module_and_orders_the_inbox(
    world: Store, tmp_path: Path
) -> None:
    mild = submit(
        world,
        tmp_path,
        target_name="芜湖宏达建材有限公司",
        description="这家店的装修材料以次充好，价格也比别处贵很多。",
    )
    risky = submit(world, tmp_path)
    assert risky.risk_score > mild.risk_score
    assert {"保本保息", "拉人头"} & {
        s["text"] for s in risky.analysis["signals"]
    } or risky.analysis["promised_returns"]
    listed = [row["id"] for row in tips_inbox.inbox(world, ROOT)[0]]
    assert listed == [risky.id, mild.id]


def test_a_telecom_fraud_script_puts_the_tip_in_the_fraud_category(
    world: Store, tmp_path: Path
) -> None:
    scam = submit(
        world,
        tmp_path,
        target_name="自称京东客服的人",
        description="对方说我的校园贷账户要注销，让我开启屏幕共享，把钱转到安全账户，转走了两万元。",
    )
    submit(world, tmp_path)
    rows, total = tips_inbox.inbox(world, ROOT, category="fraud")
    assert total == 1 and [row["id"] for row in rows] == [scam.id]
    assert rows[0]["categories"][0] == "fraud"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"target_name": " ", "description": ""},
            {"target_name": "required", "description": "required"},
        ),
        ({"amount": "五万"}, {"amount": "not_a_number"}),
        ({"amount": "-5"}, {"amount": "out_of_range"}),
        ({"happened_on": "2099-01-01"}, {"happened_on": "out_of_range"}),
        ({"happened_on": "昨天"}, {"happened_on": "not_a_date"}),
        ({"target_wechat": "微信号"}, {"target_wechat": "invalid"}),
        ({"target_phone": "call me"}, {"target_phone": "invalid"}),
        ({"target_url": "javascript alert(1)"}, {"target_url": "invalid"}),
        ({"learnt_via": "telepathy"}, {"learnt_via": "invalid"}),
        ({"description": "长" * 5001}, {"description": "too_long"}),
    ],
)
def test_every_wrong_field_is_named(
    world: Store, tmp_path: Path, fields: dict[str, str], errors: dict[str, str]
) -> None:
    values = {"target_name": "某公司", "description": DESCRIPTION, **fields}
    with pytest.raises(tips.TipRejected) as rejected:
        tips.submit_tip(world, tips.TipForm(consent=True, **values), files_dir=tmp_path)
    assert rejected.value.fields == errors


def test_consent_is_required(world: Store, tmp_path: Path) -> None:
    with pytest.raises(tips.TipRejected) as rejected:
        tips.submit_tip(
            world, tips.TipForm("某公司", DESCRIPTION, consent=False), files_dir=tmp_path
        )
    assert rejected.value.fields == {"consent": "required"}


def test_tracking_codes_are_long_unambiguous_and_stored_only_as_hashes(
    world: Store, tmp_path: Path
) -> None:
    codes = {tips.new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 24 and set(c.replace("-", "")) <= set(tips.ALPHABET) for c in codes)
    assert not set("01ILO") & set(tips.ALPHABET)
    submitted = tips.submit_tip(
        world, tips.TipForm("某公司", DESCRIPTION, consent=True), files_dir=tmp_path
    )
    with world.unit_of_work() as session:
        stored = session.execute(sa.select(Tip.__table__)).one()
    assert submitted.tracking_code.replace("-", "") not in str(tuple(stored))
    spaced = " " + submitted.tracking_code.lower().replace("-", " ") + " "
    assert tips.track(world, spaced)["status"] == "received"


@pytest.mark.parametrize("code", ["", "ABCD", "0000-0000-0000-0000-0000", "A" * 21])
def test_a_malformed_code_is_invalid_and_an_unknown_one_is_not_found(
    world: Store, code: str
) -> None:
    with pytest.raises(InvalidInput):
        tips.track(world, code)
    with pytest.raises(NotFound):
        tips.track(world, "ABCD-EFGH-JKMN-PQRS-TUVW")


def test_target_keys_read_the_organisation_name() -> None:
    key = tips_processing.target_key
    assert key("芜湖鑫源财富管理有限公司", None, None, None) == key(
        "芜湖市鑫源财富管理有限公司", None, None, None
    )
    assert key("鑫源财富", None, None, None) != key("宏达建材", None, None, None)
