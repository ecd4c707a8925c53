"""Who may see and do what: roles, jurisdictions, and PII masking — as pure functions.

Visibility follows territory (属地) and agency:

==========  ================================================================  =====================
role        sees                                                              may
==========  ================================================================  =====================
admin       everything                                                        everything; users
lead        cases whose jurisdiction or lead region lies within its division  every case action but
            (a city lead sees its counties; a county lead its county)         acknowledge
officer     cases within its division whose sector is one of its sectors      verify, determine,
            (member agencies: market regulation, cyberspace, regulators)      dispose, refer, close,
                                                                              aftermath, assign
police      cases referred to its own agency                                  acknowledge
viewer      like an officer                                                   nothing
reporter    cases opened from its own agency's reports (banks)                submit reports
==========  ================================================================  =====================

Escalation and lead designation need the level: only a lead whose division *is* the case's
(escalated) jurisdiction designates the lead region; a lead escalates cases of its own level.
PII (ID numbers, phones, account numbers) is shown to admin, lead and police; masked for
everyone else (:func:`mask`). Every view of unmasked PII is audited by the service layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from smokewatch.cases.workflow import CaseAction, jurisdiction_prefix


class Role(StrEnum):
    """What a user is for (a user may hold several)."""

    ADMIN = "admin"
    LEAD = "lead"
    OFFICER = "officer"
    POLICE = "police"
    VIEWER = "viewer"
    REPORTER = "reporter"


ROLE_ACTIONS: Final[dict[Role, frozenset[CaseAction]]] = {
    Role.ADMIN: frozenset(CaseAction),
    Role.LEAD: frozenset(CaseAction) - {CaseAction.ACKNOWLEDGE},
    Role.OFFICER: frozenset(
        {
            CaseAction.VERIFY,
            CaseAction.DETERMINE,
            CaseAction.DISPOSE,
            CaseAction.REFER,
            CaseAction.START_AFTERMATH,
            CaseAction.CLOSE,
            CaseAction.ASSIGN,
        }
    ),
    Role.POLICE: frozenset({CaseAction.ACKNOWLEDGE}),
    Role.VIEWER: frozenset(),
    Role.REPORTER: frozenset(),
}
"""The case actions each role may take (on cases it can see)."""

PII_ROLES: Final = frozenset({Role.ADMIN, Role.LEAD, Role.POLICE})

ANALYST_ROLES: Final = frozenset({Role.ADMIN, Role.LEAD, Role.OFFICER, Role.VIEWER})
"""Roles that read the analytic output: runs, findings, scores, alerts, entities, watch lists."""
TRIAGE_ROLES: Final = frozenset({Role.ADMIN, Role.LEAD, Role.OFFICER})
"""Roles that act on alerts (acknowledge, snooze, close, open a case) and edit watch lists."""


@dataclass(frozen=True, slots=True)
class Actor:
    """The user acting, with their agency's place in the mechanism."""

    user_id: str
    roles: frozenset[Role]
    agency_id: str | None = None
    adcode: str = ""
    """The division the user's agency covers ("" for admins without one)."""
    sectors: frozenset[str] = field(default_factory=frozenset)
    """Sectors of a member agency (empty: all sectors of its division)."""

    @property
    def is_admin(self) -> bool:
        """Admins see and do everything."""
        return Role.ADMIN in self.roles

    @property
    def sees_pii(self) -> bool:
        """Whether identifiers are shown unmasked to this user."""
        return bool(self.roles & PII_ROLES)


@dataclass(frozen=True, slots=True)
class CaseScope:
    """What decides who sees a case."""

    jurisdiction: str
    lead_adcode: str | None = None
    sector: str | None = None
    referred_to: str | None = None
    reported_by: str | None = None
    """Agency id of the reporting institution the case was opened from, if any."""


def within(adcode: str | None, division: str) -> bool:
    """Whether ``adcode`` lies inside ``division`` (equal or below it).

    Examples:
        >>> within("340202", "340200"), within("340202", "340000"), within("340100", "340200")
        (True, True, False)
    """
    return bool(adcode) and bool(division) and str(adcode).startswith(jurisdiction_prefix(division))


def _in_territory(actor: Actor, case: CaseScope) -> bool:
    return within(case.jurisdiction, actor.adcode) or within(case.lead_adcode, actor.adcode)


def in_sectors(sector: str | None, sectors: frozenset[str]) -> bool:
    """Whether an industry code falls under an agency's sectors (by code prefix).

    An agency without sectors covers all; a case or entity without a sector is everyone's.

    Examples:
        >>> in_sectors("L7243", frozenset({"J66", "L72"})), in_sectors("I6513", frozenset({"L72"}))
        (True, False)
    """
    return not sectors or sector is None or any(sector.startswith(s) for s in sectors)


def _in_sector(actor: Actor, case: CaseScope) -> bool:
    return in_sectors(case.sector, actor.sectors)


def can_view(actor: Actor, case: CaseScope) -> bool:
    """Whether the actor may see the case at all."""
    if actor.is_admin:
        return True
    roles = actor.roles
    if Role.LEAD in roles and _in_territory(actor, case):
        return True
    if (
        roles & {Role.OFFICER, Role.VIEWER}
        and _in_territory(actor, case)
        and _in_sector(actor, case)
    ):
        return True
    if (
        Role.POLICE in roles
        and case.referred_to is not None
        and case.referred_to == actor.agency_id
    ):
        return True
    return (
        Role.REPORTER in roles
        and case.reported_by is not None
        and case.reported_by == actor.agency_id
    )


def refusal(actor: Actor, case: CaseScope, action: CaseAction) -> str | None:
    """Why the actor may not take this action on the case, or ``None`` when allowed."""
    if not can_view(actor, case):
        return "the case is outside your jurisdiction"
    if actor.is_admin:
        return None
    allowed = frozenset().union(*(ROLE_ACTIONS[r] for r in actor.roles))
    if action not in allowed:
        return f"your role may not {action.value} cases"
    if action == CaseAction.DESIGNATE_LEAD and actor.adcode != case.jurisdiction:
        return "only the lead department of the case's jurisdiction designates the lead region"
    if action == CaseAction.ESCALATE and actor.adcode != case.jurisdiction:
        return "only the lead department of the case's own level escalates it"
    if action == CaseAction.ACKNOWLEDGE and case.referred_to != actor.agency_id:
        return "only the police unit the case was referred to acknowledges it"
    if Role.LEAD not in actor.roles and not _in_territory(actor, case):
        return "the case is outside your jurisdiction"
    return None


def sees_region(actor: Actor, adcode: str | None, sector: str | None) -> bool:
    """Whether an analyst sees an entity, score or alert routed to ``adcode`` and ``sector``.

    Admins see everything (and alone see what was never routed: no division code). Leads see
    their division and everything below it; officers and viewers also only their sectors.
    Police and reporters see analytic output only through the cases they can see.
    """
    if actor.is_admin:
        return True
    if adcode is None or not within(adcode, actor.adcode):
        return False
    if Role.LEAD in actor.roles:
        return True
    return bool(actor.roles & {Role.OFFICER, Role.VIEWER}) and in_sectors(sector, actor.sectors)


def mask(value: str | None, kind: str) -> str | None:
    """A PII value as shown to users without the right to see it.

    ``phone`` keeps the first three and last four digits, ``id_number`` the first six and last
    four characters, ``account`` the last four; anything else keeps its first character.

    Examples:
        >>> mask("13800138000", "phone"), mask("340202199001011234", "id_number")
        ('138****8000', '340202********1234')
        >>> mask("6222021234567890123", "account")
        '***************0123'
    """
    if value is None or value == "":
        return value
    if kind == "phone" and len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    if kind == "id_number" and len(value) > 10:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if kind == "account" and len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return value[:1] + "*" * (len(value) - 1)


_PII_PATTERNS: Final = (
    # 18-character resident ID: region, birth date, sequence, check character.
    (
        "id_number",
        re.compile(
            r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
            r"\d{3}[\dXx](?![0-9A-Za-z])"
        ),
    ),
    # Bank card and account numbers (UnionPay 62…, or 16, 17 and 19 digits; 18 digits are
    # left to the ID pattern above so all-digit credit codes are not taken for accounts).
    ("account", re.compile(r"(?<![0-9A-Za-z*])(?:62\d{14,17}|\d{16,17}|\d{19})(?![0-9A-Za-z])")),
    # Mainland mobile numbers (not digits inside an identifier such as fnd-1463c19987944226).
    ("phone", re.compile(r"(?<![0-9A-Za-z*])1[3-9]\d{9}(?![0-9A-Za-z])")),
)


_MAYBE_PII: Final = re.compile(r"\d{11}")
"""Every pattern above needs eleven digits in a row: text without them is returned as is."""


def mask_text(text: str) -> tuple[str, int]:
    """``text`` with every ID number, account and mobile number in it masked, and how many.

    Examples:
        >>> mask_text("联系人 13800138000，身份证 340202199001011234")
        ('联系人 138****8000，身份证 340202********1234', 2)
        >>> mask_text("统一社会信用代码 91340200MA2N0J1X2C，证据 fnd-1463c19987944226b1e2")
        ('统一社会信用代码 91340200MA2N0J1X2C，证据 fnd-1463c19987944226b1e2', 0)
    """
    if len(text) < 11 or _MAYBE_PII.search(text) is None:
        return text, 0
    found = 0
    for kind, pattern in _PII_PATTERNS:

        def _mask(match: re.Match[str], kind: str = kind) -> str:
            return mask(match.group(0), kind) or ""

        text, count = pattern.subn(_mask, text)
        found += count
    return text, found


def redact(value: Any, *, reveal: bool) -> tuple[Any, int]:
    """JSON-like data with PII masked in every string (unless ``reveal``), and how much PII.

    The count lets the caller audit a view of unmasked PII (``reveal`` and a count above 0).
    """
    if isinstance(value, str):
        masked, found = mask_text(value)
        return (value if reveal else masked), found
    if isinstance(value, dict):
        total = 0
        out: dict[Any, Any] = {}
        for key, item in value.items():
            out[key], found = redact(item, reveal=reveal)
            total += found
        return out, total
    if isinstance(value, list | tuple):
        total = 0
        items = []
        for item in value:
            masked_item, found = redact(item, reveal=reveal)
            items.append(masked_item)
            total += found
        return items, total
    return value, 0


__all__ = [
    "ANALYST_ROLES",
    "PII_ROLES",
    "ROLE_ACTIONS",
    "TRIAGE_ROLES",
    "Actor",
    "CaseScope",
    "Role",
    "can_view",
    "in_sectors",
    "mask",
    "mask_text",
    "redact",
    "refusal",
    "sees_region",
    "within",
]
