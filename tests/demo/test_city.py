from __future__ import annotations

from collections import Counter

import pytest

from smokewatch.demo import BAD_ROW_KINDS, FunctionPlanter, PlantContext, bad_row_counts
from smokewatch.demo.city import UNKNOWN_STATUSES, City, generate_city
from smokewatch.errors import InvalidInput
from smokewatch.model.divisions import load_divisions
from smokewatch.model.types import ValueTypeError, clean_date, clean_uscc
from smokewatch.model.vocab import get_vocabulary


def _column(city: City, header: str) -> list[str]:
    return city.enterprises.column(header).to_pylist()


def test_the_city_has_exactly_the_requested_rows(small_city: City) -> None:
    assert small_city.enterprises.num_rows == 3_000


def test_uscc_values_are_unique_except_the_planted_duplicates(small_city: City) -> None:
    counts = Counter(_column(small_city, "统一社会信用代码"))
    duplicated = sum(n - 1 for n in counts.values() if n > 1)
    assert duplicated == Counter(b.kind for b in small_city.bad_rows)["duplicate_uscc"]


def test_uscc_values_are_valid_except_the_bad_check_characters(small_city: City) -> None:
    invalid = 0
    for code in _column(small_city, "统一社会信用代码"):
        try:
            clean_uscc(code)
        except ValueTypeError:
            invalid += 1
    assert invalid == Counter(b.kind for b in small_city.bad_rows)["bad_check_char"]


def test_names_are_unique(small_city: City) -> None:
    names = _column(small_city, "企业名称")
    assert len(set(names)) == len(names)


def test_bad_rows_follow_the_configured_rate() -> None:
    city = generate_city(enterprises=4_000, seed=5, bad_row_rate=0.01)
    assert Counter(b.kind for b in city.bad_rows) == bad_row_counts(4_000, 0.01)
    assert len(city.bad_rows) == 40


def test_a_zero_rate_writes_no_bad_rows() -> None:
    assert generate_city(enterprises=1_000, seed=5, bad_row_rate=0.0).bad_rows == ()


def test_bad_row_counts_split_the_total_over_the_kinds() -> None:
    counts = bad_row_counts(1_000, 0.007)
    assert sum(counts.values()) == 7
    assert list(counts) == list(BAD_ROW_KINDS)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_bad_row_rates_above_ten_percent_are_refused() -> None:
    with pytest.raises(InvalidInput, match="bad_row_rate"):
        bad_row_counts(100, 0.5)


def test_bad_rows_never_hit_planted_enterprises(small_city: City) -> None:
    planted = {c.uscc for c in small_city.cases}
    assert all(b.uscc not in planted for b in small_city.bad_rows if b.kind != "bad_check_char")
    names = {c.name for c in small_city.cases}
    assert all(b.name not in names for b in small_city.bad_rows)


def test_bad_dates_do_not_parse(small_city: City) -> None:
    dates = _column(small_city, "成立日期")
    for bad in small_city.bad_rows:
        if bad.kind == "bad_date":
            with pytest.raises(ValueTypeError):
                clean_date(dates[bad.row - 2])


def test_unknown_statuses_are_not_in_the_vocabulary() -> None:
    vocabulary = get_vocabulary("enterprise_status")
    assert all(vocabulary.resolve(s) is None for s in UNKNOWN_STATUSES)


def test_a_duplicate_precedes_the_row_it_copies(small_city: City) -> None:
    codes = _column(small_city, "统一社会信用代码")
    duplicates = [b for b in small_city.bad_rows if b.kind == "duplicate_uscc"]
    assert duplicates
    for bad in duplicates:
        assert codes.index(bad.uscc) == bad.row - 2
        assert codes.count(bad.uscc) == 2


def test_usccs_carry_county_codes_of_wuhu(small_city: City) -> None:
    divisions = load_divisions()
    counties = {code[2:8] for code in _column(small_city, "统一社会信用代码")}
    assert all(divisions[c].parent == "340200" for c in counties)


def test_given_divisions_are_current_counties_of_wuhu(small_city: City) -> None:
    divisions = load_divisions()
    given = {c for c in _column(small_city, "所属区划") if c}
    assert given
    assert all(divisions[c].parent == "340200" and divisions[c].is_current for c in given)


def test_addresses_name_a_county_and_township_of_wuhu(small_city: City) -> None:
    divisions = load_divisions()
    counties = [d for d in divisions.children("340200") if d.is_current]
    for address in _column(small_city, "住所"):
        rest = address.removeprefix("安徽省").removeprefix("芜湖市")
        county = next(c for c in counties if rest.startswith(c.name))
        rest = rest.removeprefix(county.name)
        towns = [t for t in divisions.children(county.code) if rest.startswith(t.name)]
        assert all(t.is_current for t in towns)


def test_most_addresses_name_a_township(small_city: City) -> None:
    names = {d.name for d in load_divisions().descendants("340200") if len(d.code) == 9}
    with_town = sum(any(n in a for n in names) for a in _column(small_city, "住所"))
    assert with_town > 0.85 * small_city.enterprises.num_rows


def test_a_city_too_small_for_its_planted_cases_is_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot hold"):
        generate_city(enterprises=50)


def test_extra_planters_add_their_rows_and_cases() -> None:
    def adverts(ctx: PlantContext) -> None:
        ctx.add_row("advertisements", {"标题": "月息2分，保本保息"})

    city = generate_city(enterprises=500, seed=1, planters=[FunctionPlanter("ads", adverts)])
    assert city.extra_tables["advertisements"].to_pylist() == [{"标题": "月息2分，保本保息"}]
    assert city.cases == ()
