"""Lexicons: the packaged restricted-word list, its legal sources, loading and overriding."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import yaml

from smokewatch.errors import ConfigError, NotFound
from smokewatch.model.vocab import get_vocabulary
from smokewatch.text.lexicon import (
    Lexicon,
    SourceStatus,
    TextKind,
    Tier,
    lexicon_arrow_schema,
    load_lexicon,
    load_lexicons,
    parse_lexicon,
)

ARTICLE_9_WORDS = ["金融", "交易所", "交易中心", "理财", "财富管理", "股权众筹"]
RECTIFICATION_2016_WORDS = [
    "交易所", "交易中心", "金融", "资产管理", "理财", "基金", "基金管理", "投资管理", "财富管理",
    "股权投资基金", "网贷", "网络借贷", "P2P", "股权众筹", "互联网保险", "支付",
]  # fmt: skip


def _law_text(shared_data: Path, title: str, year: int) -> str:
    path = shared_data / "cn-regulatory-texts" / "laws" / f"{title}_{year}.md"
    return path.read_text(encoding="utf-8")


def _minimal(name: str = "workspace_words", term: str = "高息") -> dict[str, Any]:
    return {
        "kind": "lexicon",
        "name": name,
        "title": {"zh": "测试字样", "en": "Test words"},
        "sources": [
            {"id": "local_notice", "title": "某地通知", "issuer": "某地金融局", "year": 2024,
             "status": "secondary"},
        ],
        "terms": [
            {"term": term, "tier": "notice", "sources": ["local_notice"], "weight": 0.3,
             "doc": "High interest."},
        ],
    }  # fmt: skip


def _write(folder: Path, filename: str, content: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the packaged lexicon


@pytest.mark.parametrize("word", ARTICLE_9_WORDS)
def test_every_word_of_article_9_is_in_the_binding_tier(lexicon: Lexicon, word: str) -> None:
    entry = lexicon.term(word)
    assert entry.tier is Tier.BINDING
    assert "fundraising_regulation_art9" in entry.sources


@pytest.mark.parametrize("word", RECTIFICATION_2016_WORDS)
def test_every_word_of_the_2016_list_cites_the_rectification_notice(
    lexicon: Lexicon, word: str
) -> None:
    assert "internet_finance_rectification_2016" in lexicon.term(word).sources


@pytest.mark.parametrize("word", ["信托", "银行"])
def test_words_known_only_from_notices_are_in_the_notice_tier(lexicon: Lexicon, word: str) -> None:
    assert lexicon.term(word).tier is Tier.NOTICE


def test_words_of_article_9_that_are_also_in_the_2016_list_stay_binding(lexicon: Lexicon) -> None:
    both = set(ARTICLE_9_WORDS) & set(RECTIFICATION_2016_WORDS)
    assert {lexicon.term(w).tier for w in both} == {Tier.BINDING}


def test_every_binding_tier_word_cites_a_binding_source(lexicon: Lexicon) -> None:
    for entry in lexicon.terms:
        if entry.tier is Tier.BINDING:
            statuses = {lexicon.source(s).status for s in entry.sources}
            assert SourceStatus.BINDING in statuses, entry.term


def test_bank_word_is_looked_for_in_names_only(lexicon: Lexicon) -> None:
    assert lexicon.term("银行").applies_to == frozenset({TextKind.NAME})


def test_weights_are_between_zero_and_one(lexicon: Lexicon) -> None:
    assert all(0.0 <= entry.weight <= 1.0 for entry in lexicon.terms)


def test_every_term_is_documented(lexicon: Lexicon) -> None:
    assert all(entry.doc and "\n" not in entry.doc for entry in lexicon.terms)


@pytest.mark.parametrize("word", ["财富", "交易", "资产", "投资", "融资", "保险"])
def test_shorter_words_are_not_restricted_on_their_own(lexicon: Lexicon, word: str) -> None:
    with pytest.raises(NotFound):
        lexicon.term(word)


def test_every_word_a_licence_kind_authorises_is_in_the_lexicon(lexicon: Lexicon) -> None:
    vocabulary = get_vocabulary("licence_kind")
    authorised = {w for term in vocabulary.terms.values() for w in term.attrs["authorises"]}
    known = {entry.term for entry in lexicon.terms}
    assert authorised - known == set()


def test_every_binding_source_quote_occurs_verbatim_in_the_law(
    lexicon: Lexicon, shared_data: Path
) -> None:
    binding = [s for s in lexicon.sources if s.status is SourceStatus.BINDING]
    assert len(binding) >= 5
    for source in binding:
        assert source.quote is not None and source.year is not None
        assert source.quote in _law_text(shared_data, source.title, source.year), source.id


def test_every_binding_source_quote_sits_in_the_article_it_cites(
    lexicon: Lexicon, shared_data: Path
) -> None:
    for source in (s for s in lexicon.sources if s.status is SourceStatus.BINDING):
        assert source.quote is not None and source.article is not None
        assert source.year is not None
        text = _law_text(shared_data, source.title, source.year)
        before = text[: text.index(source.quote)]
        headings = re.findall(r"^(第[一二三四五六七八九十百]+条)", before, flags=re.MULTILINE)
        cited = re.match(r"第[一二三四五六七八九十百]+条", source.article)
        assert cited is not None
        assert headings[-1] == cited.group(0), source.id


def test_article_9_quote_names_all_six_words(lexicon: Lexicon) -> None:
    quote = lexicon.source("fundraising_regulation_art9").quote or ""
    assert all(f"“{word}”" in quote for word in ARTICLE_9_WORDS)


def test_a_source_without_number_or_year_is_cited_by_title(lexicon: Lexicon) -> None:
    assert lexicon.source("icp_filing_guidance").citation().startswith("《互联网信息服务备案")


def test_a_source_renders_a_citation(lexicon: Lexicon) -> None:
    citation = lexicon.source("fundraising_regulation_art9").citation()
    assert citation == "《防范和处置非法集资条例》（国务院令第737号）第九条第一款"


def test_unknown_term_is_not_found(lexicon: Lexicon) -> None:
    with pytest.raises(NotFound, match="理发"):
        lexicon.term("理发")


# ---------------------------------------------------------------- Arrow


def test_to_arrow_has_one_row_per_term(lexicon: Lexicon) -> None:
    table = lexicon.to_arrow()
    assert table.num_rows == len(lexicon.terms)
    assert table.column("term").to_pylist() == [t.term for t in lexicon.terms]


def test_to_arrow_uses_the_documented_schema(lexicon: Lexicon) -> None:
    assert lexicon.to_arrow().schema == lexicon_arrow_schema()


def test_to_arrow_lists_the_sources_of_a_term(lexicon: Lexicon) -> None:
    rows = {row["term"]: row for row in lexicon.to_arrow().to_pylist()}
    assert rows["支付"]["sources"] == [
        "payment_regulation_art6",
        "internet_finance_rectification_2016",
    ]
    assert rows["支付"]["tier"] == "binding"
    assert pa.types.is_list(lexicon.to_arrow().schema.field("sources").type)


# ---------------------------------------------------------------- loading


def test_load_lexicons_lists_the_packaged_lexicon() -> None:
    assert "restricted_financial_words" in load_lexicons()


def test_scope_patterns_file_is_not_read_as_a_lexicon() -> None:
    assert "scope_patterns" not in load_lexicons()


def test_unknown_lexicon_is_not_found() -> None:
    with pytest.raises(NotFound, match="no_such_lexicon"):
        load_lexicon("no_such_lexicon")


def test_a_workspace_folder_adds_a_lexicon(tmp_path: Path) -> None:
    _write(tmp_path / "lexicons", "words.yml", _minimal())
    lexicon = load_lexicon("workspace_words", extra_dirs=[tmp_path / "lexicons"])
    assert [t.term for t in lexicon.terms] == ["高息"]


def test_a_workspace_lexicon_overrides_the_packaged_one_of_the_same_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "lexicons", "mine.yml", _minimal("restricted_financial_words"))
    lexicon = load_lexicon("restricted_financial_words", extra_dirs=[tmp_path / "lexicons"])
    assert [t.term for t in lexicon.terms] == ["高息"]
    assert lexicon.origin == str(path)


def test_an_override_does_not_leak_into_later_loads(tmp_path: Path) -> None:
    _write(tmp_path / "lexicons", "mine.yml", _minimal("restricted_financial_words"))
    load_lexicon("restricted_financial_words", extra_dirs=[tmp_path / "lexicons"])
    assert load_lexicon("restricted_financial_words").term("理财").tier is Tier.BINDING


def test_a_later_folder_wins_over_an_earlier_one(tmp_path: Path) -> None:
    _write(tmp_path / "a", "w.yml", _minimal(term="高息"))
    _write(tmp_path / "b", "w.yml", _minimal(term="保本"))
    lexicon = load_lexicon("workspace_words", extra_dirs=[tmp_path / "a", tmp_path / "b"])
    assert [t.term for t in lexicon.terms] == ["保本"]


def test_a_missing_workspace_folder_is_skipped(tmp_path: Path) -> None:
    assert load_lexicons([tmp_path / "absent"]).keys() == load_lexicons().keys()


def test_workspace_errors_of_every_file_are_reported_together(tmp_path: Path) -> None:
    bad_weight = _minimal(name="one")
    bad_weight["terms"][0]["weight"] = 2
    bad_source = _minimal(name="two")
    bad_source["terms"][0]["sources"] = ["nowhere"]
    _write(tmp_path, "one.yml", bad_weight)
    _write(tmp_path, "two.yml", bad_source)
    with pytest.raises(ConfigError) as caught:
        load_lexicons([tmp_path])
    messages = [str(p) for p in caught.value.problems]
    assert any("one.yml" in m and "weight" in m for m in messages)
    assert any("two.yml" in m and "nowhere" in m for m in messages)


def test_invalid_yaml_in_a_workspace_lexicon_carries_its_location(tmp_path: Path) -> None:
    (tmp_path / "broken.yml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.yml:\d+:\d+"):
        load_lexicons([tmp_path])


# ---------------------------------------------------------------- validation


def test_a_spelling_used_by_two_terms_is_rejected() -> None:
    raw = _minimal()
    raw["terms"].append(
        {"term": "高利", "variants": ["高息"], "tier": "notice", "sources": ["local_notice"],
         "weight": 0.3, "doc": "Dup."}
    )  # fmt: skip
    with pytest.raises(ConfigError, match="already used"):
        parse_lexicon(raw, "test.yml")


def test_a_spelling_differing_only_in_width_or_case_is_a_duplicate() -> None:
    raw = _minimal(term="P2P")
    raw["terms"].append(
        {"term": "ｐ２ｐ", "tier": "notice", "sources": ["local_notice"], "weight": 0.3,
         "doc": "Dup."}
    )  # fmt: skip
    with pytest.raises(ConfigError, match="already used"):
        parse_lexicon(raw, "test.yml")


def test_a_false_friend_must_contain_its_word() -> None:
    raw = _minimal()
    raw["terms"][0]["false_friends"] = ["低息"]
    with pytest.raises(ConfigError, match="false friend"):
        parse_lexicon(raw, "test.yml")


def test_a_binding_tier_needs_a_binding_source() -> None:
    raw = _minimal()
    raw["terms"][0]["tier"] = "binding"
    with pytest.raises(ConfigError, match="binding source"):
        parse_lexicon(raw, "test.yml")


def test_a_binding_source_needs_a_quote() -> None:
    raw = _minimal()
    raw["sources"][0]["status"] = "binding"
    with pytest.raises(ConfigError, match="quote"):
        parse_lexicon(raw, "test.yml")


def test_unknown_keys_are_rejected() -> None:
    raw = _minimal()
    raw["terms"][0]["wieght"] = 0.5
    with pytest.raises(ConfigError, match="wieght"):
        parse_lexicon(raw, "test.yml")


def test_an_unknown_tier_is_rejected() -> None:
    raw = _minimal()
    raw["terms"][0]["tier"] = "urgent"
    with pytest.raises(ConfigError, match="tier"):
        parse_lexicon(raw, "test.yml")
