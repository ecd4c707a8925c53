"""What happens to a tip when it arrives: reading, spam and duplicate checks, resolution, routing.

* **Reading** — the description goes through the text module (:class:`TextAnalyzer`, rules
  only): promised returns, lure words, events and mentions; the record is kept with the tip and
  its ``risk_score`` orders the officers' inbox.
* **Spam** — :func:`spam_reasons` lists what makes a submission look automated or empty (too
  short, link-stuffed, one character repeated, no words); a tip with reasons is kept with status
  ``spam`` (never deleted, never told to the sender).
* **Duplicates** — :func:`target_key` reads the target as an organisation name (region, trade
  name, industry, form) so 芜湖鑫源财富 and 芜湖市鑫源财富管理有限公司 meet; a tip about the same
  target with a similar text (:func:`similarity` ≥ :data:`DUPLICATE_SIMILARITY`) within
  :data:`DUPLICATE_WINDOW` is a duplicate of the first such tip.
* **Resolution** — the target is compared (:func:`smokewatch.resolve.compare.compare_names`)
  with the monitored entities the store knows (scored subjects); a match gives the entity id and
  its registered division.
* **Routing** — the division in charge is the county the address names
  (:mod:`smokewatch.text.address`), else the entity's registered county, else the workspace's
  own division; the tip goes to the lead department of that county, else of its city, else of
  its province (:func:`agency_for`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.model.types.text import fold_width
from smokewatch.resolve.compare import compare_names
from smokewatch.resolve.names import parse_org_name
from smokewatch.services.text import TextAnalyzer
from smokewatch.store.orm import Score
from smokewatch.store.orm_cases import Agency
from smokewatch.store.orm_tips import Tip
from smokewatch.text.address import get_address_resolver

DUPLICATE_SIMILARITY: Final = 0.5
"""Character-bigram Dice similarity from which two texts about one target are the same tip."""
DUPLICATE_WINDOW: Final = timedelta(days=180)
"""How far back a duplicate's original may lie."""
MIN_WORDS: Final = 10
"""Fewest characters (letters, digits, CJK) a description needs."""
MAX_LINKS: Final = 3
"""More links than this in a description is link spam."""
_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
_SPACE = re.compile(r"[\s\u3000]+")


@cache
def analyzer(within_adcode: str | None) -> TextAnalyzer:
    """The text reader (rules only), built once per process and workspace division."""
    return TextAnalyzer.open(None, within_adcode=within_adcode)


def analyse(text: str, within_adcode: str | None) -> dict[str, Any]:
    """The text module's record of a description (see :mod:`smokewatch.services.text`)."""
    record = analyzer(within_adcode).analyze([("tip", text)])[0]
    record.pop("id", None)
    return record


def normalise(text: str) -> str:
    """Width-folded, lower-case, whitespace collapsed (what comparisons read)."""
    return _SPACE.sub(" ", fold_width(text)).strip().lower()


def spam_reasons(description: str, target_name: str) -> list[str]:
    """Why a submission looks like spam (empty: it does not).

    Examples:
        >>> spam_reasons("哈哈哈哈哈哈哈哈哈哈哈哈", "x")
        ['one character repeated']
        >>> spam_reasons("该公司承诺年化20%保本保息，拉人头返佣金，现在无法提现。", "某某财富")
        []
    """
    text = normalise(description)
    words = _WORD.findall(text)
    reasons = []
    if len(words) < MIN_WORDS:
        reasons.append("description too short")
    if len(_URL.findall(text)) > MAX_LINKS:
        reasons.append("too many links")
    if words and len(set(words)) <= 2 and len(words) >= MIN_WORDS:
        reasons.append("one character repeated")
    if not _WORD.search(normalise(target_name)):
        reasons.append("no target named")
    return reasons


def _bigrams(text: str) -> set[str]:
    compact = "".join(_WORD.findall(normalise(text)))
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def similarity(left: str, right: str) -> float:
    """Dice coefficient of the character bigrams of two texts (0–1).

    Examples:
        >>> round(similarity("承诺年化20%，无法提现", "承诺年化百分之二十，现在无法提现"), 2)
        0.52
    """
    a, b = _bigrams(left), _bigrams(right)
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def target_key(name: str, url: str | None, wechat: str | None, phone: str | None) -> str:
    """A key equal for tips about the same target (organisation name read, else identifiers).

    Examples:
        >>> target_key("芜湖鑫源财富管理有限公司", None, None, None) == target_key(
        ...     "芜湖市鑫源财富管理有限公司", None, None, None)
        True
    """
    parsed = parse_org_name(name) if name.strip() else None
    if parsed is not None and parsed.trade_name:
        basis = "org|" + parsed.trade_name + "".join(parsed.industry)
    else:
        ids = [normalise(v) for v in (url, wechat, phone) if v and v.strip()]
        basis = "id|" + (ids[0] if ids else normalise(name))
    return hashlib.sha256(basis.encode()).hexdigest()


def find_original(
    session: Session, key: str, description: str, now: datetime, *, exclude: str | None = None
) -> Tip | None:
    """The first earlier tip about the same target with a similar text, if any."""
    earlier = session.scalars(
        sa.select(Tip)
        .where(
            Tip.target_key == key,
            Tip.submitted_at >= now - DUPLICATE_WINDOW,
            Tip.status != "spam",
            Tip.id != (exclude or ""),
        )
        .order_by(Tip.submitted_at)
        .limit(200)
    ).all()
    for tip in earlier:
        if similarity(tip.description, description) >= DUPLICATE_SIMILARITY:
            return tip if tip.duplicate_of is None else session.get(Tip, tip.duplicate_of)
    return None


@dataclass(frozen=True, slots=True)
class Resolved:
    """The monitored entity a target is, with the score of the name comparison."""

    entity_id: str
    name: str
    adcode: str | None
    score: float


def resolve_target(session: Session, name: str) -> Resolved | None:
    """The monitored entity (a scored subject in the store) the target names, if one matches."""
    parsed = parse_org_name(name)
    probe = parsed.trade_name[:4]
    if len(probe) < 2:
        return None
    rows = session.execute(
        sa.select(Score.subject_id, Score.subject_name, Score.adcode)
        .where(Score.subject_name.contains(probe, autoescape=True))
        .distinct()
        .limit(100)
    ).all()
    best: Resolved | None = None
    for subject_id, subject_name, adcode in rows:
        comparison = compare_names(name, subject_name)
        if comparison.match and (best is None or comparison.score > best.score):
            best = Resolved(str(subject_id), str(subject_name), adcode, comparison.score)
    return best


def county_of(adcode: str) -> str:
    """A township code belongs to its county; any other code is kept."""
    return adcode[:6]


def address_adcode(address: str | None, within: str | None) -> str | None:
    """The county (or wider division) an address names, if it names one."""
    if not address or not address.strip():
        return None
    code = get_address_resolver().code_of(address, within=within)
    return county_of(code) if code else None


def route(
    address: str | None, entity: Resolved | None, default_adcode: str | None
) -> tuple[str | None, str]:
    """The division in charge and what decided it (``address``, ``entity`` or ``default``)."""
    code = address_adcode(address, default_adcode)
    if code is not None:
        return code, "address"
    if entity is not None and entity.adcode:
        return county_of(entity.adcode), "entity"
    return default_adcode, "default"


def _upwards(adcode: str) -> list[str]:
    """The division and its parents: county, city, province (6-digit codes)."""
    code = adcode[:6]
    chain = [code, code[:4] + "00", code[:2] + "0000"]
    return list(dict.fromkeys(chain))


def agency_for(session: Session, adcode: str | None) -> str | None:
    """The lead department in charge: the county's, else the city's, else the province's."""
    if not adcode:
        return None
    chain = _upwards(adcode)
    agencies = session.scalars(
        sa.select(Agency).where(
            Agency.kind == "lead_department", Agency.active.is_(True), Agency.adcode.in_(chain)
        )
    ).all()
    by_code = {a.adcode: a.id for a in sorted(agencies, key=lambda a: a.id)}
    return next((by_code[code] for code in chain if code in by_code), None)


def strongest_signals(analysis: dict[str, Any], limit: int = 5) -> Sequence[str]:
    """The words behind the risk score, strongest first (for the inbox)."""
    signals = sorted(analysis.get("signals", []), key=lambda s: -float(s.get("weight", 0)))
    return [str(s.get("text")) for s in signals[:limit]]


__all__ = [
    "DUPLICATE_SIMILARITY",
    "DUPLICATE_WINDOW",
    "Resolved",
    "address_adcode",
    "agency_for",
    "analyse",
    "analyzer",
    "county_of",
    "find_original",
    "normalise",
    "resolve_target",
    "route",
    "similarity",
    "spam_reasons",
    "strongest_signals",
    "target_key",
]
