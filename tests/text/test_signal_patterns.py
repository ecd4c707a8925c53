"""The discount rules and claims of ``signal_patterns.yml``: their own examples, and loading."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from smokewatch.errors import ConfigError
from smokewatch.model._yaml import package_dir
from smokewatch.text.events import EVENT_DISCOUNTS, EVENT_LEXICON
from smokewatch.text.lexicon import load_lexicon, load_lexicons
from smokewatch.text.mentions import find_mentions, name_spans
from smokewatch.text.signal_patterns import (
    DiscountKind,
    Position,
    Scope,
    SignalPatterns,
    load_signal_patterns,
    parse_signal_patterns,
)
from smokewatch.text.signals import SignalScanner

PATTERNS = load_signal_patterns()


def _alone(rule_id: str, text: str) -> SignalScanner:
    """A scanner that tries only this discount rule (its examples must not lean on others).

    Rules that also read reported events (:data:`EVENT_DISCOUNTS`) may give examples with event
    words (跑路, 无法提现) instead of lure words: those are scanned with the event lexicon.
    """
    patterns = dataclasses.replace(PATTERNS, discounts=(PATTERNS.rule(rule_id),))
    lure = SignalScanner(patterns=patterns)
    if rule_id not in EVENT_DISCOUNTS:
        return lure
    found = lure.scan(text)
    if found.signals or found.discounted:
        return lure
    return SignalScanner(load_lexicon(EVENT_LEXICON), patterns)


def _examples(kind: str) -> list[tuple[str, str]]:
    return [(rule.id, text) for rule in PATTERNS.discounts for text in getattr(rule, kind)]


@pytest.mark.parametrize(("rule_id", "text"), _examples("examples"))
def test_every_example_is_discounted_by_its_rule(rule_id: str, text: str) -> None:
    analysis = _alone(rule_id, text).scan(text)
    assert [s.rule for s in analysis.discounted if s.rule == rule_id], (text, analysis)


@pytest.mark.parametrize(("rule_id", "text"), _examples("counter_examples"))
def test_no_counter_example_is_discounted_by_its_rule(rule_id: str, text: str) -> None:
    analysis = _alone(rule_id, text).scan(text)
    assert analysis.signals, text
    assert not analysis.discounted, (text, analysis.discounted)


@pytest.mark.parametrize(
    ("claim_id", "text"), [(c.id, t) for c in PATTERNS.claims for t in c.examples]
)
def test_every_claim_example_is_found(claim_id: str, text: str) -> None:
    found = SignalScanner().scan(text)
    claim = PATTERNS.claim(claim_id)
    assert [s for s in found.signals if s.source == claim_id and s.term == claim.term], text


def test_every_rule_says_why_in_both_languages() -> None:
    for rule in PATTERNS.discounts:
        assert rule.zh and rule.en
        assert rule.reason("zh-CN") == rule.zh and rule.reason("en") == rule.en


def test_all_four_pattern_kinds_and_five_positions_are_used() -> None:
    # ``name`` discounts come from the names found in the text (SignalAnalysis.outside_names).
    assert {r.kind for r in PATTERNS.discounts} == set(DiscountKind) - {DiscountKind.NAME}
    assert {r.position for r in PATTERNS.discounts} == set(Position)
    assert {r.scope for r in PATTERNS.discounts} == set(Scope)


def test_negations_come_first_so_their_reason_wins() -> None:
    kinds = [r.kind for r in PATTERNS.discounts]
    assert kinds[: kinds.count(DiscountKind.NEGATION)] == [DiscountKind.NEGATION] * kinds.count(
        DiscountKind.NEGATION
    )


def test_the_patterns_file_is_not_read_as_a_lexicon() -> None:
    assert "signal_patterns" not in load_lexicons()
    assert "mention_words" not in load_lexicons()


# ---------------------------------------------------------------- loading errors


def _raw() -> dict[str, Any]:
    path = Path(str(package_dir("smokewatch.text", "lexicons") / "signal_patterns.yml"))
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return raw


def test_the_packaged_file_parses_the_same_twice() -> None:
    assert isinstance(parse_signal_patterns(_raw(), "copy.yml"), SignalPatterns)


def test_an_invalid_regular_expression_is_reported_with_the_rule() -> None:
    raw = _raw()
    raw["discounts"][0]["pattern"] = "(?:不"
    with pytest.raises(ConfigError, match="negated_term: invalid regular expression"):
        parse_signal_patterns(raw, "bad.yml")


def test_capturing_groups_are_rejected() -> None:
    raw = _raw()
    raw["discounts"][0]["pattern"] = "(不)$"
    with pytest.raises(ConfigError, match=r"use \(\?:…\)"):
        parse_signal_patterns(raw, "bad.yml")


def test_a_claim_needs_its_party_group() -> None:
    raw = _raw()
    raw["claims"][0]["pattern"] = "与银行合作"
    with pytest.raises(ConfigError, match="named groups allowed: party"):
        parse_signal_patterns(raw, "bad.yml")


def test_duplicate_rule_ids_are_rejected() -> None:
    raw = _raw()
    raw["discounts"].append(raw["discounts"][0])
    with pytest.raises(ConfigError, match="duplicate rule id 'negated_term'"):
        parse_signal_patterns(raw, "bad.yml")


def test_a_rule_needs_examples_and_a_known_position() -> None:
    raw = _raw()
    raw["discounts"][0]["examples"] = []
    raw["discounts"][1]["position"] = "somewhere"
    with pytest.raises(ConfigError) as caught:
        parse_signal_patterns(raw, "bad.yml")
    messages = " ".join(str(p) for p in caught.value.problems)
    assert "examples" in messages and "position" in messages


def test_name_discounts_cannot_be_written_as_patterns() -> None:
    raw = _raw()
    raw["discounts"][0]["kind"] = "name"
    with pytest.raises(ConfigError, match="given by names found in the text"):
        parse_signal_patterns(raw, "bad.yml")


def test_words_inside_a_name_are_discounted_with_the_name_as_cue() -> None:
    text = "杭州银湖网络借贷信息中介服务有限公司发布公告：平台与银行合作，保本保息"
    found = SignalScanner().scan(text)
    kept = found.outside_names(name_spans(find_mentions(text)))
    assert "网络借贷" in {s.term for s in found.signals}
    assert "网络借贷" not in {s.term for s in kept.signals}
    assert "保本保息" in {s.term for s in kept.signals}
    (moved,) = [s for s in kept.discounted if s.term == "网络借贷"]
    assert moved.discount is DiscountKind.NAME
    assert moved.cue == "杭州银湖网络借贷信息中介服务有限公司"


# ---------------------------------------------------------------- claims naming real banks


def _banks(shared_data: Path) -> list[str]:
    path = shared_data / "cn-licensed-banks-nfra" / "nfra_2025-12-31_banks_partial.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["name"] for row in csv.DictReader(handle)]


def _short(name: str) -> str:
    """中国工商银行股份有限公司 → 中国工商银行; 汇丰银行（中国）有限公司 → 汇丰银行."""
    return re.sub(r"(（中国）)?(股份有限公司|有限责任公司|有限公司)$", "", name)


@pytest.mark.parametrize(
    "template",
    [
        "本平台已与{bank}达成资金存管合作，请放心投资",
        "好消息！我们携手{bank}战略合作，收益有保障",
        "出借人资金由{bank}全程存管",
    ],
)
def test_claims_naming_every_licensed_bank_are_recognised(shared_data: Path, template: str) -> None:
    scanner = SignalScanner()
    banks = _banks(shared_data)
    assert len(banks) >= 200
    missed = []
    for name in banks:
        for written in (name, _short(name)):
            signals = scanner.scan(template.format(bank=written)).signals
            parties = {s.value for s in signals if s.kind == "impersonation.bank"}
            if written not in parties:
                missed.append(written)
    assert missed == []


def test_a_claim_names_the_bank_as_written(shared_data: Path) -> None:
    name = _banks(shared_data)[0]
    text = f"资金由{name}存管"
    (signal,) = SignalScanner().scan(text).signals
    assert signal.value == name
    assert text[signal.start : signal.end] == signal.text
