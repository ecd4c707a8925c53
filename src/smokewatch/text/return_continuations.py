"""Returns that lean on the one before them in the sentence: thresholds, bounds, shared principals.

After :mod:`smokewatch.text.returns` has settled the candidates of the families, these readers
add the returns that the families cannot read alone because the period or the principal was
said before them: a list of thresholds (收益高于年化6%就要警惕，超过10%就要…), a clause that is
only a bound (…，现在最高3.1%), an amount per period on the principal said before
(投资1万元，每天收益50元，一年收益18250元).
"""

from __future__ import annotations

import re

from smokewatch.text.return_candidates import (
    MONEY_UNIT,
    PERIOD_OF,
    Candidate,
    Term,
    income_on_principal,
    parse_amounts,
    periodic,
    qualifier_of,
    tidy,
    total_over_term,
)
from smokewatch.text.return_patterns import grammar, parse_rate
from smokewatch.text.return_units import ReturnUnit

_THRESHOLD_UNITS = {
    ReturnUnit.YEAR: "year", ReturnUnit.MONTH: "month", ReturnUnit.WEEK: "week",
    ReturnUnit.DAY: "day",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def read_thresholds(folded: str, chosen: list[Candidate]) -> list[Candidate]:
    """Bare rates that continue a list of thresholds after a return in the same sentence.

    In 收益高于年化6%就要警惕，超过10%就要做好损失全部本金的准备 the 10 % is a yearly rate too:
    a clause that starts with a bare rate followed by 就 / 则 / 便 takes the period of the
    closest return before it in its sentence. ``chosen`` are the settled candidates, left to
    right; the result never overlaps them.
    """
    if not chosen or ("就" not in folded and "则" not in folded and "便" not in folded):
        return []
    found: list[Candidate] = []
    for m in grammar().threshold.finditer(folded):
        before = [c for c in chosen + found if c.end <= m.start()]
        if not before or any(c.start < m.end() and m.start() < c.end for c in chosen):
            continue
        previous = max(before, key=lambda c: c.end)
        period = _THRESHOLD_UNITS.get(previous.unit)
        if period is None or _SENTENCE_END.search(folded, previous.end, m.start()):
            continue
        rate = parse_rate(m.group("val"))
        if rate is None:
            continue
        candidate = periodic(
            m.start("pre") if m.group("pre") else m.start("val"), m.end("post")
            if m.group("post") else m.end("val"), rate, period, hint=previous.hint,
            qualifier=qualifier_of(m.group("pre"), m.group("post")),
            note="a threshold continuing the return before it, same period; ",
        )  # fmt: skip
        if candidate is not None:
            found.append(candidate)
    return found


def read_continuations(folded: str, chosen: list[Candidate]) -> list[Candidate]:
    """Returns that lean on the one before them in the same sentence, never overlapping it.

    * a clause that restates a rate with a bound and nothing else (年利率3.5%的大额存单已经没有
      了，现在最高3.1%) takes the period of the closest rate before it;
    * an amount per period with no principal (投资1万元，每天收益50元，一年收益18250元) is read on
      the principal of the closest reading of amounts before it;
    * a total with no principal and no term (投资10万，一年分红2万，连本带利拿回12万) is read on the
      principal and the term of the closest reading of amounts before it that has both.

    ``chosen`` are the settled candidates, left to right.
    """
    if not chosen:
        return []
    found: list[Candidate] = []
    g = grammar()
    if any(c.unit in _THRESHOLD_UNITS for c in chosen):
        for m in g.continued.finditer(folded):
            previous = _previous(folded, chosen, m.start(), m.end())
            period = _THRESHOLD_UNITS.get(previous.unit) if previous is not None else None
            rate = parse_rate(m.group("val"))
            if previous is None or period is None or rate is None:
                continue
            candidate = periodic(
                m.start("pre"), m.end("post") if m.group("post") else m.end("val"), rate,
                period, hint=previous.hint, qualifier=qualifier_of(m.group("pre"), m.group("post")),
                note="a bound continuing the return before it, same period; ",
            )  # fmt: skip
            if candidate is not None:
                found.append(candidate)
    if any(c.principal is not None for c in chosen):
        for m in g.shared.finditer(folded):
            previous = _previous(folded, chosen, m.start(), m.end(), with_principal=True)
            amounts = parse_amounts(m.group("income"))
            if previous is None or previous.principal is None or amounts is None:
                continue
            if not MONEY_UNIT.search(m.group("income")) or amounts[0] <= 0:
                continue
            period = PERIOD_OF[m.group("per")] if m.group("per") != "全年" else "year"
            shared = income_on_principal(
                m.start(), m.end("income"), principal=previous.principal,
                income=tidy(amounts[0]), period=period, where=" (the principal before)",
                hint=(previous.hint, False),
            )  # fmt: skip
            found.append(shared)
        found.extend(_shared_totals(folded, chosen))
    return found


def _shared_totals(folded: str, chosen: list[Candidate]) -> list[Candidate]:
    found: list[Candidate] = []
    for m in grammar().shared_total.finditer(folded):
        previous = _previous(folded, chosen, m.start(), m.end(), with_principal=True)
        if previous is None or previous.principal is None:
            continue
        term = previous.once
        if term is None and previous.unit == ReturnUnit.TERM:
            term = Term(previous.term_months, previous.term_days)
        amounts = parse_amounts(m.group("amount"))
        if term is None or amounts is None or not MONEY_UNIT.search(m.group("amount")):
            continue
        candidate = total_over_term(
            m.start(), m.end(), principal=previous.principal, amount=amounts[0], term=term,
            verb=m.group("verb"), hint=(previous.hint, False),
        )  # fmt: skip
        if candidate is not None:
            found.append(candidate)
    return found


def _previous(
    folded: str, chosen: list[Candidate], start: int, end: int, *, with_principal: bool = False
) -> Candidate | None:
    """The closest candidate before ``start`` in the same sentence, if nothing overlaps."""
    if any(c.start < end and start < c.end for c in chosen):
        return None
    before = [
        c for c in chosen if c.end <= start and (not with_principal or c.principal is not None)
    ]
    if not before:
        return None
    previous = max(before, key=lambda c: c.end)
    if _SENTENCE_END.search(folded, previous.end, start):
        return None
    return previous


__all__ = ["read_continuations", "read_thresholds"]
