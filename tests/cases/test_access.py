"""Who sees and does what: the role table, territory, sectors, referrals, PII masks."""

from __future__ import annotations

import pytest

from smokewatch.cases.access import (
    Actor,
    CaseScope,
    Role,
    can_view,
    mask,
    mask_text,
    redact,
    refusal,
)
from smokewatch.cases.workflow import CaseAction

COUNTY_CASE = CaseScope("340202", sector="J66", referred_to="police-340202", reported_by="bank-1")
ESCALATED = CaseScope("340200", lead_adcode="340207")


def _actor(
    role: Role, adcode: str = "340202", agency: str = "a1", sectors: tuple[str, ...] = ()
) -> Actor:
    return Actor("u", frozenset({role}), agency, adcode, frozenset(sectors))


@pytest.mark.parametrize(
    ("actor", "case", "sees"),
    [
        (_actor(Role.LEAD, "340202"), COUNTY_CASE, True),
        (_actor(Role.LEAD, "340200"), COUNTY_CASE, True),  # a city lead sees its counties
        (_actor(Role.LEAD, "340000"), COUNTY_CASE, True),
        (_actor(Role.LEAD, "340207"), COUNTY_CASE, False),  # another county
        (_actor(Role.LEAD, "340207"), ESCALATED, True),  # the designated lead region
        (_actor(Role.OFFICER, "340202", sectors=("J66",)), COUNTY_CASE, True),
        (_actor(Role.OFFICER, "340202", sectors=("I64",)), COUNTY_CASE, False),
        (_actor(Role.VIEWER, "340200"), COUNTY_CASE, True),
        (_actor(Role.POLICE, "340202", agency="police-340202"), COUNTY_CASE, True),
        (_actor(Role.POLICE, "340202", agency="police-340207"), COUNTY_CASE, False),
        (_actor(Role.REPORTER, "", agency="bank-1"), COUNTY_CASE, True),
        (_actor(Role.REPORTER, "", agency="bank-2"), COUNTY_CASE, False),
        (Actor("root", frozenset({Role.ADMIN})), COUNTY_CASE, True),
    ],
)
def test_visibility_follows_territory_sector_referral_and_reports(
    actor: Actor, case: CaseScope, sees: bool
) -> None:
    assert can_view(actor, case) is sees


def test_roles_take_only_their_actions() -> None:
    officer = _actor(Role.OFFICER)
    assert refusal(officer, COUNTY_CASE, CaseAction.VERIFY) is None
    assert refusal(officer, COUNTY_CASE, CaseAction.DISMISS) == "your role may not dismiss cases"
    viewer = _actor(Role.VIEWER)
    assert refusal(viewer, COUNTY_CASE, CaseAction.ASSIGN) == "your role may not assign cases"
    police = _actor(Role.POLICE, agency="police-340202")
    assert refusal(police, COUNTY_CASE, CaseAction.ACKNOWLEDGE) is None
    assert refusal(police, COUNTY_CASE, CaseAction.CLOSE) is not None


def test_only_the_case_level_escalates_and_designates() -> None:
    county = _actor(Role.LEAD, "340202")
    city = _actor(Role.LEAD, "340200")
    assert refusal(county, COUNTY_CASE, CaseAction.ESCALATE) is None
    assert refusal(city, COUNTY_CASE, CaseAction.ESCALATE) is not None
    assert refusal(city, ESCALATED, CaseAction.DESIGNATE_LEAD) is None
    assert refusal(_actor(Role.LEAD, "340207"), ESCALATED, CaseAction.DESIGNATE_LEAD) is not None


def test_outside_the_jurisdiction_nothing_is_allowed() -> None:
    assert refusal(_actor(Role.LEAD, "340207"), COUNTY_CASE, CaseAction.VERIFY) == (
        "the case is outside your jurisdiction"
    )


def test_pii_is_shown_to_admin_lead_and_police_only() -> None:
    assert _actor(Role.LEAD).sees_pii and _actor(Role.POLICE).sees_pii
    assert not _actor(Role.OFFICER).sees_pii and not _actor(Role.REPORTER).sees_pii


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        ("13800138000", "phone", "138****8000"),
        ("340202199001011234", "id_number", "340202********1234"),
        ("6222021234567890", "account", "************7890"),
        ("张三", "name", "张*"),
        ("", "phone", ""),
        (None, "phone", None),
    ],
)
def test_masks(value: str | None, kind: str, shown: str | None) -> None:
    assert mask(value, kind) == shown


def test_pii_in_text_is_masked_and_counted_but_identifiers_are_left_alone() -> None:
    data = {
        "reason": "广告电话13800138000，账户6222021234567890123",
        "evidence": ["身份证340202199001011234", "fnd-1463c19987944226b1e2", 91340200],
    }
    masked, found = redact(data, reveal=False)
    assert found == 3
    assert masked["reason"] == "广告电话138****8000，账户***************0123"
    assert masked["evidence"] == ["身份证340202********1234", "fnd-1463c19987944226b1e2", 91340200]
    shown, counted = redact(data, reveal=True)
    assert (shown, counted) == (data, 3)
    assert mask_text("统一社会信用代码 913402007901234567")[1] == 0  # 18 digits, no birth date
