"""The lure lexicon: categories, weights, and statute quotes checked against the official texts."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from smokewatch.errors import ConfigError, NotFound
from smokewatch.model.vocab import get_vocabulary
from smokewatch.text.lexicon import (
    Lexicon,
    SourceStatus,
    Tier,
    lexicon_arrow_schema,
    load_lexicon,
    parse_lexicon,
)
from smokewatch.text.signal_patterns import load_signal_patterns


@pytest.fixture(scope="module")
def lure() -> Lexicon:
    return load_lexicon("lure_terms")


def _laws(shared_data: Path) -> dict[str, str]:
    """Official texts by their title (the first heading of each file)."""
    laws: dict[str, str] = {}
    for path in sorted((shared_data / "cn-regulatory-texts" / "laws").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        laws[text.splitlines()[0].removeprefix("# ").strip()] = text
    return laws


def _ad_terms(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "cn-regulatory-texts" / "illegal_fundraising_ad_terms.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------- structure


def test_the_lure_lexicon_loads_with_categories(lure: Lexicon) -> None:
    assert len(lure.terms) >= 120
    assert len(lure.categories) >= 15


def test_every_term_has_a_declared_category(lure: Lexicon) -> None:
    declared = {c.id for c in lure.categories}
    assert {t.category for t in lure.terms} <= declared
    assert all(t.category is not None for t in lure.terms)


@pytest.mark.parametrize(
    "family",
    [
        "fundraising.guarantee",
        "fundraising.return_promise",
        "pyramid.recruitment",
        "impersonation.licence",
        "impersonation.bank",
        "impersonation.government",
        "speculation.virtual_currency",
        "speculation.forex",
        "lending.intermediary",
        "lending.advance_fee",
        "fundraising.pension",
        "fundraising.cooperative",
        "fundraising.pretext_business",
        "fundraising.public_solicitation",
    ],
)
def test_each_typology_of_the_brief_has_words(lure: Lexicon, family: str) -> None:
    assert sum(t.category == family for t in lure.terms) >= 2


def test_category_typologies_are_keys_of_the_typology_vocabulary(lure: Lexicon) -> None:
    known = set(get_vocabulary("typology").terms)
    linked = {c.typology for c in lure.categories if c.typology is not None}
    assert linked
    assert linked <= known


def test_every_category_has_labels_in_both_languages(lure: Lexicon) -> None:
    for category in lure.categories:
        assert category.label.zh and category.label.en, category.id
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", category.id)


def test_weights_are_between_zero_and_one_and_terms_are_documented(lure: Lexicon) -> None:
    for entry in lure.terms:
        assert 0.0 < entry.weight <= 1.0, entry.term
        assert entry.doc and "\n" not in entry.doc, entry.term


@pytest.mark.parametrize(
    ("term", "at_least"),
    [("保本保息", 0.85), ("稳赚不赔", 0.85), ("拉人头", 0.75), ("解冻费", 0.8), ("AB贷", 0.8)],
)
def test_unambiguous_lures_weigh_heavily(lure: Lexicon, term: str, at_least: float) -> None:
    assert lure.term(term).weight >= at_least


@pytest.mark.parametrize("term", ["传单", "区块链", "养老服务", "有担保", "合法合规", "杠杆"])
def test_everyday_words_weigh_little(lure: Lexicon, term: str) -> None:
    assert lure.term(term).weight <= 0.25


def test_a_lure_lexicon_word_can_be_looked_up_by_category(lure: Lexicon) -> None:
    assert lure.category("lending.advance_fee").label.zh == "放款前收费"
    with pytest.raises(NotFound):
        lure.category("no.such")


# ---------------------------------------------------------------- sources


def test_every_binding_quote_occurs_verbatim_in_the_official_text(
    lure: Lexicon, shared_data: Path
) -> None:
    laws = _laws(shared_data)
    binding = [s for s in lure.sources if s.status is SourceStatus.BINDING]
    assert len(binding) >= 15
    for source in binding:
        assert source.title in laws, source.id
        assert source.quote is not None
        assert source.quote in laws[source.title], source.id


def test_every_binding_quote_sits_in_the_article_it_cites(lure: Lexicon, shared_data: Path) -> None:
    laws = _laws(shared_data)
    for source in (s for s in lure.sources if s.status is SourceStatus.BINDING):
        assert source.quote is not None and source.article is not None
        text = laws[source.title]
        before = text[: text.index(source.quote)]
        headings = re.findall(r"^(第[一二三四五六七八九十百]+条)", before, flags=re.MULTILINE)
        cited = re.match(r"第[一二三四五六七八九十百]+条", source.article)
        assert cited is not None
        assert headings[-1] == cited.group(0), source.id


def test_a_binding_tier_word_occurs_in_a_binding_quote(lure: Lexicon) -> None:
    for entry in (t for t in lure.terms if t.tier is Tier.BINDING):
        quotes = [
            lure.source(s).quote or ""
            for s in entry.sources
            if lure.source(s).status is SourceStatus.BINDING
        ]
        assert any(entry.term in quote for quote in quotes), entry.term


LEFT_OUT = {
    # statute wording that describes an act, not the language of an advertisement
    "保证性承诺": "legal wording of 广告法; ads say 保证收益, which we carry",
    "投资回报的承诺": "legal wording of 广告法第二十六条",
    "给予其他投资回报": "legal wording of the definition",
    "包含集资内容的广告": "legal wording of 条例第十一条",
    "承诺给付货币、股权、实物等回报": "legal wording of 条例第十九条",
    "虚假转让股权": "describes the fraud, not what the ad says",
    "发售虚构债券": "describes the fraud, not what the ad says",
    "假借境外基金": "describes the fraud, not what the ad says",
    "发售虚构基金": "describes the fraud, not what the ad says",
    "假冒保险公司": "describes the fraud, not what the ad says",
    "伪造保险单据": "describes the fraud, not what the ad says",
    # carried by another lexicon or too ordinary
    "融资租赁": "restricted_financial_words covers it",
    "资产管理": "restricted_financial_words covers it",
    "农民专业合作社": "an organisational form, found as a mention, not a lure",
    # public-education pretexts that are ordinary words
    "合伙办企业": "ordinary words",
    "境外投资股权": "ordinary words",
    "扶贫": "ordinary words",
    "互助": "ordinary words",
    "慈善": "ordinary words",
    "影视文化": "ordinary words",
}


def test_every_statute_term_of_the_ad_term_list_is_carried_as_binding_or_left_out(
    lure: Lexicon, shared_data: Path
) -> None:
    matcher = lure.matcher()
    statute_rows = [
        r
        for r in _ad_terms(shared_data)
        if r["verbatim_in_source"] == "yes" and r["category"] != "public_education_warning"
    ]
    assert len(statute_rows) >= 40
    for row in statute_rows:
        if row["term"] in LEFT_OUT:
            continue
        tiers = {lure.term(hit.term).tier for hit in matcher.find(row["term"])}
        assert Tier.BINDING in tiers, row["term"]


def test_public_education_words_are_carried_from_their_notice_or_left_out(
    lure: Lexicon, shared_data: Path
) -> None:
    matcher = lure.matcher()
    rows = [r for r in _ad_terms(shared_data) if r["category"] == "public_education_warning"]
    carried = 0
    for row in rows:
        if row["term"] in LEFT_OUT:
            continue
        hits = matcher.find(row["term"])
        assert hits, row["term"]
        entry = lure.term(hits[0].term)
        assert entry.tier is Tier.NOTICE, row["term"]
        assert {lure.source(s).status for s in entry.sources} == {SourceStatus.SECONDARY}
        carried += 1
    assert carried >= 9


@pytest.mark.parametrize("term", ["保本保息", "稳赚不赔"])
def test_words_no_official_text_contains_are_curated_not_binding(lure: Lexicon, term: str) -> None:
    entry = lure.term(term)
    assert entry.tier is Tier.CURATED
    assert "smokewatch_curated" in entry.sources


def test_every_curated_word_cites_the_curated_source(lure: Lexicon) -> None:
    for entry in (t for t in lure.terms if t.tier is Tier.CURATED):
        assert "smokewatch_curated" in entry.sources, entry.term
    assert lure.source("smokewatch_curated").status is SourceStatus.CURATED


def test_claim_categories_are_lexicon_categories(lure: Lexicon) -> None:
    declared = {c.id for c in lure.categories}
    assert {c.category for c in load_signal_patterns().claims} <= declared


# ---------------------------------------------------------------- the schema extension


def _minimal(**term: Any) -> dict[str, Any]:
    return {
        "kind": "lexicon",
        "name": "words",
        "title": {"zh": "字样", "en": "Words"},
        "categories": [{"id": "lure.test", "label": {"zh": "测试", "en": "Test"}}],
        "sources": [{"id": "mine", "title": "自编", "issuer": "我", "status": "curated"}],
        "terms": [
            {"term": "高息", "tier": "curated", "weight": 0.3, "sources": ["mine"], "doc": "x"}
            | term
        ],
    }


def test_a_term_may_name_a_declared_category() -> None:
    lexicon = parse_lexicon(_minimal(category="lure.test"), "test.yml")
    assert lexicon.term("高息").category == "lure.test"


def test_an_undeclared_category_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"unknown category 'lure\.other'"):
        parse_lexicon(_minimal(category="lure.other"), "test.yml")


def test_a_category_id_must_be_a_dotted_key() -> None:
    raw = _minimal()
    raw["categories"][0]["id"] = "Lure"
    with pytest.raises(ConfigError, match="categories"):
        parse_lexicon(raw, "test.yml")


def test_duplicate_categories_are_rejected() -> None:
    raw = _minimal()
    raw["categories"].append(raw["categories"][0])
    with pytest.raises(ConfigError, match="duplicate category"):
        parse_lexicon(raw, "test.yml")


def test_the_restricted_word_lexicon_still_has_no_categories() -> None:
    restricted = load_lexicon("restricted_financial_words")
    assert restricted.categories == ()
    assert {t.category for t in restricted.terms} == {None}


def test_to_arrow_carries_the_category(lure: Lexicon) -> None:
    table = lure.to_arrow()
    assert table.schema == lexicon_arrow_schema()
    assert pa.types.is_string(table.schema.field("category").type)
    rows = {r["term"]: r for r in table.to_pylist()}
    assert rows["拉人头"]["category"] == "pyramid.recruitment"
