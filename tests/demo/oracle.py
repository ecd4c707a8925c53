"""A small reference reading of rules SW-R-0001…0004, written from their specification.

It is deliberately simple (substring matching after removing parenthesised clauses) and
exists only to check that the demo files carry what each planted case claims; the real
detectors live in ``smokewatch.detect``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from smokewatch.demo.pools import load_pools
from smokewatch.model.types import clean_date, clean_money
from smokewatch.model.vocab import get_vocabulary

_CLAUSE = re.compile(r"[（(][^（）()]*[）)]")
WINDOW = timedelta(days=180)


def strip_clauses(scope: str) -> str:
    """The scope without parenthesised clauses (innermost first, so nested ones go too)."""
    previous = None
    while previous != scope:
        previous, scope = scope, _CLAUSE.sub("", scope)
    return scope


def name_words(name: str) -> set[str]:
    return {w for w in load_pools().restricted_words if w in name}


def scope_activities(scope: str) -> set[str]:
    text = strip_clauses(scope)
    return {a for a in load_pools().restricted_activities if a in text}


def _date(text: Any) -> date | None:
    return clean_date(text) if text not in (None, "") else None


def _money(text: str) -> Decimal | None:
    return clean_money(text).amount if text else None


def active_licences(rows: Iterable[Mapping[str, Any]], as_of: date) -> dict[str, list[str]]:
    """Licence kinds active on ``as_of``, by holder USCC."""
    kinds, statuses = get_vocabulary("licence_kind"), get_vocabulary("licence_status")
    lookups = {s.wording: s.kind for s in load_pools().licence_styles.values()}
    active: dict[str, list[str]] = {}
    for row in rows:
        kind = kinds.resolve(row["牌照类型"]) or lookups[row["牌照类型"]]
        start, end = _date(row["有效期起"]), _date(row["有效期至"])
        live = statuses.resolve(row["状态"]) == "active"
        live = live and (start is None or start <= as_of) and (end is None or as_of <= end)
        if live:
            active.setdefault(row["统一社会信用代码"], []).append(kind)
    return active


def rule_hits(row: Mapping[str, str], licences: list[str], as_of: date) -> dict[str, bool]:
    """Which of the four rules fire on one registry row."""
    authorised = {
        w for k in licences for w in get_vocabulary("licence_kind").terms[k].attrs["authorises"]
    }
    words = name_words(row["企业名称"])
    activities = scope_activities(row["经营范围"])
    registered, paid = _money(row["注册资本"]), _money(row["实缴资本"])
    staff = int(row["参保人数"]) if row["参保人数"] else None
    hollow = (
        registered is not None
        and registered >= Decimal(10**8)
        and ((paid is not None and paid < registered / 100) or (staff is not None and staff <= 3))
    )
    former = [n for n in re.split("[;；]", row["曾用名"]) if n]
    name_day, scope_day = _date(row["名称变更日期"]), _date(row["经营范围变更日期"])
    name_pivot = (
        bool(words)
        and bool(former)
        and not name_words(former[-1])
        and name_day is not None
        and as_of - WINDOW < name_day <= as_of
    )
    scope_pivot = bool(activities) and scope_day is not None and as_of - WINDOW < scope_day <= as_of
    return {
        "SW-R-0001": bool(words - authorised),
        "SW-R-0002": bool(activities) and not licences,
        "SW-R-0003": bool(words) and hollow,
        "SW-R-0004": name_pivot or scope_pivot,
    }
