"""Comparing two organisation names: a score from 0 to 1 whose parts are explained.

The comparison reads both names (:func:`smokewatch.resolve.names.parse_org_name`) and looks at
what tells two Chinese organisations apart:

* **same name**: equal keys (region, trade name, industry, form, branch) after cleaning are the
  same name written differently (traditional/simplified, brackets, 有限责任公司 for 有限公司);
* **trade name** (字号): the best of three readings of the two trade names, with and without a
  platform ending (陆金服 ~ 陆金所, 团贷 ~ 团贷网): characters in common in order (Dice over the
  longest common subsequence), one being the start of the other, a short name inside a legal
  trade name;
* **region**: both known and one inside the other supports a little; two different places count
  strongly against (a trade name is unique only within its registration area);
* **industry**: the same words support, different ones count against — strongly when the trade
  name is only a place (北京银行 and 北京农村商业银行 are two banks);
* **form** and **branch**: a different organisational form, or a branch against its parent (a
  branch is registered on its own, with its own USCC), count against.

Each part is a *contribution* in logit units; their sum through the logistic function is the
score, so every score is explained by its lines. The weights are set by hand, documented in
``docs/resolve.md`` and checked on the development half of the labelled pairs; the default
threshold is :data:`THRESHOLD`.

Examples:
    >>> compare_names("陆金服", "上海陆金所互联网金融信息服务有限公司").match
    True
    >>> compare_names("北京银行", "北京农商银行").match
    False
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from smokewatch.resolve.names import MIN_TRADE, OrgName, name_words, parse_org_name

THRESHOLD = 0.8
"""Default decision threshold on the score."""

BIAS = -4.0
"""Logit before any evidence: two arbitrary names are very unlikely to be one organisation."""

WEIGHTS = {
    "trade_name": 8.0,
    "trade_prefix": 1.5,
    "region": 1.0,
    "region_conflict": 6.0,
    "industry": 1.0,
    "place_only_industry": 8.0,
    "form": 1.5,
    "branch": 4.0,
}
"""Logit weight of each part (a part's value lies in -1…1)."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One line of a comparison: a part, its value, what it adds to the logit, why."""

    part: str
    value: float
    logit: float
    reason: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """The score of a pair of names with the contributions that add up to it."""

    left: OrgName
    right: OrgName
    score: float
    match: bool
    contributions: tuple[Contribution, ...]

    @property
    def logit(self) -> float:
        """Sum of the contributions (the score is its logistic)."""
        return sum(c.logit for c in self.contributions)


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence."""
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if ch == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _dice(a: str, b: str) -> float:
    """Dice over the longest common subsequence; one shared character is no evidence."""
    if a == b:
        return 1.0 if a else 0.0
    common = _lcs(a, b)
    return 2 * common / (len(a) + len(b)) if common >= MIN_TRADE else 0.0


def _stems(name: OrgName) -> tuple[str, ...]:
    """The trade name, and without a platform ending (团贷网 → 团贷) when two characters stay."""
    stems = [name.trade_name]
    for ending in name_words().platform_endings:
        trade = name.trade_name
        if trade.endswith(ending) and len(trade) - len(ending) >= MIN_TRADE:
            stems.append(trade[: -len(ending)])
            break
    return tuple(s for s in dict.fromkeys(stems) if s)


def _trade_similarity(left: OrgName, right: OrgName) -> tuple[float, bool, str]:
    """Best similarity of the trade names, whether one starts the other, and the pair used."""
    best, prefix, pair = 0.0, False, ""
    for a in _stems(left):
        for b in _stems(right):
            shorter, longer = sorted((a, b), key=len)
            starts = len(shorter) >= MIN_TRADE and longer.startswith(shorter)
            short, long_ = (left, right) if shorter == a else (right, left)
            inside = (
                len(shorter) >= MIN_TRADE
                and short.form is None
                and shorter not in name_words().industry
                and shorter in long_.trade_name
            )
            value = max(_dice(a, b), 0.9 if starts or inside else 0.0)
            if value > best or (value == best and starts and not prefix):
                best, prefix, pair = value, starts and a != b, f"{a} ~ {b}"
    return best, prefix, pair


def _within(a: str, b: str) -> bool:
    sa, sb = a.rstrip("0"), b.rstrip("0")
    return sa.startswith(sb) or sb.startswith(sa)


def _region(left: OrgName, right: OrgName) -> tuple[float, str]:
    if left.region_code and right.region_code:
        if _within(left.region_code, right.region_code):
            return 1.0, f"same place ({left.region} / {right.region})"
        return -1.0, f"different places ({left.region} / {right.region})"
    return 0.0, "place not known on both sides"


def _is_place(name: OrgName) -> bool:
    return bool(name.trade_name) and name.trade_name in (name.region, "中国")


def _industry(left: OrgName, right: OrgName) -> tuple[float, str]:
    a, b = "".join(left.industry), "".join(right.industry)
    if not a or not b:
        return 0.0, "industry not written on both sides"
    if a == b:
        return 1.0, f"same industry ({a})"
    if (a.endswith(b) or b.endswith(a)) and not (_is_place(left) and _is_place(right)):
        return 0.5, f"one industry ends the other ({a} / {b})"
    return -1.0, f"different industries ({a} / {b})"


def _form(left: OrgName, right: OrgName) -> tuple[float, str]:
    if left.form and right.form and left.form != right.form:
        return -1.0, f"different organisational forms ({left.form} / {right.form})"
    return 0.0, "forms agree or are not written"


def _branch_key(branch: str | None) -> str:
    """北京市分行 and 北京分行 are one branch: division suffixes do not count."""
    return (branch or "").replace("市", "").replace("省", "")


def _branch(left: OrgName, right: OrgName) -> tuple[float, str]:
    if _branch_key(left.branch) == _branch_key(right.branch):
        return 0.0, "no branch, or the same branch"
    return -1.0, f"branch against another unit ({left.branch or '-'} / {right.branch or '-'})"


def _line(part: str, value: float, reason: str, weight: float | None = None) -> Contribution:
    w = WEIGHTS[part] if weight is None else weight
    return Contribution(part, round(value, 4), round(w * value, 4), reason)


def compare_parsed(left: OrgName, right: OrgName, threshold: float = THRESHOLD) -> Comparison:
    """Compare two parsed names (see the module docstring)."""
    lines = [Contribution("prior", 1.0, BIAS, "two arbitrary names are rarely one organisation")]
    if left.trade_name and left.key == right.key:
        lines.append(Contribution("same_name", 1.0, 2 * -BIAS, "the same name written differently"))
    else:
        trade, prefix, pair = _trade_similarity(left, right)
        lines.append(_line("trade_name", trade, f"trade names {pair or '-'} agree {trade:.2f}"))
        if prefix:
            lines.append(_line("trade_prefix", 1.0, f"one trade name starts the other ({pair})"))
        value, reason = _region(left, right)
        lines.append(_line("region" if value >= 0 else "region_conflict", value, reason))
        value, reason = _industry(left, right)
        place_only = _is_place(left) and _is_place(right) and value < 0
        part = "place_only_industry" if place_only else "industry"
        lines.append(_line(part, value, reason + ("; the trade name is a place" * place_only)))
        for part, (value, reason) in (
            ("form", _form(left, right)),
            ("branch", _branch(left, right)),
        ):
            lines.append(_line(part, value, reason))
    logit = sum(line.logit for line in lines)
    score = round(1.0 / (1.0 + math.exp(-logit)), 4)  # the match agrees with the shown score
    return Comparison(left, right, score, score >= threshold, tuple(lines))


@lru_cache(maxsize=100_000)
def _parse(raw: str) -> OrgName:
    return parse_org_name(raw)


def compare_names(left: str | None, right: str | None, threshold: float = THRESHOLD) -> Comparison:
    """Compare two organisation names; ``match`` is ``score >= threshold``."""
    return compare_parsed(_parse(left or ""), _parse(right or ""), threshold)


__all__ = ["BIAS", "THRESHOLD", "WEIGHTS", "Comparison", "Contribution", "compare_names"]
