"""The demo's simulated past: month-starts and the month a signal was first seen."""

from __future__ import annotations

from collections import Counter
from datetime import date

from smokewatch.services.demo_history import HISTORY_MONTHS, first_seen, month_starts


def test_the_past_dates_are_the_month_starts_before_the_evaluation_month() -> None:
    assert month_starts(date(2026, 11, 1)) == [
        date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1),
    ]  # fmt: skip
    assert month_starts(date(2026, 1, 15), 2) == [date(2025, 11, 1), date(2025, 12, 1)]


def test_first_seen_months_are_seeded_and_spread_over_the_whole_history() -> None:
    months = [first_seen(7, "ent-1", f"fnd-{i}") for i in range(600)]
    assert months == [first_seen(7, "ent-1", f"fnd-{i}") for i in range(600)]
    assert set(months) == set(range(HISTORY_MONTHS + 1))
    assert min(Counter(months).values()) > 600 / (HISTORY_MONTHS + 1) / 2
    assert months != [first_seen(8, "ent-1", f"fnd-{i}") for i in range(600)]
