"""Benchmark rates by date, the legal ceiling, and the deviation of a yearly rate from them."""

from __future__ import annotations

import copy
import pickle
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.errors import ConfigError, InvalidInput, NotFound
from smokewatch.model._yaml import package_dir
from smokewatch.text.rates import Band, Benchmarks, deviation, load_benchmarks, parse_benchmarks

LAW = Path("cn-regulatory-texts") / "laws" / "最高法_审理民间借贷案件规定_2020.md"


@pytest.fixture(scope="module")
def benchmarks() -> Benchmarks:
    return load_benchmarks()


def _raw() -> dict[str, Any]:
    node = package_dir("smokewatch.text", "lexicons") / "benchmark_rates.yml"
    return copy.deepcopy(yaml.safe_load(node.read_text(encoding="utf-8")))


# ---------------------------------------------------------------- lookups


def test_the_value_changes_on_its_effective_day(benchmarks: Benchmarks) -> None:
    before = benchmarks.on("lpr_1y", date(2024, 10, 20))
    on_the_day = benchmarks.on("lpr_1y", date(2024, 10, 21))
    assert (before.value, before.effective_from) == (Decimal("3.35"), date(2024, 7, 22))
    assert (on_the_day.value, on_the_day.effective_from) == (Decimal("3.10"), date(2024, 10, 21))


def test_the_first_lpr_applies_from_2019_08_20(benchmarks: Benchmarks) -> None:
    assert benchmarks.on("lpr_1y", date(2019, 8, 20)).value == Decimal("4.25")
    with pytest.raises(InvalidInput, match="2019-08-20"):
        benchmarks.on("lpr_1y", date(2019, 8, 19))


def test_a_value_stays_in_force_after_the_latest_change(benchmarks: Benchmarks) -> None:
    latest = benchmarks.latest("lpr_1y")
    assert benchmarks.on("lpr_1y", latest.effective_from + timedelta(days=3650)) == latest


def test_the_deposit_and_lending_benchmarks_of_2015_10_24(benchmarks: Benchmarks) -> None:
    day = date(2015, 10, 24)
    assert benchmarks.on("deposit_benchmark_1y", day).value == Decimal("1.50")
    assert benchmarks.on("loan_benchmark_1y", day).value == Decimal("4.35")
    assert benchmarks.on("loan_benchmark_1y", day - timedelta(days=1)).value == Decimal("4.60")


def test_an_unknown_series_is_not_found(benchmarks: Benchmarks) -> None:
    with pytest.raises(NotFound, match="lpr_5y"):
        benchmarks.on("lpr_5y", date(2024, 1, 1))


def test_the_loader_reports_the_date_of_the_latest_entry(benchmarks: Benchmarks) -> None:
    assert benchmarks.as_of == max(s.latest.effective_from for s in benchmarks.series.values())
    assert benchmarks.as_of == benchmarks.latest("lpr_1y").effective_from


def test_every_series_has_a_source_and_says_it_must_be_checked(benchmarks: Benchmarks) -> None:
    for series in benchmarks.series.values():
        assert series.source
        assert "must be checked" in series.checked.lower()


@given(st.dates(min_value=date(2019, 8, 20), max_value=date(2035, 12, 31)))
def test_the_value_in_force_is_the_latest_change_on_or_before_the_day(day: date) -> None:
    series = load_benchmarks().get("lpr_1y")
    found = series.on(day)
    assert found.effective_from <= day
    assert (found.effective_from, found.value) in series.entries
    later = [d for d, _ in series.entries if found.effective_from < d]
    assert not later or later[0] > day


# ---------------------------------------------------------------- the legal ceiling


def test_the_ceiling_rule_is_quoted_verbatim_from_the_official_text(
    benchmarks: Benchmarks, shared_data: Path
) -> None:
    law = (shared_data / LAW).read_text(encoding="utf-8")
    rule = benchmarks.ceiling_rule(date(2024, 1, 1))
    assert rule.status == "binding"
    assert rule.quote is not None
    assert f"第二十五条 {rule.quote}" in law
    assert rule.article == "第二十五条第一款"


def test_the_quotes_in_the_notes_and_sources_occur_in_the_official_text(
    benchmarks: Benchmarks, shared_data: Path
) -> None:
    law = (shared_data / LAW).read_text(encoding="utf-8")
    rule = benchmarks.ceiling_rule(date(2024, 1, 1))
    quoted = re.findall(r"“([^”]+)”", rule.note)
    assert quoted
    assert all(q in law for q in quoted)
    # the LPR the rule means starts when the LPR series starts
    assert (
        "中国人民银行授权全国银行间同业拆借中心自2019年8月20日起每月发布的一年期贷款市场报价利率"
        in law
    )
    assert benchmarks.get("lpr_1y").entries[0][0] == date(2019, 8, 20)


def test_the_ceiling_is_four_times_the_lpr_from_2020_08_20(benchmarks: Benchmarks) -> None:
    ceiling, rule = benchmarks.legal_ceiling(date(2024, 11, 1))
    assert (ceiling, rule.id) == (Decimal("12.40"), "spc_private_lending_2020")
    assert benchmarks.legal_ceiling(date(2020, 8, 20))[0] == 4 * Decimal("3.85")


def test_older_ceilings_apply_to_older_days(benchmarks: Benchmarks) -> None:
    assert benchmarks.legal_ceiling(date(2020, 8, 19))[0] == Decimal(24)
    assert benchmarks.legal_ceiling(date(2015, 9, 1))[0] == Decimal(24)
    assert benchmarks.legal_ceiling(date(2015, 8, 31))[0] == 4 * Decimal("4.60")


# ---------------------------------------------------------------- deviation and bands

DAY = date(2024, 11, 1)  # LPR 3.10 %: 1.5 × = 4.65, 2 × = 6.20, ceiling 4 × = 12.40


@pytest.mark.parametrize(
    ("rate", "band"),
    [
        ("0", Band.MARKET),
        ("4.65", Band.MARKET),
        ("4.6501", Band.ELEVATED),
        ("6.20", Band.ELEVATED),
        ("6.2001", Band.HIGH),
        ("12.40", Band.HIGH),
        ("12.4001", Band.ABOVE_LEGAL_CEILING),
        ("36", Band.ABOVE_LEGAL_CEILING),
    ],
)
def test_bands_at_their_boundaries(benchmarks: Benchmarks, rate: str, band: Band) -> None:
    found = deviation(Decimal(rate), DAY, benchmarks)
    assert found.band is band
    assert found.above_legal_ceiling is (band is Band.ABOVE_LEGAL_CEILING)


def test_a_deviation_carries_multiples_ceiling_and_deposit(benchmarks: Benchmarks) -> None:
    found = deviation(Decimal(24), DAY, benchmarks)
    assert found.benchmark.series == "lpr_1y"
    assert (found.multiple, found.legal_ceiling) == (Decimal("7.74"), Decimal("12.40"))
    assert found.deposit.value == Decimal("1.50")
    assert found.deposit_multiple == Decimal("16.00")


def test_the_description_in_chinese(benchmarks: Benchmarks) -> None:
    assert deviation(Decimal(24), DAY, benchmarks).describe("zh") == (
        "年化24%，为评估日一年期LPR 3.10%（2024-10-21起）的7.74倍，"
        "超过民间借贷司法保护上限（4倍LPR，12.40%）"
    )


def test_the_description_in_english(benchmarks: Benchmarks) -> None:
    assert deviation(Decimal("5.5"), DAY, benchmarks).describe("en") == (
        "5.5% a year, 1.77 times the 1-year LPR of 3.10% (in force from 2024-10-21) on the "
        "assessment date; within the judicial protection ceiling for private lending "
        "(4 × LPR, 12.40%)"
    )


def test_texts_before_the_lpr_are_compared_with_the_lending_benchmark(
    benchmarks: Benchmarks,
) -> None:
    found = deviation(Decimal(20), date(2017, 6, 1), benchmarks)
    assert (found.benchmark.series, found.benchmark.value) == ("loan_benchmark_1y", Decimal("4.35"))
    assert (found.legal_ceiling, found.band) == (Decimal(24), Band.HIGH)
    assert "一年期贷款基准利率 4.35%（2015-10-24起）" in found.describe("zh")


def test_the_comparison_switches_to_the_lpr_on_2019_08_20(benchmarks: Benchmarks) -> None:
    assert deviation(Decimal(5), date(2019, 8, 19), benchmarks).benchmark.series == (
        "loan_benchmark_1y"
    )
    assert deviation(Decimal(5), date(2019, 8, 20), benchmarks).benchmark.series == "lpr_1y"


def test_a_day_before_the_data_is_invalid(benchmarks: Benchmarks) -> None:
    with pytest.raises(InvalidInput):
        deviation(Decimal(12), date(2010, 1, 1), benchmarks)


def test_a_negative_rate_is_invalid(benchmarks: Benchmarks) -> None:
    with pytest.raises(InvalidInput):
        deviation(Decimal(-1), DAY, benchmarks)


@given(
    st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False),
    st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False),
    st.dates(min_value=date(2011, 7, 7), max_value=date(2030, 12, 31)),
)
def test_a_higher_rate_never_falls_in_a_lower_band(a: Decimal, b: Decimal, day: date) -> None:
    order = list(Band)
    low, high = sorted((a, b))
    benchmarks = load_benchmarks()
    assert order.index(deviation(low, day, benchmarks).band) <= order.index(
        deviation(high, day, benchmarks).band
    )


# ---------------------------------------------------------------- the data file


def test_entries_out_of_order_are_rejected() -> None:
    raw = _raw()
    entries = raw["series"][0]["entries"]
    entries[0], entries[1] = entries[1], entries[0]
    with pytest.raises(ConfigError, match="increasing date order"):
        parse_benchmarks(raw, "test.yml")


def test_references_to_unknown_series_are_rejected() -> None:
    raw = _raw()
    raw["deposit_series"] = "deposit_5y"
    with pytest.raises(ConfigError, match="deposit_5y"):
        parse_benchmarks(raw, "test.yml")


def test_a_binding_rule_without_a_quote_is_rejected() -> None:
    raw = _raw()
    del raw["ceiling_rules"][0]["quote"]
    with pytest.raises(ConfigError, match="verbatim quote"):
        parse_benchmarks(raw, "test.yml")


def test_a_rule_with_both_a_rate_and_a_multiple_is_rejected() -> None:
    raw = _raw()
    raw["ceiling_rules"][0]["rate"] = "24"
    with pytest.raises(ConfigError, match="either rate, or multiple and series"):
        parse_benchmarks(raw, "test.yml")


def test_every_problem_is_reported_at_once() -> None:
    raw = _raw()
    raw["deposit_series"] = "nowhere"
    raw["bands"] = {"market": "3", "elevated": "2"}
    with pytest.raises(ConfigError) as caught:
        parse_benchmarks(raw, "test.yml")
    assert len(caught.value.problems) == 2


def test_benchmarks_survive_pickling_for_python_steps_in_worker_processes() -> None:
    benchmarks = load_benchmarks()
    restored = pickle.loads(pickle.dumps(benchmarks))  # noqa: S301 - our own object
    assert restored == benchmarks
    assert restored.legal_ceiling(date(2024, 1, 1)) == benchmarks.legal_ceiling(date(2024, 1, 1))
