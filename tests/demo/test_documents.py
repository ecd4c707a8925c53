"""The demo city's text documents: what is planted, how it is written, what it must trigger."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from smokewatch.demo import DOCUMENT_RULE_IDS, DemoManifest, builtin_planters
from smokewatch.demo.city import City, generate_city
from smokewatch.demo.planting import ATTRIBUTED_RULE_IDS, DOCUMENT_TABLE, PlantedCase
from smokewatch.demo.texts import load_document_texts
from smokewatch.model.types import clean_uscc
from smokewatch.model.vocab import get_vocabulary
from tests.demo.text_oracle import read_document

KINDS = ("ad", "web_page", "post", "news", "sms", "notice", "complaint")


def _rows(city: City) -> list[dict[str, Any]]:
    return city.documents.to_pylist()


def _document_cases(city: City) -> list[PlantedCase]:
    """The documents of the text catalogue (not the complaints about licensed lenders)."""
    return [
        c
        for c in city.cases
        if c.subject_table == DOCUMENT_TABLE and not c.pattern.startswith("local.")
    ]


def _kind(row: dict[str, Any]) -> str | None:
    return get_vocabulary("document_kind").resolve(row["类型"])


@pytest.fixture(scope="session")
def city() -> City:
    """The default city (20,000 enterprises, default seed), as tables."""
    return generate_city()


@pytest.fixture(scope="session")
def tiny_city() -> City:
    """A city of 500 enterprises."""
    return generate_city(enterprises=500, seed=11)


def test_the_default_city_has_a_few_hundred_documents(city: City) -> None:
    assert 200 <= city.documents.num_rows <= 500


_DESIGNED = ("complaints.", "spread.", "smoke.")
"""Enterprise cases whose documents are a fixed set, whatever the size of the city."""


def _fixed_documents(city: City) -> int:
    """Documents of the designed cases: ``given``-subject patterns, news about smoke cases."""
    given = {p.id for p in load_document_texts().patterns if p.subject == "given"}
    names = {c.name for c in city.cases if c.pattern.startswith(_DESIGNED)}
    texts = {r["编号"]: r["正文"] for r in _rows(city)}
    return sum(
        1
        for c in _document_cases(city)
        if c.pattern in given or any(n in texts[c.reference or ""] for n in names)
    )


def test_the_number_of_documents_grows_with_the_city() -> None:
    small = generate_city(enterprises=3_000, seed=5)
    large = generate_city(enterprises=40_000, seed=5)
    fixed = _fixed_documents(small)
    assert fixed == _fixed_documents(large) > 50
    assert small.documents.num_rows - fixed < 100 < 400 < large.documents.num_rows - fixed


@pytest.mark.parametrize("fixture", ["city", "tiny_city"])
def test_every_kind_is_written_even_in_a_tiny_city(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    documents: City = request.getfixturevalue(fixture)
    assert {_kind(r) for r in _rows(documents)} == set(KINDS)


def test_every_pattern_is_planted_even_in_a_tiny_city(tiny_city: City) -> None:
    planted = {c.pattern for c in _document_cases(tiny_city)}
    assert planted == {p.id for p in load_document_texts().patterns}


def test_kind_wordings_resolve_through_the_vocabulary(city: City) -> None:
    assert all(_kind(r) in KINDS for r in _rows(city))
    assert {"公众号", "举报", "网站"} <= {r["类型"] for r in _rows(city)}


def test_references_are_unique_and_each_is_a_planted_case(city: City) -> None:
    references = [r["编号"] for r in _rows(city)]
    assert len(set(references)) == len(references)
    planted = [c.reference or "" for c in city.cases if c.subject_table == DOCUMENT_TABLE]
    assert sorted(references) == sorted(planted)


def test_texts_are_all_different(city: City) -> None:
    texts = [r["正文"] for r in _rows(city)]
    assert len(set(texts)) == len(texts)


def test_documents_were_published_within_the_year_before_the_as_of_date(city: City) -> None:
    first = (city.as_of - timedelta(days=365)).isoformat()
    rows = _rows(city)
    assert all(r["发布日期"] < city.as_of.isoformat() for r in rows)
    older = [r for r in rows if r["发布日期"] < first]
    (outside,) = [c for c in city.cases if c.pattern == "complaints.outside_window"]
    # Only the near miss of SW-R-0105 whose complaints are older than its window.
    assert len(older) == 3 and {r["主体信用代码"] for r in older} == {outside.uscc}


def test_ads_name_their_advertiser_and_news_names_no_subject(city: City) -> None:
    rows = _rows(city)
    ads = [r for r in rows if _kind(r) == "ad"]
    assert ads
    assert all(r["相关主体"] and clean_uscc(r["主体信用代码"]) for r in ads)
    assert not any(r["相关主体"] or r["主体信用代码"] for r in rows if _kind(r) == "news")


def test_advertisers_are_registry_enterprises(city: City) -> None:
    registry = dict(
        zip(
            city.enterprises.column("统一社会信用代码").to_pylist(),
            city.enterprises.column("企业名称").to_pylist(),
            strict=True,
        )
    )
    lenders = set(city.extra_tables["local_org"].column("统一社会信用代码").to_pylist())
    attributed = [r for r in _rows(city) if r["主体信用代码"] not in (None, *lenders)]
    assert attributed
    assert all(registry[r["主体信用代码"]] == r["相关主体"] for r in attributed)


def test_unlicensed_planted_companies_advertise_and_are_reported(city: City) -> None:
    unlicensed = {
        c.name for c in city.cases if c.pattern.startswith("name.") and c.fires("SW-R-0001")
    }
    rows = _rows(city)
    advertisers = {r["相关主体"] for r in rows if _kind(r) == "ad"}
    reported = [r for r in rows if _kind(r) == "news" and any(n in r["正文"] for n in unlicensed)]
    assert len(advertisers & unlicensed) >= 5
    assert reported


def test_some_documents_carry_a_url_and_others_do_not(city: City) -> None:
    urls = [r["链接"] for r in _rows(city)]
    assert any(u is None for u in urls)
    assert all(u.startswith("https://") and ".example/" in u for u in urls if u is not None)


@pytest.mark.parametrize(
    ("enterprises", "seed", "as_of"),
    [(20_000, None, None), (3_000, 7, None), (20_000, 2, date(2025, 6, 30))],
)
def test_the_planted_texts_say_what_their_cases_claim(
    enterprises: int, seed: int | None, as_of: date | None
) -> None:
    options: dict[str, Any] = {"enterprises": enterprises}
    options |= {"seed": seed} if seed is not None else {}
    options |= {"as_of": as_of} if as_of is not None else {}
    city = generate_city(**options)
    rows = {r["编号"]: r for r in _rows(city)}
    wrong = []
    for case in _document_cases(city):
        found = read_document(rows[case.reference or ""], city.as_of)
        for e in case.expect:
            band = found[e.rule_id]
            if (band is not None) != e.fires or (e.band is not None and band != e.band):
                wrong.append((case.pattern, case.reference, e.rule_id, e.fires, e.band, band))
    assert wrong == []


def test_every_band_of_the_text_rules_is_planted(city: City) -> None:
    bands = Counter((e.rule_id, e.band) for c in _document_cases(city) for e in c.expect if e.fires)
    assert {
        ("SW-R-0101", "above_legal_ceiling"),
        ("SW-R-0101", "high"),
        ("SW-R-0101", "elevated"),
        ("SW-R-0102", "guarantee"),
        ("SW-R-0102", "return_promise"),
        ("SW-R-0103", "pyramid"),
        ("SW-R-0103", "impersonation"),
        ("SW-R-0103", "lending"),
        ("SW-R-0103", "speculation"),
        ("SW-R-0103", "pretext"),
        ("SW-R-0103", "fraud"),
        ("SW-R-0104", "case_or_collapse"),
        ("SW-R-0104", "closure_or_complaints"),
    } <= set(bands)


def test_quiet_documents_expect_no_rule_to_fire(city: City) -> None:
    quiet = [c for c in _document_cases(city) if c.pattern.startswith("document.quiet.")]
    assert len(quiet) >= 80
    assert all(c.fires(rule) is False for c in quiet for rule in DOCUMENT_RULE_IDS)


def test_quiet_documents_are_full_of_lure_words_in_warnings(city: City) -> None:
    rows = {r["编号"]: r for r in _rows(city)}
    notices = [
        rows[c.reference or ""]["正文"]
        for c in _document_cases(city)
        if c.pattern == "document.quiet.education_notice"
    ]
    assert any("保本保息" in t for t in notices)
    assert any("拉人头" in t for t in notices)


def _registry_view(case: PlantedCase) -> tuple[object, ...]:
    """A case without the expectations that follow from documents (SW-R-0105, 0106)."""
    kept = tuple(e for e in case.expect if e.rule_id not in ATTRIBUTED_RULE_IDS)
    return (case.pattern, case.uscc, case.name, case.note, kept)


def test_document_planters_leave_the_other_planters_output_unchanged() -> None:
    planters = builtin_planters()
    first = next(i for i, p in enumerate(planters) if p.name.startswith("document_"))
    alone = generate_city(enterprises=2_000, seed=3, planters=planters[:first])
    together = generate_city(enterprises=2_000, seed=3)
    assert [_registry_view(c) for c in together.cases[: len(alone.cases)]] == [
        _registry_view(c) for c in alone.cases
    ]
    assert alone.licences.equals(together.licences.slice(0, alone.licences.num_rows))


def test_the_same_seed_writes_the_same_documents() -> None:
    one = generate_city(enterprises=1_000, seed=9)
    two = generate_city(enterprises=1_000, seed=9)
    assert one.documents.equals(two.documents)
    assert [c.to_json() for c in one.cases] == [c.to_json() for c in two.cases]


def test_document_cases_in_planted_jsonl_carry_table_reference_and_bands(
    workspace: DemoManifest,
) -> None:
    lines = workspace.planted_file.read_text(encoding="utf-8").splitlines()
    documents = [o for o in map(json.loads, lines) if o.get("subject_table") == "document"]
    assert len(documents) == workspace.document_rows
    ceiling = [e for o in documents for e in o["expect"] if e.get("band") == "above_legal_ceiling"]
    assert ceiling
    assert all(e["rule_id"] == "SW-R-0101" and e["fires"] is True for e in ceiling)
