"""Shared steps of the registry rules: restricted words in names and scopes, and licences.

Every registry rule needs the same two facts about an enterprise: which restricted financial
words its name and business scope carry (read by :mod:`smokewatch.text`), and which licences
it holds. Both are computed once per run (:meth:`DetectorContext.shared`):

1. **Candidates** — the engine keeps only enterprises whose name or scope matches a regular
   expression built from the lexicon (a cheap scan that runs where the data is); a Python step
   over Arrow batches then reads each candidate's name, scope and former names properly
   (width folding, longest match, false friends, prohibition and exclusion clauses).
2. **Licences** — the engine joins candidates to the licence register by USCC and by exact
   name, and collects each candidate's licences.

:func:`licence_status` then decides, per word, whether a licence valid on the evaluation date
authorises it, and :func:`required_licences` says which licence kinds would.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from smokewatch.detect.run import DetectorContext
from smokewatch.model.vocab import get_vocabulary
from smokewatch.text.boilerplate import load_scope_boilerplate
from smokewatch.text.lexicon import Lexicon, TextKind
from smokewatch.text.matcher import LexiconMatcher
from smokewatch.text.scope import find_scope_activities

if TYPE_CHECKING:
    import ibis.expr.types as ir

LEXICON = "restricted_financial_words"
ACTIVE = "active"

CANDIDATE_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("uscc", pa.string()),
        ("name_terms", pa.list_(pa.string())),
        ("name_hits", pa.string()),
        ("scope_terms", pa.list_(pa.string())),
        ("scope_hits", pa.string()),
        ("scope_discounted", pa.string()),
        ("scope_summary_zh", pa.string()),
        ("scope_summary_en", pa.string()),
        ("former_name", pa.string()),
        ("former_name_terms", pa.list_(pa.string())),
    ]
)
"""One row per enterprise whose name or scope carries a restricted word (JSON as strings)."""


# -- prefilter ------------------------------------------------------------------------------

_FULL_WIDTH = 0xFEE0


def _char_class(char: str) -> str:
    if char.isascii() and char.isalnum():
        forms = {char.upper(), char.lower()}
        forms |= {chr(ord(f) + _FULL_WIDTH) for f in list(forms)}
        return "[" + "".join(sorted(forms)) + "]"
    return re.escape(char)


def prefilter_pattern(lexicon: Lexicon) -> str:
    """A regular expression that matches every text the lexicon matcher could match.

    It over-approximates on purpose (false friends are dropped later, in Python); it must never
    under-approximate, or a candidate would be lost. Latin letters match in either case and
    width, as the matcher folds them.

    Examples:
        >>> from smokewatch.text.lexicon import load_lexicon
        >>> "[PpＰｐ][2２][PpＰｐ]" in prefilter_pattern(load_lexicon(LEXICON))
        True
    """
    surfaces = sorted({s for t in lexicon.terms for s in t.surfaces}, key=len, reverse=True)
    return "|".join("".join(_char_class(c) for c in surface) for surface in surfaces)


# -- candidate analysis (runs in Python over Arrow batches, on DuckDB or Spark executors) ----


def _strip_boilerplate(scope: str, phrases: Sequence[str]) -> str:
    for phrase in phrases:
        if phrase in scope:
            scope = scope.replace(phrase, "")
    return scope


@dataclass(slots=True)
class _Reader:
    """Per-process state of the candidate step: matchers, tiers, boilerplate."""

    name_m: LexiconMatcher
    scope_m: LexiconMatcher
    tiers: Mapping[str, str]
    boilerplate: Sequence[str]

    def row(self, row: Mapping[str, Any]) -> dict[str, Any] | None:
        name = row["name"] or ""
        scope_text = row["business_scope"] or ""
        name_hits = self.name_m.find(name)
        # Cheap test first: only scopes with a hit outside the standard boilerplate are read
        # clause by clause (the boilerplate names no activity; see scope_boilerplate.yml).
        scope_live = bool(self.scope_m.find(_strip_boilerplate(scope_text, self.boilerplate)))
        scope = find_scope_activities(scope_text, self.scope_m) if scope_live else None
        if not name_hits and not (scope and scope.activities):
            return None
        former = [n for n in (row["former_names"] or []) if n]
        latest_former = former[-1] if former else None
        former_terms = (
            sorted({m.term for m in self.name_m.find(latest_former)}) if latest_former else []
        )
        tiers = self.tiers
        name_json = [
            {
                "field": "name",
                "term": m.term,
                "start": m.start,
                "end": m.end,
                "surface": m.surface,
                "tier": tiers.get(m.term),
            }
            for m in name_hits
        ]
        activities = scope.activities if scope else ()
        discounted = scope.discounted if scope else ()
        scope_json = [
            {
                "field": "business_scope",
                "term": h.match.term,
                "start": h.match.start,
                "end": h.match.end,
                "surface": h.match.surface,
                "clause": h.clause.text,
                "tier": tiers.get(h.match.term),
            }
            for h in activities
        ]
        discounted_json = [
            {
                "field": "business_scope",
                "term": h.match.term,
                "start": h.match.start,
                "clause": h.clause.text,
                "kind": h.reason.kind.value if h.reason else None,
                "reason_zh": h.reason.zh if h.reason else None,
                "reason_en": h.reason.en if h.reason else None,
            }
            for h in discounted
        ]
        return {
            "subject_id": row["id"],
            "subject_name": name,
            "uscc": row["uscc"],
            "name_terms": list(dict.fromkeys(m.term for m in name_hits)),
            "name_hits": json.dumps(name_json, ensure_ascii=False),
            "scope_terms": list(scope.terms) if scope else [],
            "scope_hits": json.dumps(scope_json, ensure_ascii=False),
            "scope_discounted": json.dumps(discounted_json, ensure_ascii=False),
            "scope_summary_zh": scope.describe("zh") if activities and scope else None,
            "scope_summary_en": scope.describe("en") if activities and scope else None,
            "former_name": latest_former,
            "former_name_terms": former_terms,
        }


def analyse_candidates(
    batches: Iterator[pa.RecordBatch], lexicon: Lexicon
) -> Iterator[pa.RecordBatch]:
    """Read names, scopes and former names of candidate enterprises (a picklable step)."""
    reader = _Reader(
        lexicon.matcher(TextKind.NAME),
        lexicon.matcher(TextKind.SCOPE),
        {t.term: t.tier.value for t in lexicon.terms},
        load_scope_boilerplate(),
    )
    for batch in batches:
        rows = [reader.row(r) for r in batch.to_pylist()]
        yield pa.RecordBatch.from_pylist(
            [r for r in rows if r is not None], schema=CANDIDATE_SCHEMA
        )


def _build_candidates(ctx: DetectorContext) -> ir.Table:
    lexicon: Lexicon = ctx.lexicon(LEXICON)
    pattern = prefilter_pattern(lexicon)
    ent = ctx.table("enterprise")
    hits = ent.name.re_search(pattern) | ent.business_scope.fill_null("").re_search(pattern)
    live = ent.filter(hits & ent.status.fill_null(ACTIVE).isin([ACTIVE, "closing", "other"]))
    columns = live.select("id", "uscc", "name", "business_scope", "former_names")
    step = functools.partial(analyse_candidates, lexicon=lexicon)
    return ctx.map_batches(columns, step, CANDIDATE_SCHEMA, step="candidates")


def candidates(ctx: DetectorContext) -> ir.Table:
    """Enterprises (not deregistered or revoked) whose name or scope has a restricted word."""
    return ctx.shared("registry_candidates", _build_candidates)


# -- licences -------------------------------------------------------------------------------


def _build_licences(ctx: DetectorContext) -> ir.Table:
    import ibis  # noqa: PLC0415 - engines load ibis lazily

    cand = candidates(ctx).select("subject_id", "subject_name", "uscc")
    lic = ctx.table("licence")
    fields = ("kind", "number", "status", "valid_from", "valid_to", "holder_name")

    def matched(on: ir.BooleanValue) -> ir.Table:
        joined = cand.join(lic, on)
        return joined.select("subject_id", *fields)

    both = matched(cand.uscc == lic.holder_uscc).union(
        matched(cand.subject_name == lic.holder_name), distinct=True
    )
    record = ibis.struct({f: both[f] for f in fields})
    return both.group_by("subject_id").aggregate(licences=record.collect())


def licences(ctx: DetectorContext) -> ir.Table:
    """Each candidate's licences (by USCC or exact name) as a list of records."""
    return ctx.shared("registry_licences", _build_licences)


def with_licences(ctx: DetectorContext, table: ir.Table) -> ir.Table:
    """``table`` (keyed by subject_id) with a ``licences`` column (null when none)."""
    lic = licences(ctx)
    return table.left_join(lic, table.subject_id == lic.subject_id).drop("subject_id_right")


@dataclass(frozen=True, slots=True)
class LicenceStatus:
    """For a set of restricted words: which are authorised, and which lost their licence."""

    unauthorised: tuple[str, ...]
    """Words no licence valid on the evaluation date authorises."""
    lapsed: tuple[dict[str, Any], ...]
    """Authorising licences held but not valid on the evaluation date (expired, revoked…)."""
    valid: tuple[dict[str, Any], ...]
    """Licences valid on the evaluation date (whatever they authorise)."""


def authorisations() -> dict[str, frozenset[str]]:
    """Licence kind → the restricted words it authorises (vocabulary ``licence_kind``)."""
    vocab = get_vocabulary("licence_kind")
    return {k: frozenset(t.attrs.get("authorises", ())) for k, t in vocab.terms.items()}


def _valid_on(licence: Mapping[str, Any], as_of: date) -> bool:
    start, end = licence.get("valid_from"), licence.get("valid_to")
    return (
        licence.get("status") == ACTIVE
        and (start is None or start <= as_of)
        and (end is None or end >= as_of)
    )


def _record(licence: Mapping[str, Any]) -> dict[str, Any]:
    return {k: licence.get(k) for k in ("kind", "number", "status", "valid_from", "valid_to")}


def licence_status(
    words: Sequence[str],
    held: Iterable[Mapping[str, Any]] | None,
    as_of: date,
    authorises: Mapping[str, frozenset[str]],
) -> LicenceStatus:
    """Check words against the licences held on ``as_of``.

    A word is authorised when a licence of a kind that authorises it is active and within its
    validity on ``as_of``. A licence of such a kind that is not (expired, revoked, not yet
    valid) is reported as lapsed — regulators read that differently from "never licensed".
    """
    held = list(held or [])
    valid = [lic for lic in held if _valid_on(lic, as_of)]
    covered = {w for lic in valid for w in authorises.get(str(lic.get("kind")), ())}
    unauthorised = tuple(w for w in words if w not in covered)
    lapsed = tuple(
        _record(lic)
        for lic in held
        if not _valid_on(lic, as_of)
        and authorises.get(str(lic.get("kind")), frozenset()) & set(unauthorised)
    )
    return LicenceStatus(unauthorised, lapsed, tuple(_record(lic) for lic in valid))


def required_licences(
    words: Iterable[str], authorises: Mapping[str, frozenset[str]], lang: str
) -> list[str]:
    """Labels of the licence kinds that would authorise any of ``words``."""
    vocab = get_vocabulary("licence_kind")
    wanted = set(words)
    return [vocab.terms[k].label(lang) for k, allowed in authorises.items() if allowed & wanted]


def citations(words: Iterable[str], lexicon: Lexicon) -> list[str]:
    """The legal basis of each word: 《title》article of its sources, de-duplicated."""
    cites: dict[str, None] = {}
    for word in words:
        for source_id in lexicon.term(word).sources:
            cites[lexicon.source(source_id).citation()] = None
    return list(cites)


def tier_of(words: Iterable[str], lexicon: Lexicon, tier: str) -> list[str]:
    """The words of one tier (binding / rectification / notice), in the given order."""
    return [w for w in words if lexicon.term(w).tier.value == tier]


def licence_evidence(status: LicenceStatus, words: Sequence[str], as_of: date) -> dict[str, Any]:
    """The licence lookup as an evidence item."""
    return {
        "lookup": "licence",
        "as_of": as_of.isoformat(),
        "words": list(words),
        "unauthorised": list(status.unauthorised),
        "valid_licences": [_jsonable(r) for r in status.valid],
        "lapsed_licences": [_jsonable(r) for r in status.lapsed],
    }


def _jsonable(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in record.items()}


__all__ = [
    "CANDIDATE_SCHEMA",
    "LEXICON",
    "LicenceStatus",
    "analyse_candidates",
    "authorisations",
    "candidates",
    "citations",
    "licence_evidence",
    "licence_status",
    "licences",
    "prefilter_pattern",
    "required_licences",
    "tier_of",
    "with_licences",
]
