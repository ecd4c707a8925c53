"""The document templates and word pools, and how a template becomes a text with its facts."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from smokewatch.demo.planting import DocumentFacts
from smokewatch.demo.texts import (
    COMPUTED_SLOTS,
    SUBJECTS,
    Template,
    base_slot,
    fill,
    load_document_texts,
    promise_classes,
)
from smokewatch.model.vocab import get_vocabulary

TEXTS = load_document_texts()


def _promise(phrase: str) -> Decimal:
    found = [p.annual for ps in promise_classes().values() for p in ps if p.phrase == phrase]
    assert found, phrase
    return found[0]


@pytest.mark.parametrize(
    ("phrase", "annual"),
    [
        ("预期年化收益18%", "18"),
        ("投资月息2分", "24"),
        ("月收益0.8%", "9.6"),
        ("每万元每天收益5元", "18.25"),
        ("投资1万元每月返息300元", "36"),
        ("投资10万元每月返息800元", "9.6"),
        ("本金10万元，一年后连本带息共12万元", "20"),
        ("日收益1%", "365"),
        ("年化收益12%-18%", "18"),
        ("投资10万元，每年返息9000元", "9"),
        ("年利率2.6%", "2.6"),
    ],
)
def test_promised_returns_are_annualised_simply(phrase: str, annual: str) -> None:
    assert _promise(phrase) == Decimal(annual)


def test_monthly_payouts_also_promise_regular_returns_in_words() -> None:
    payouts = [p for ps in promise_classes().values() for p in ps if "每月返息" in p.phrase]
    assert payouts and all(p.lure == "return_promise" for p in payouts)
    assert not any(p.lure for p in promise_classes()["ceiling_plain"])


@pytest.mark.parametrize(
    ("rate_class", "low", "high"),
    [
        ("ceiling", "15", "36.5"),
        ("high", "7.5", "10"),
        ("elevated", "5.2", "5.3"),
        ("market", "1.75", "3"),
    ],
)
def test_rate_classes_keep_their_rates_within_their_band(
    rate_class: str, low: str, high: str
) -> None:
    rates = [p.annual for p in promise_classes()[rate_class]]
    assert min(rates) == Decimal(low)
    assert max(rates) == Decimal(high)


def test_every_kind_is_a_document_kind_with_known_wordings() -> None:
    vocabulary = get_vocabulary("document_kind")
    for style in TEXTS.kinds.values():
        assert style.kind in vocabulary.terms
        wordings = [*style.wording, *(o.wording for o in style.outlets if o.wording)]
        assert all(vocabulary.resolve(w) == style.kind for w in wordings)


def test_patterns_name_known_subjects_and_only_known_slots() -> None:
    known = set(TEXTS.slots) | set(TEXTS.lures) | COMPUTED_SLOTS
    for pattern in TEXTS.patterns:
        assert pattern.subject in SUBJECTS
        for template in pattern.templates:
            assert {base_slot(s) for s in template.slots()} <= known


def test_quiet_patterns_use_no_lure_slot_and_state_no_fact() -> None:
    for pattern in TEXTS.patterns:
        if pattern.id.startswith("document.quiet."):
            assert pattern.facts == DocumentFacts()
            assert pattern.rate in (None, "market", "market_range")
            slots = {base_slot(s) for t in pattern.templates for s in t.slots()}
            assert not slots & set(TEXTS.lures), pattern.id


def test_lure_slots_add_their_fact_and_the_rate_its_yearly_rate() -> None:
    filled = fill(
        Template("{brand}：{rate}，{guarantee}，{custody}。"),
        rng=np.random.default_rng(3),
        texts=TEXTS,
        computed={"brand": "鑫源财富"},
        rate_class="ceiling_plain",
        facts=DocumentFacts(events=frozenset({"case"})),
    )
    assert filled.promise is not None
    assert filled.promise.phrase in filled.text
    assert filled.facts == DocumentFacts(
        promised_rate=filled.promise.annual,
        guarantee=True,
        schemes=frozenset({"impersonation"}),
        events=frozenset({"case"}),
    )
    assert "{" not in filled.text


def test_numbered_slots_draw_different_values_of_the_same_pool() -> None:
    for seed in range(20):
        filled = fill(
            Template("{warning}|{warning2}"),
            rng=np.random.default_rng(seed),
            texts=TEXTS,
            computed={},
            rate_class=None,
            facts=DocumentFacts(),
        )
        first, second = filled.text.split("|")
        assert first != second
        assert filled.facts == DocumentFacts()


def test_computed_functions_give_a_new_value_at_each_occurrence() -> None:
    numbers = iter(range(100))
    filled = fill(
        Template("{pct}-{pct}-{pct}"),
        rng=np.random.default_rng(1),
        texts=TEXTS,
        computed={"pct": lambda: str(next(numbers))},
        rate_class=None,
        facts=DocumentFacts(),
    )
    assert filled.text == "0-1-2"
