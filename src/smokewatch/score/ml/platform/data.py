"""The 网贷之家 (wdzj) platform profiles as engine views, seen from a series of dates.

The question is asked *as of* a date ``T``: of the platforms operating on ``T``, which fail
within the next twelve months? The files only say what each platform looked like when it was
crawled (July 2017), and problem platforms were crawled *after* failing, with many profile
fields emptied. So the views keep only what does not change when a platform fails — its
name, company, launch date, registered capital, location, backer and ICP filing — and compute
everything else from the dated problem events, as they were known on ``T``.

Views handed to the features:

- ``platform`` — one row per (platform, ``as_of``) for each evaluation date: the platform
  operated on ``as_of`` (launched on or before it, no problem event on or before it) and its
  profile was not emptied after a failure (see :func:`profiles`). Columns:
  the profile fields, ``failed`` (a problem event within twelve months after ``as_of``) and
  context computed from the events known on ``as_of`` (failures in the province and city in
  the past twelve months). Counts of platforms *operating* are deliberately absent: the files
  know a platform only if it later failed or survived into mid-2017, so such counts would
  carry the failures still to come.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.ml.inputs import InputFile, LoadedInputs, read_inputs

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine

DATASET = "p2p-platforms-wdzj"
HORIZON_MONTHS = 12
F64, I64, STR, DATE = pa.float64(), pa.int64(), pa.string(), pa.date32()

PROFILE_COLUMNS = {
    "platName": STR,
    "companyName": STR,
    "onlineDate": DATE,
    "locationAreaName": STR,
    "locationCityName": STR,
    "registeredCapital": F64,
    "platBackground": I64,
    "recordId": STR,
}
OPERATING = InputFile(
    "operating_profile",
    "platDataDetail.csv",
    PROFILE_COLUMNS,
    "profiles of the 513 platforms operating in mid-2017 (wdzj 档案, crawled July 2017)",
)
PROBLEM = InputFile(
    "problem_profile",
    "problemPlatDetail.csv",
    {**PROFILE_COLUMNS, "problemTime": DATE, "platStatus": I64},
    "profiles of 2,796 problem platforms, crawled after their problem event",
)
EVENTS = InputFile(
    "problem_event",
    "problemPlat.csv",
    {
        "platName": STR,
        "area": STR,
        "onlineTime": pa.timestamp("s"),
        "problemTime": pa.timestamp("s"),
        "type": STR,
    },
    "3,794 dated problem events 2011-07 … 2017-06 (province, launch date, type)",
)
FILES = (OPERATING, PROBLEM, EVENTS)

FAILURE_STATUSES = (2, 3, 5, 6)
"""Problem statuses that are failures: 2 停业 (ceased), 3 提现困难 (withdrawals blocked),
5 跑路 (absconded), 6 经侦介入 (police investigation)."""
AMBIGUOUS_STATUSES = (1, 8)
"""1 正常 and 8 转型 (converted to another business): neither a clear failure nor survival;
these platforms are left out of training (they are not operating at the scoring date)."""
FAILURE_TYPES = ("停业", "跑路", "提现困难", "经侦介入")


def load(engine: Engine, folder: Path, *, progress: Progress = NO_PROGRESS) -> LoadedInputs:
    """Read the data folder into ``engine``."""
    return read_inputs(engine, folder, FILES, dataset=DATASET, progress=progress)


def shift_months(day: date, months: int) -> date:
    """``day`` moved by whole months; a month end stays a month end.

    Examples:
        >>> shift_months(date(2016, 6, 30), 12), shift_months(date(2016, 8, 31), -6)
        (datetime.date(2017, 6, 30), datetime.date(2016, 2, 29))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    # Keep month ends month ends (2016-06-30 + 12 months = 2017-06-30, 02-29 → 02-28).
    last = (date(year + (month == 12), month % 12 + 1, 1) - date(year, month, 1)).days
    return date(year, month, min(day.day, last))


def windows_table(dates: Sequence[date]) -> pa.Table:
    """Evaluation dates with the start of their look-back year and end of their horizon."""
    return pa.table(
        {
            "as_of": pa.array(list(dates), DATE),
            "lookback_start": pa.array([shift_months(d, -12) for d in dates], DATE),
            "horizon_end": pa.array([shift_months(d, HORIZON_MONTHS) for d in dates], DATE),
        }
    )


def _emptied(t: ir.Table) -> ir.BooleanValue:
    """The profile lost its company name, registered capital or ICP filing.

    wdzj emptied fields of many problem profiles after the failure (about 8 % of them; none of
    the operating profiles). Such a row does not show what the platform looked like before
    failing, and its empty fields would "predict" the failure.
    """
    return (
        (t.companyName.strip().fill_null("") == "")
        | (t.registeredCapital.fill_null(0) == 0)
        | (t.recordId.strip().fill_null("") == "")
    )


def profiles(views: dict[str, ir.Table]) -> ir.Table:
    """Operating and problem profiles in one shape (ambiguous exits left out).

    ``emptied`` marks problem profiles whose fields wdzj emptied after the failure: they
    count in the context (their failure happened) but are never rows to learn from.
    """
    import ibis  # noqa: PLC0415 - ibis loads with the engine, not with smokewatch

    operating = views[OPERATING.view]
    problem = views[PROBLEM.view]
    problem = problem.filter(problem.platStatus.isin(FAILURE_STATUSES))

    def shape(t: ir.Table, problem_date: ir.Value, emptied: ir.BooleanValue) -> ir.Table:
        return t.select(
            "platName",
            "companyName",
            "onlineDate",
            "registeredCapital",
            "platBackground",
            "recordId",
            province=t.locationAreaName,
            city=t.locationCityName,
            problem_date=problem_date,
            emptied=emptied,
        )

    return shape(operating, ibis.null("date"), ibis.literal(False)).union(
        shape(problem, problem.problemTime, _emptied(problem))
    )


def _events(views: dict[str, ir.Table]) -> ir.Table:
    events = views[EVENTS.view]
    return events.select(
        province=events.area,
        online=events.onlineTime.date(),
        problem_date=events.problemTime.date(),
        failure=events.type.isin(FAILURE_TYPES),
    )


def platform_view(views: dict[str, ir.Table], windows: ir.Table) -> ir.Table:
    """One row per platform operating on each window's ``as_of``, with context and label."""
    subject = profiles(views).cross_join(windows)
    subject = subject.filter(
        ~subject.emptied
        & (subject.onlineDate <= subject.as_of)
        & (subject.problem_date.isnull() | (subject.problem_date > subject.as_of))
    )
    subject = subject.mutate(
        failed=(
            subject.problem_date.notnull() & (subject.problem_date <= subject.horizon_end)
        ).cast("int64")
    )
    known = _events(views).cross_join(windows)
    failed_last_year = (
        known.failure
        & (known.problem_date > known.lookback_start)
        & (known.problem_date <= known.as_of)
    )
    province = known.group_by(p_province=known.province, p_as_of=known.as_of).aggregate(
        province_failures=failed_last_year.cast("int64").sum(),
    )
    all_profiles = profiles(views).cross_join(windows)
    city = all_profiles.group_by(t_city=all_profiles.city, t_as_of=all_profiles.as_of).aggregate(
        city_failures=(
            (all_profiles.problem_date > all_profiles.lookback_start)
            & (all_profiles.problem_date <= all_profiles.as_of)
        )
        .cast("int64")
        .sum()
    )
    joined = subject.left_join(
        province, (subject.province == province.p_province) & (subject.as_of == province.p_as_of)
    )
    joined = joined.left_join(city, (joined.city == city.t_city) & (joined.as_of == city.t_as_of))
    return joined.drop("p_province", "p_as_of", "t_city", "t_as_of", "emptied")


def views_for(engine: Engine, loaded: LoadedInputs, dates: Sequence[date]) -> dict[str, ir.Table]:
    """The feature views for these evaluation dates."""
    windows = engine.register("__sw_windows", windows_table(dates))
    views = dict(loaded.views)
    views["platform"] = platform_view(views, windows)
    return views


__all__ = [
    "AMBIGUOUS_STATUSES",
    "DATASET",
    "EVENTS",
    "FAILURE_STATUSES",
    "FAILURE_TYPES",
    "FILES",
    "HORIZON_MONTHS",
    "OPERATING",
    "PROBLEM",
    "load",
    "platform_view",
    "shift_months",
    "views_for",
    "windows_table",
]
