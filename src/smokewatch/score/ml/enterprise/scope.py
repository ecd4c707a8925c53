"""Business-scope signals (经营范围) of ``base_info``, read by the text module as an engine step.

:func:`scope_signals` runs over Arrow batches of ``(id, opscope)`` through
``Engine.map_batches`` (in process or worker processes on DuckDB, ``mapInArrow`` on Spark).
Each scope is read by :func:`smokewatch.text.scope.find_scope_activities`, so a word inside a
prohibition (未经金融等监管部门批准，不得从事吸收存款、代客理财…), an exclusion (不含金融业务)
or an approval note is *not* counted as an activity, but the prohibition itself is counted:
registries add that clause to investment and asset-management firms, which is a signal of its
own. Two word lists are used: the restricted financial words of the text module's lexicon
(with their tier and weight) and :data:`INVESTMENT_WORDS`, ordinary investment and financing
activities that are not restricted on their own but are where illegal fundraising hides.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from smokewatch.text.lexicon import Lexicon, TextKind, Tier, load_lexicon
from smokewatch.text.matcher import LexiconMatcher
from smokewatch.text.scope import find_scope_activities, split_clauses
from smokewatch.text.scope_patterns import ClauseKind, ScopePatterns, load_scope_patterns

LEXICON = "restricted_financial_words"
INVESTMENT_WORDS = (
    "投资管理",
    "资产管理",
    "投资咨询",
    "财富管理",
    "股权投资",
    "创业投资",
    "实业投资",
    "项目投资",
    "投资",
    "融资",
    "理财",
    "基金",
    "借贷",
    "担保",
    "众筹",
    "金融信息",
    "资本运营",
)
"""Investment and financing activities counted in activity clauses of a scope (longest match
wins: 投资管理 is one word, not 投资 + 管理)."""

SCOPE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("scope_chars", pa.int64()),
        ("scope_clauses", pa.int64()),
        ("scope_restricted_terms", pa.int64()),
        ("scope_restricted_weight", pa.float64()),
        ("scope_binding_terms", pa.int64()),
        ("scope_investment_terms", pa.int64()),
        ("scope_prohibitions", pa.int64()),
        ("scope_discounted_hits", pa.int64()),
    ]
)
"""One row per enterprise with a scope: the numbers the scope features read."""


class _Reader:
    def __init__(self, lexicon: Lexicon, patterns: ScopePatterns) -> None:
        self.restricted = lexicon.matcher(TextKind.SCOPE)
        self.investment = LexiconMatcher({w: w for w in INVESTMENT_WORDS})
        self.weight = {t.term: t.weight for t in lexicon.terms}
        self.binding = {t.term for t in lexicon.terms if t.tier is Tier.BINDING}
        self.patterns = patterns

    def row(self, key: str, scope: str | None) -> dict[str, object]:
        text = scope or ""
        restricted = find_scope_activities(text, self.restricted, self.patterns)
        investment = find_scope_activities(text, self.investment, self.patterns)
        clauses = split_clauses(text, self.patterns) if text else []
        terms = restricted.terms
        return {
            "id": key,
            "scope_chars": len(text.strip()),
            "scope_clauses": sum(c.kind is ClauseKind.ACTIVITY for c in clauses),
            "scope_restricted_terms": len(terms),
            "scope_restricted_weight": max((self.weight.get(t, 0.0) for t in terms), default=0.0),
            "scope_binding_terms": sum(t in self.binding for t in terms),
            "scope_investment_terms": len(investment.terms),
            "scope_prohibitions": sum(c.kind is ClauseKind.PROHIBITION for c in clauses),
            "scope_discounted_hits": len(restricted.discounted),
        }


def scope_signals(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Read the business scopes of a batch of enterprises (a picklable engine step).

    Input columns ``id`` and ``opscope``; output :data:`SCOPE_SCHEMA`.
    """
    reader = _Reader(load_lexicon(LEXICON), load_scope_patterns())
    for batch in batches:
        ids = batch.column("id").to_pylist()
        scopes = batch.column("opscope").to_pylist()
        rows = [reader.row(k, s) for k, s in zip(ids, scopes, strict=True)]
        yield pa.RecordBatch.from_pylist(rows, schema=SCOPE_SCHEMA)


__all__ = ["INVESTMENT_WORDS", "LEXICON", "SCOPE_SCHEMA", "scope_signals"]
