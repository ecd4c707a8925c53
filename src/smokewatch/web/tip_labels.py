"""Words the tip pages show for tip statuses, actions, categories and routing."""

from __future__ import annotations

from typing import Final

from smokewatch.model.divisions import Level, load_divisions
from smokewatch.webkit.i18n import N_

STATUSES: Final[dict[str, str]] = {
    "received": N_("New"),
    "triaged": N_("Under review"),
    "duplicate": N_("Duplicate"),
    "spam": N_("Spam"),
    "converted": N_("Case opened"),
    "dismissed": N_("Rejected"),
    "closed": N_("Closed"),
}
ACTIONS: Final[dict[str, str]] = {
    "submitted": N_("Submitted"),
    "added": N_("Information added"),
    "triage": N_("Acknowledge"),
    "reply": N_("Reply / ask for more"),
    "reroute": N_("Route to a division"),
    "dismiss": N_("Reject with a reason"),
    "spam": N_("Mark as spam"),
    "not_spam": N_("Not spam"),
    "merge": N_("Merge into another tip"),
    "convert": N_("Open a case"),
    "converted": N_("Case opened"),
    "attach": N_("Attach to a case"),
    "attached": N_("Attached to a case"),
    "reward": N_("Decide the reward"),
    "rewarded": N_("Reward decided"),
    "payment": N_("Record the payment"),
}
CATEGORIES: Final[dict[str, str]] = {
    "fundraising": N_("Illegal fundraising"),
    "lending": N_("Illegal lending"),
    "pyramid": N_("Pyramid selling"),
    "speculation": N_("Speculation and trading"),
    "impersonation": N_("Impersonation"),
    "fraud": N_("Telecom and online fraud"),
}
ROUTED_BY: Final[dict[str, str]] = {
    "address": N_("by the address"),
    "entity": N_("by the entity's registration"),
    "default": N_("to the workspace's division"),
    "officer": N_("by an officer"),
}
PAYMENTS: Final[dict[str, str]] = {
    "pending": N_("Pending"),
    "paid": N_("Paid"),
    "unclaimed": N_("Unclaimed"),
    "withheld": N_("Withheld"),
}


def division_name(code: str | None) -> str:
    """The division's name with its code (``镜湖区 340202``), or the code alone."""
    if not code:
        return "—"
    found = load_divisions().by_code.get(code)
    return f"{found.name} {code}" if found else code


def counties_under(code: str | None) -> list[tuple[str, str]]:
    """The current counties inside a division (code, name), for the route-to list."""
    if not code:
        return []
    divisions = load_divisions()
    out: list[tuple[str, str]] = []
    pending = [code]
    while pending:
        here = divisions.by_code[pending.pop()]
        if here.level == Level.COUNTY:
            out.append((here.code, here.name))
            continue
        pending.extend(
            c
            for c in divisions.children_of.get(here.code, ())
            if divisions.by_code[c].status == "current"
        )
    return sorted(out)


__all__ = [
    "ACTIONS",
    "CATEGORIES",
    "PAYMENTS",
    "ROUTED_BY",
    "STATUSES",
    "counties_under",
    "division_name",
]
