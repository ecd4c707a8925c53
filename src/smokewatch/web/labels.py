"""Words the pages show for codes: case stages and actions, alert states, vocabulary terms."""

from __future__ import annotations

from typing import Final

from smokewatch.cases.workflow import CaseAction, CaseStatus
from smokewatch.model.vocab import get_vocabulary
from smokewatch.webkit.i18n import N_, current_locale, gettext

STAGES: Final[dict[str, str]] = {
    CaseStatus.CLUE: N_("Clue"),
    CaseStatus.VERIFYING: N_("Verifying"),
    CaseStatus.DETERMINED: N_("Determined"),
    CaseStatus.DISPOSING: N_("Disposing"),
    CaseStatus.REFERRED: N_("Referred to police"),
    CaseStatus.AFTERMATH: N_("Aftermath"),
    CaseStatus.CLOSED: N_("Closed"),
    CaseStatus.DISMISSED: N_("Dismissed"),
    CaseStatus.MERGED: N_("Merged"),
}
BOARD_STAGES: Final = (
    CaseStatus.CLUE,
    CaseStatus.VERIFYING,
    CaseStatus.DETERMINED,
    CaseStatus.DISPOSING,
    CaseStatus.REFERRED,
    CaseStatus.AFTERMATH,
)
ACTIONS: Final[dict[str, str]] = {
    CaseAction.VERIFY: N_("Start verification"),
    CaseAction.DETERMINE: N_("Record determination"),
    CaseAction.DISPOSE: N_("Order disposal"),
    CaseAction.REFER: N_("Refer to police"),
    CaseAction.ACKNOWLEDGE: N_("Acknowledge referral"),
    CaseAction.START_AFTERMATH: N_("Start aftermath"),
    CaseAction.CLOSE: N_("Close"),
    CaseAction.DISMISS: N_("Dismiss"),
    CaseAction.REOPEN: N_("Reopen"),
    CaseAction.ESCALATE: N_("Escalate"),
    CaseAction.DESIGNATE_LEAD: N_("Designate lead region"),
    CaseAction.ASSIGN: N_("Assign"),
    CaseAction.MERGE: N_("Merge"),
    "open": N_("Case opened"),
    "update": N_("Corrected"),
    "evidence": N_("Evidence added"),
}
FIELDS: Final[dict[str, str]] = {
    "assignee": N_("Assignee"),
    "determination": N_("Determination"),
    "measures": N_("Measures"),
    "to_agency": N_("Police unit"),
    "receipt": N_("Handover receipt"),
    "resolution": N_("Resolution"),
    "reason": N_("Reason"),
    "lead_adcode": N_("Lead region code"),
    "into": N_("Merge into case"),
}
ALERT_STATES: Final[dict[str, str]] = {
    "open": N_("Open"),
    "snoozed": N_("Snoozed"),
    "closed": N_("Closed"),
}
GRADES: Final[dict[str, str]] = {
    "red": N_("Red"),
    "orange": N_("Orange"),
    "yellow": N_("Yellow"),
    "blue": N_("Blue"),
}
#: Fields whose values are vocabulary terms (chosen from a list), and their vocabulary.
VOCAB_FIELDS: Final[dict[str, str]] = {
    "determination": "case_determination",
    "measures": "disposal_measure",
    "resolution": "case_resolution",
}


def label(table: dict[str, str], code: str | None) -> str:
    """The translated word for ``code`` in ``table`` (the code itself when unknown)."""
    if code is None:
        return ""
    return gettext(table[code]) if code in table else code


def terms(vocabulary: str) -> list[tuple[str, str]]:
    """``(id, label)`` of a vocabulary's terms in the current language."""
    lang = "zh" if current_locale() == "zh_CN" else "en"
    return [(t.id, t.label(lang)) for t in get_vocabulary(vocabulary).terms.values()]


def term(vocabulary: str, term_id: str | None) -> str:
    """The label of one term (the id when unknown)."""
    if not term_id:
        return ""
    found = get_vocabulary(vocabulary).terms.get(term_id)
    lang = "zh" if current_locale() == "zh_CN" else "en"
    return found.label(lang) if found else term_id


def bilingual(text: dict[str, str] | None, zh: str | None = None, en: str | None = None) -> str:
    """Pick the current language from a ``{"zh", "en"}`` pair (rule titles, reasons)."""
    pair = text or {"zh": zh or "", "en": en or ""}
    chosen = pair.get("zh") if current_locale() == "zh_CN" else pair.get("en")
    return chosen or pair.get("zh") or pair.get("en") or ""


__all__ = [
    "ACTIONS",
    "ALERT_STATES",
    "BOARD_STAGES",
    "FIELDS",
    "GRADES",
    "STAGES",
    "VOCAB_FIELDS",
    "bilingual",
    "label",
    "term",
    "terms",
]
