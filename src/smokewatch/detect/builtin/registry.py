"""Python bodies of the registry rules SW-R-0001 … SW-R-0004 (unlicensed financial business).

Each body takes the shared candidates and licences (:mod:`.restricted`), adds the enterprise
columns it needs, and finishes with a small Python step over Arrow batches that decides, per
enterprise, which restricted words no valid licence covers, and writes the metrics and the
evidence of the finding. Bands and reasons are declared in each rule's ``rule.yml``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from smokewatch.detect.builtin.restricted import (
    LEXICON,
    authorisations,
    candidates,
    citations,
    licence_evidence,
    licence_status,
    required_licences,
    tier_of,
    with_licences,
)
from smokewatch.detect.run import DetectorContext
from smokewatch.model.vocab import get_vocabulary
from smokewatch.text.lexicon import Lexicon

if TYPE_CHECKING:
    import ibis.expr.types as ir

_STR_LIST = pa.list_(pa.string())
_WAN = Decimal(10_000)


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema(
        [
            ("subject_id", pa.string()),
            ("subject_name", pa.string()),
            *fields,
            ("evidence", pa.string()),
        ]
    )


class _Facts:
    """What the word rules say about a set of words, computed once per distinct set.

    Tiers, legal basis and required licence kinds depend only on the words, and the same few
    word sets recur across thousands of enterprises: they are cached per process.
    """

    def __init__(self, lexicon: Lexicon, authorises: Mapping[str, frozenset[str]]) -> None:
        self.lexicon = lexicon
        self.authorises = authorises
        self._words: dict[tuple[str, ...], dict[str, Any]] = {}
        self._kinds = get_vocabulary("licence_kind").terms

    def words(self, words: list[str]) -> dict[str, Any]:
        key = tuple(words)
        cached = self._words.get(key)
        if cached is None:
            binding = tier_of(words, self.lexicon, "binding")
            cached = {
                "binding_words": binding,
                "n_binding": len(binding),
                "n_rectification": len(tier_of(words, self.lexicon, "rectification")),
                "n_notice": len(tier_of(words, self.lexicon, "notice")),
                "required_licences_zh": required_licences(words, self.authorises, "zh"),
                "required_licences_en": required_licences(words, self.authorises, "en"),
                "basis": citations(words, self.lexicon),
            }
            self._words[key] = cached
        return cached

    def lapsed(self, lapsed: tuple[dict[str, Any], ...]) -> dict[str, Any]:
        return {
            "n_lapsed": len(lapsed),
            "lapsed_licences_zh": [self._describe(lic, "zh") for lic in lapsed],
            "lapsed_licences_en": [self._describe(lic, "en") for lic in lapsed],
        }

    def _describe(self, lic: Mapping[str, Any], lang: str) -> str:
        kind = self._kinds.get(str(lic["kind"]))
        label = kind.label(lang) if kind else str(lic["kind"])
        until, status = lic.get("valid_to"), lic.get("status")
        if lang == "zh":
            return f"{label}，状态{status}" + (f"，有效期至{until}" if until else "")
        return f"{label}, status {status}" + (f", valid to {until}" if until else "")


def _facts(ctx: DetectorContext) -> _Facts:
    return _Facts(ctx.lexicon(LEXICON), authorisations())


_WORD_FIELDS: tuple[tuple[str, pa.DataType], ...] = (
    ("binding_words", _STR_LIST),
    ("n_binding", pa.int64()),
    ("n_rectification", pa.int64()),
    ("n_notice", pa.int64()),
    ("n_lapsed", pa.int64()),
    ("lapsed_licences_zh", _STR_LIST),
    ("lapsed_licences_en", _STR_LIST),
    ("required_licences_zh", _STR_LIST),
    ("required_licences_en", _STR_LIST),
    ("basis", _STR_LIST),
)


def _finish(
    batches: Iterator[pa.RecordBatch], row_fn: Any, schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        rows = [out for row in batch.to_pylist() if (out := row_fn(row)) is not None]
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


# -- SW-R-0001 ------------------------------------------------------------------------------

NAME_SCHEMA = _schema(("name", pa.string()), ("words", _STR_LIST), *_WORD_FIELDS)


def _name_row(row: Mapping[str, Any], *, as_of: date, facts: _Facts) -> dict[str, Any] | None:
    status = licence_status(row["name_terms"], row["licences"], as_of, facts.authorises)
    words = list(status.unauthorised)
    if not words:
        return None
    hits = [h for h in json.loads(row["name_hits"]) if h["term"] in words]
    evidence = [*hits, licence_evidence(status, row["name_terms"], as_of)]
    return {
        "subject_id": row["subject_id"],
        "subject_name": row["subject_name"],
        "name": row["subject_name"],
        "words": words,
        **facts.words(words),
        **facts.lapsed(status.lapsed),
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }


def restricted_word_in_name_without_licence(ctx: DetectorContext) -> ir.Table:
    """Restricted financial word in the name, and no valid licence that allows it.

    The registered name carries a restricted financial word (条例第九条 and related lists)
    and the enterprise holds no licence, valid on the evaluation date, that allows the word.
    """
    cand = candidates(ctx)
    named = cand.filter(cand.name_terms.length() > 0).select(
        "subject_id", "subject_name", "name_terms", "name_hits"
    )
    row_fn = functools.partial(_name_row, as_of=ctx.as_of, facts=_facts(ctx))
    step = functools.partial(_finish, row_fn=row_fn, schema=NAME_SCHEMA)
    return ctx.map_batches(with_licences(ctx, named), step, NAME_SCHEMA, step="name")


# -- SW-R-0002 ------------------------------------------------------------------------------

SCOPE_SCHEMA = _schema(
    ("activities", _STR_LIST),
    ("clauses", _STR_LIST),
    ("n_discounted", pa.int64()),
    ("discounted_note_zh", pa.string()),
    ("discounted_note_en", pa.string()),
    *_WORD_FIELDS,
)

_KIND_ZH = {
    "prohibition": "禁止性条款",
    "exclusion": "除外条款",
    "approval_note": "审批提示",
    "benign_context": "服务对象或主题表述",
}


def _discounted_note(discounted: list[dict[str, Any]], lang: str) -> str:
    if not discounted:
        return ""
    kinds: dict[str, int] = {}
    for item in discounted:
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
    if lang == "zh":
        parts = "、".join(f"{n} 处出现于{_KIND_ZH.get(k, k)}" for k, n in kinds.items())
        return f"；另有 {parts}，未计入"
    parts = ", ".join(f"{n} in {k.replace('_', ' ')}s" for k, n in kinds.items())
    return f"; not counted: {parts}"


def _scope_row(row: Mapping[str, Any], *, as_of: date, facts: _Facts) -> dict[str, Any] | None:
    status = licence_status(row["scope_terms"], row["licences"], as_of, facts.authorises)
    words = list(status.unauthorised)
    if not words:
        return None
    hits = [h for h in json.loads(row["scope_hits"]) if h["term"] in words]
    discounted = json.loads(row["scope_discounted"])
    clauses = list(dict.fromkeys(h["clause"] for h in hits))
    evidence = [
        *hits,
        *({**d, "discounted": True} for d in discounted),
        licence_evidence(status, row["scope_terms"], as_of),
    ]
    return {
        "subject_id": row["subject_id"],
        "subject_name": row["subject_name"],
        "activities": words,
        "clauses": clauses,
        "n_discounted": len(discounted),
        "discounted_note_zh": _discounted_note(discounted, "zh"),
        "discounted_note_en": _discounted_note(discounted, "en"),
        **facts.words(words),
        **facts.lapsed(status.lapsed),
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }


def financial_activity_in_scope_without_licence(ctx: DetectorContext) -> ir.Table:
    """Restricted financial activity in the business scope, and no valid licence covering it.

    Words inside a prohibition (不得从事…), an exclusion (不含…) or a phrase naming clients
    (接受金融机构委托…) are not activities and do not count.
    """
    cand = candidates(ctx)
    scoped = cand.filter(cand.scope_terms.length() > 0).select(
        "subject_id", "subject_name", "scope_terms", "scope_hits", "scope_discounted"
    )
    row_fn = functools.partial(_scope_row, as_of=ctx.as_of, facts=_facts(ctx))
    step = functools.partial(_finish, row_fn=row_fn, schema=SCOPE_SCHEMA)
    return ctx.map_batches(with_licences(ctx, scoped), step, SCOPE_SCHEMA, step="scope")


# -- SW-R-0003 ------------------------------------------------------------------------------

HOLLOW_SCHEMA = _schema(
    ("name", pa.string()),
    ("words", _STR_LIST),
    ("registered_capital_wan", pa.float64()),
    ("paid_in_capital_wan", pa.float64()),
    ("paid_in_ratio_pct", pa.float64()),
    ("staff_count", pa.int64()),
    ("hollow_capital", pa.bool_()),
    ("hollow_staff", pa.bool_()),
)


def _hollow_row(
    row: Mapping[str, Any],
    *,
    as_of: date,
    params: Mapping[str, Any],
    authorises: Mapping[str, frozenset[str]],
) -> dict[str, Any] | None:
    words = list(licence_status(row["name_terms"], row["licences"], as_of, authorises).unauthorised)
    capital: Decimal | None = row["registered_capital"]
    currency = row["registered_capital_currency"] or "CNY"
    if not words or capital is None or currency != "CNY":
        return None
    if capital < params["min_registered_capital"]:
        return None
    paid: Decimal | None = row["paid_in_capital"]
    staff: int | None = row["staff_count"]
    ratio = float(paid / capital) if paid is not None and capital else None
    hollow_capital = ratio is not None and ratio < params["max_paid_in_ratio"]
    hollow_staff = staff is not None and staff <= params["max_staff"]
    if not (hollow_capital or hollow_staff):
        return None
    evidence = [
        {"field": "registered_capital", "value": float(capital), "currency": currency},
        {"field": "paid_in_capital", "value": float(paid) if paid is not None else None},
        {"field": "staff_count", "value": staff},
        *(h for h in json.loads(row["name_hits"]) if h["term"] in words),
    ]
    return {
        "subject_id": row["subject_id"],
        "subject_name": row["subject_name"],
        "name": row["subject_name"],
        "words": words,
        "registered_capital_wan": float(capital / _WAN),
        "paid_in_capital_wan": float(paid / _WAN) if paid is not None else None,
        "paid_in_ratio_pct": round(ratio * 100, 4) if ratio is not None else None,
        "staff_count": staff,
        "hollow_capital": hollow_capital,
        "hollow_staff": hollow_staff,
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }


def financial_name_hollow_capital(ctx: DetectorContext) -> ir.Table:
    """Financial-sounding name on a company with hollow capital or staff.

    An unlicensed restricted word in the name of a company whose registered capital is very
    high while its paid-in capital or its staff is next to nothing: the shell that lends a
    fundraising scheme the look of a large institution.
    """
    cand = candidates(ctx)
    ent = ctx.table("enterprise").select(
        "id", "registered_capital", "registered_capital_currency", "paid_in_capital", "staff_count"
    )
    named = cand.filter(cand.name_terms.length() > 0)
    joined = named.join(ent, named.subject_id == ent.id).select(
        "subject_id",
        "subject_name",
        "name_terms",
        "name_hits",
        "registered_capital",
        "registered_capital_currency",
        "paid_in_capital",
        "staff_count",
    )
    row_fn = functools.partial(
        _hollow_row, as_of=ctx.as_of, params=dict(ctx.params), authorises=authorisations()
    )
    step = functools.partial(_finish, row_fn=row_fn, schema=HOLLOW_SCHEMA)
    return ctx.map_batches(with_licences(ctx, joined), step, HOLLOW_SCHEMA, step="hollow")


# -- SW-R-0004 ------------------------------------------------------------------------------

PIVOT_SCHEMA = _schema(
    ("name", pa.string()),
    ("former_name", pa.string()),
    ("words", _STR_LIST),
    ("name_changed_on", pa.date32()),
    ("days_since_name_change", pa.int64()),
    ("activities", _STR_LIST),
    ("scope_changed_on", pa.date32()),
    ("days_since_scope_change", pa.int64()),
    ("name_pivot", pa.bool_()),
    ("scope_pivot", pa.bool_()),
)


def _recent(day: date | None, as_of: date, lookback_days: int) -> bool:
    return day is not None and as_of - timedelta(days=lookback_days) <= day <= as_of


def _pivot_row(
    row: Mapping[str, Any],
    *,
    as_of: date,
    lookback_days: int,
    authorises: Mapping[str, frozenset[str]],
) -> dict[str, Any] | None:
    held = row["licences"]
    words = list(licence_status(row["name_terms"], held, as_of, authorises).unauthorised)
    activities = list(licence_status(row["scope_terms"], held, as_of, authorises).unauthorised)
    name_day, scope_day = row["name_changed_on"], row["scope_changed_on"]
    name_pivot = bool(
        words
        and row["former_name"]
        and not row["former_name_terms"]
        and _recent(name_day, as_of, lookback_days)
    )
    scope_pivot = bool(activities and _recent(scope_day, as_of, lookback_days))
    if not (name_pivot or scope_pivot):
        return None
    evidence: list[dict[str, Any]] = []
    if name_pivot:
        evidence.append(
            {
                "field": "former_names",
                "former_name": row["former_name"],
                "name": row["subject_name"],
                "changed_on": name_day.isoformat(),
            }
        )
        evidence.extend(h for h in json.loads(row["name_hits"]) if h["term"] in words)
    if scope_pivot:
        evidence.append({"field": "scope_changed_on", "changed_on": scope_day.isoformat()})
        evidence.extend(h for h in json.loads(row["scope_hits"]) if h["term"] in activities)
    return {
        "subject_id": row["subject_id"],
        "subject_name": row["subject_name"],
        "name": row["subject_name"],
        "former_name": row["former_name"],
        "words": words if name_pivot else [],
        "name_changed_on": name_day,
        "days_since_name_change": (as_of - name_day).days if name_day else None,
        "activities": activities if scope_pivot else [],
        "scope_changed_on": scope_day,
        "days_since_scope_change": (as_of - scope_day).days if scope_day else None,
        "name_pivot": name_pivot,
        "scope_pivot": scope_pivot,
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }


def recent_pivot_to_finance(ctx: DetectorContext) -> ir.Table:
    """Recent turn towards finance, by name or by business scope.

    Within the look-back window the enterprise renamed itself from a name without any
    restricted word to one with an unlicensed restricted word, or changed its business scope,
    which now lists an unlicensed financial activity.
    """
    cand = candidates(ctx)
    ent = ctx.table("enterprise").select("id", "name_changed_on", "scope_changed_on")
    joined = cand.join(ent, cand.subject_id == ent.id).select(
        "subject_id",
        "subject_name",
        "name_terms",
        "name_hits",
        "scope_terms",
        "scope_hits",
        "former_name",
        "former_name_terms",
        "name_changed_on",
        "scope_changed_on",
    )
    row_fn = functools.partial(
        _pivot_row,
        as_of=ctx.as_of,
        lookback_days=int(ctx.params["lookback_days"]),
        authorises=authorisations(),
    )
    step = functools.partial(_finish, row_fn=row_fn, schema=PIVOT_SCHEMA)
    return ctx.map_batches(with_licences(ctx, joined), step, PIVOT_SCHEMA, step="pivot")


__all__ = [
    "financial_activity_in_scope_without_licence",
    "financial_name_hollow_capital",
    "recent_pivot_to_finance",
    "restricted_word_in_name_without_licence",
]
