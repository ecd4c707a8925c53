from __future__ import annotations

import re
from collections import Counter
from datetime import date

import numpy as np
import pyarrow as pa
import pytest

from smokewatch.demo.pools import load_pools
from smokewatch.demo.records import REGISTRY_HEADERS
from smokewatch.demo.registry import STATUS_LOOKUPS, RegistryGenerator
from smokewatch.model.types import clean_date, clean_money, clean_phone, clean_uscc
from smokewatch.model.vocab import get_vocabulary
from tests.demo.oracle import name_words, scope_activities

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def generator() -> RegistryGenerator:
    return RegistryGenerator(load_pools(), seed=11, as_of=AS_OF)


@pytest.fixture(scope="module")
def block(generator: RegistryGenerator) -> list[dict[str, str | None]]:
    table = generator.block(np.random.default_rng(1), 5_000, start_index=0)
    return table.to_pylist()


def _column(rows: list[dict[str, str | None]], header: str) -> list[str]:
    return [r[header] for r in rows if r[header] is not None]  # type: ignore[misc]


def test_blocks_have_the_registry_headers_as_text_columns(generator: RegistryGenerator) -> None:
    table = generator.block(np.random.default_rng(1), 10, start_index=0)
    assert tuple(table.column_names) == REGISTRY_HEADERS
    assert all(t == pa.string() for t in table.schema.types)


def test_the_same_generator_state_draws_the_same_block(generator: RegistryGenerator) -> None:
    one = generator.block(np.random.default_rng(5), 500, start_index=0)
    two = generator.block(np.random.default_rng(5), 500, start_index=0)
    assert one.equals(two)


def test_ordinary_names_carry_no_restricted_word(block: list[dict[str, str | None]]) -> None:
    names = _column(block, "企业名称") + _column(block, "曾用名")
    assert [n for n in names if name_words(n)] == []


def test_ordinary_scopes_list_no_restricted_activity(block: list[dict[str, str | None]]) -> None:
    assert [s for s in _column(block, "经营范围") if scope_activities(s)] == []


def test_many_ordinary_scopes_carry_the_prohibition_clause(
    block: list[dict[str, str | None]],
) -> None:
    clause = load_pools().clauses.prohibition
    assert sum(clause in s for s in _column(block, "经营范围")) >= 50


def test_most_scopes_use_the_standard_wording(block: list[dict[str, str | None]]) -> None:
    standard = sum(s.startswith(("一般项目：", "许可项目：")) for s in _column(block, "经营范围"))
    assert standard > len(block) / 2


def test_uscc_values_are_valid_and_unique(block: list[dict[str, str | None]]) -> None:
    codes = _column(block, "统一社会信用代码")
    assert [clean_uscc(c) for c in codes] == codes
    assert len(set(codes)) == len(block)


def test_individual_businesses_and_cooperatives_get_their_uscc_type(
    block: list[dict[str, str | None]],
) -> None:
    digit = {"个体工商户": "2", "农民专业合作社": "3"}
    for row in block:
        expected = digit.get(str(row["企业类型"]), "1")
        assert str(row["统一社会信用代码"])[1] == expected


def test_every_status_maps_through_the_vocabulary_or_a_lookup(
    block: list[dict[str, str | None]],
) -> None:
    vocabulary = get_vocabulary("enterprise_status")
    statuses = set(_column(block, "登记状态"))
    assert all(vocabulary.resolve(s) or STATUS_LOOKUPS.get(s) for s in statuses)
    assert Counter(_column(block, "登记状态")).most_common(1)[0][0] == "存续"


def test_capitals_parse_as_money(block: list[dict[str, str | None]]) -> None:
    amounts = [clean_money(c) for c in _column(block, "注册资本") + _column(block, "实缴资本")]
    assert all(a.amount >= 0 for a in amounts)
    assert {a.currency for a in amounts} <= {"CNY", "USD"}


def test_paid_in_capital_never_exceeds_registered_capital(
    block: list[dict[str, str | None]],
) -> None:
    for row in block:
        if row["实缴资本"] is not None:
            registered = clean_money(str(row["注册资本"])).amount
            assert clean_money(row["实缴资本"]).amount <= registered


def test_dates_parse_and_precede_the_as_of_date(block: list[dict[str, str | None]]) -> None:
    for header in ("成立日期", "名称变更日期", "经营范围变更日期"):
        parsed = [clean_date(d) for d in _column(block, header)]
        assert all(d is not None and d < AS_OF for d in parsed)


def test_changes_come_after_establishment(block: list[dict[str, str | None]]) -> None:
    for row in block:
        for header in ("名称变更日期", "经营范围变更日期"):
            if row[header] is not None:
                assert str(row[header]) > str(row["成立日期"])


def test_a_name_change_comes_with_a_former_name(block: list[dict[str, str | None]]) -> None:
    changed = [r for r in block if r["名称变更日期"] is not None]
    assert changed
    assert all(r["曾用名"] and r["曾用名"] != r["企业名称"] for r in changed)


def test_about_a_third_of_rows_leave_the_division_empty(
    block: list[dict[str, str | None]],
) -> None:
    empty = sum(r["所属区划"] is None for r in block) / len(block)
    assert 0.28 < empty < 0.39


def test_given_divisions_match_the_county_in_the_address(
    block: list[dict[str, str | None]],
) -> None:
    names = {c.code: c.name for c in load_pools().counties}
    for row in block:
        if row["所属区划"] is not None:
            assert names[row["所属区划"]] in str(row["住所"])


def test_phones_are_valid_chinese_numbers(block: list[dict[str, str | None]]) -> None:
    phones = _column(block, "联系电话")
    assert len(phones) > 0.8 * len(block)
    assert all(clean_phone(p) for p in phones)


def test_staff_counts_are_non_negative_integers(block: list[dict[str, str | None]]) -> None:
    assert all(re.fullmatch(r"\d+", s) for s in _column(block, "参保人数"))


def test_finance_share_plants_restricted_names_and_activities(
    generator: RegistryGenerator,
) -> None:
    rows = generator.block(
        np.random.default_rng(2), 4_000, start_index=0, finance_share=0.2
    ).to_pylist()
    restricted = sum(
        bool(name_words(str(r["企业名称"])) or scope_activities(str(r["经营范围"]))) for r in rows
    )
    assert 0.12 * len(rows) < restricted < 0.25 * len(rows)


def test_unique_names_are_unique_and_avoid_reserved_ones(generator: RegistryGenerator) -> None:
    first = generator.block(np.random.default_rng(3), 300, start_index=0).column("企业名称")
    reserved = set(first.to_pylist()[:100])
    table = generator.block(
        np.random.default_rng(3), 3_000, start_index=0, unique_names=True,
        reserved_names=reserved,
    )  # fmt: skip
    names = table.column("企业名称").to_pylist()
    assert len(set(names)) == len(names)
    assert reserved.isdisjoint(names)
