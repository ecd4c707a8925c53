"""The 网贷之家 (wdzj) folder as it could have been known on a date: the backtest's only input.

A backtest asks what smokewatch would have said *on* an as-of date. The wdzj files mix what
was known then with what happened later, so before anything is ingested or trained,
:func:`write_as_of_view` writes a copy of the folder (same file names and columns) that holds
only what existed on the as-of date:

- ``platDataDetail.csv`` — the platforms **operating** on the as-of date: launched on or before
  it and with no problem known on it. Problem platforms whose problem came later are operating
  then: their profile moves here with the problem fields cleared;
- ``problemPlatDetail.csv`` — platforms whose problem was known on the as-of date, their
  problem date and status those of the latest event known then;
- ``problemPlat.csv`` — problem events on or before the as-of date;
- ``platData.csv`` — monthly figures of the months complete on the as-of date (a month counts
  from its last day on).

Profiles are snapshots taken when the crawler ran (July 2017). Their fields that change over a
platform's life — bank custody, association membership, ICP licence, risk reserve, protection,
advertised return, paid-in capital — describe the platform *then*. They are kept only when the
as-of date is at most :data:`SNAPSHOT_TOLERANCE_DAYS` before the snapshot; for an earlier
as-of date they are emptied (unknown), never read from the future. Fields fixed at launch
(name, company, launch date, registered capital, place, backer, ICP filing number) are kept.

Everything here is plain CSV in and out; the ingest sources that read the view are
``wdzj_sources/<id>/source.yml`` beside this module.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.resources.abc import Traversable
from pathlib import Path

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.model._yaml import package_dir

OPERATING_FILE = "platDataDetail.csv"
PROBLEM_FILE = "problemPlatDetail.csv"
EVENTS_FILE = "problemPlat.csv"
METRICS_FILE = "platData.csv"
FILES = (OPERATING_FILE, PROBLEM_FILE, EVENTS_FILE, METRICS_FILE)

SNAPSHOT_DATE = date(2017, 7, 1)
"""When the profiles were crawled (July 2017, see the data set's SOURCE.md)."""
SNAPSHOT_TOLERANCE_DAYS = 31
"""How far before the snapshot an as-of date may lie for the snapshot fields to count."""

SNAPSHOT_FIELDS = (
    "actualCapital",
    "association",
    "associationDetail",
    "bankCapital",
    "bankFunds",
    "bidSecurity",
    "fundCapital",
    "gruarantee",
    "platEarnings",
    "platEarningsCode",
    "recordLicId",
    "riskFunds",
    "riskReserve",
    "riskcontrol",
    "securityModel",
    "securityModelCode",
    "securityModelOther",
    "trustCapital",
    "trustFunds",
)
"""Profile fields that describe the platform when the crawler ran, not at launch."""

STATUS_OF_TYPE = {"停业": "2", "提现困难": "3", "跑路": "5", "经侦介入": "6", "转型": "8"}
"""``platStatus`` codes of the event types (SOURCE.md: one-to-one with problemPlat type)."""

_EMPTY = frozenset({"None", "none", "NULL", "null", "nan", "NaN"})
"""How the crawler wrote missing values (Python's ``None`` as text)."""


@dataclass(frozen=True, slots=True)
class AsOfView:
    """What :func:`write_as_of_view` kept."""

    folder: Path
    as_of: date
    operating: int
    problem_known: int
    events: int
    metric_rows: int
    months: tuple[str, ...]
    snapshot_fields: bool
    """Whether the profile snapshot fields were kept (as-of date close to the snapshot)."""
    notes: tuple[str, ...] = field(default=())


def last_complete_month(day: date) -> str:
    """The latest month (``YYYY-MM``) whose figures are complete on ``day``.

    Examples:
        >>> last_complete_month(date(2017, 6, 30)), last_complete_month(date(2017, 6, 29))
        ('2017-06', '2017-05')
    """
    following = day + timedelta(days=1)
    first = date(following.year, following.month, 1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def _day(text: str | None) -> str:
    """The ``YYYY-MM-DD`` part of a date or timestamp text ('' when empty)."""
    return (text or "").strip()[:10]


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = [{k: ("" if v is None or v in _EMPTY else v) for k, v in r.items()} for r in reader]
    return header, rows


def _require(path: Path, header: list[str], columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise InvalidInput(f"{path}: missing columns {', '.join(missing)}")


def _write(path: Path, header: list[str], rows: Iterable[dict[str, str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _blank(rows: Iterable[dict[str, str]], fields: Iterable[str]) -> Iterator[dict[str, str]]:
    names = tuple(fields)
    for row in rows:
        yield {**row, **{name: "" for name in names if name in row}}


def write_as_of_view(
    source: Path, target: Path, as_of: date, *, snapshot: date = SNAPSHOT_DATE
) -> AsOfView:
    """Write the as-of view of the wdzj folder ``source`` into ``target`` (see the module).

    Raises:
        NotFound: a file of the folder is missing.
        InvalidInput: a file lacks a column the view needs.
    """
    day = as_of.isoformat()
    op_header, operating = _read(source / OPERATING_FILE)
    pr_header, problem = _read(source / PROBLEM_FILE)
    ev_header, events = _read(source / EVENTS_FILE)
    me_header, metrics = _read(source / METRICS_FILE)
    _require(source / OPERATING_FILE, op_header, ("platId", "platName", "onlineDate"))
    _require(source / PROBLEM_FILE, pr_header, ("platId", "platName", "onlineDate", "problemTime"))
    _require(source / EVENTS_FILE, ev_header, ("platId", "platName", "problemTime", "type"))
    _require(source / METRICS_FILE, me_header, ("month", "platName"))

    known = sorted(
        (e for e in events if _day(e["problemTime"]) and _day(e["problemTime"]) <= day),
        key=lambda e: (_day(e["problemTime"]), e.get("id", "")),
    )
    latest: dict[str, dict[str, str]] = {}
    for event in known:  # later events overwrite earlier ones
        for key in (f"id:{event['platId']}", f"name:{event['platName']}"):
            if event["platId"] or key.startswith("name:"):
                latest[key] = event

    def known_event(row: dict[str, str]) -> dict[str, str] | None:
        by_id = latest.get(f"id:{row['platId']}") if row["platId"] else None
        return by_id or latest.get(f"name:{row['platName']}")

    def launched(row: dict[str, str]) -> bool:
        return bool(_day(row["onlineDate"])) and _day(row["onlineDate"]) <= day

    still, failed = [], []
    for row in problem:
        if not launched(row):
            continue
        found = known_event(row)
        own = _day(row["problemTime"])
        if own and own <= day:
            failed.append(row)
        elif found is not None:
            status = STATUS_OF_TYPE.get(found["type"].strip(), row.get("platStatus", ""))
            failed.append({**row, "problemTime": _day(found["problemTime"]), "platStatus": status})
        else:  # its problem lies after the as-of date: on that day it was operating
            still.append({**row, "problemTime": "", "platStatus": "1", "problem": "0"})
    operating_now = [
        r
        for r in operating
        if (launched(r) or not _day(r["onlineDate"])) and known_event(r) is None
    ]
    operating_now += still

    keep_snapshot = as_of >= snapshot - timedelta(days=SNAPSHOT_TOLERANCE_DAYS)
    notes = []
    if not keep_snapshot:
        operating_now = list(_blank(operating_now, SNAPSHOT_FIELDS))
        failed = list(_blank(failed, SNAPSHOT_FIELDS))
        notes.append(
            f"the profiles were taken on {snapshot}, more than {SNAPSHOT_TOLERANCE_DAYS} days "
            f"after {as_of}: custody, association, ICP licence, reserve, protection, returns "
            "and paid-in capital are treated as unknown"
        )
    last_month = last_complete_month(as_of)
    months_kept = [m for m in metrics if m["month"].strip() and m["month"].strip() <= last_month]

    target.mkdir(parents=True, exist_ok=True)
    n_operating = _write(target / OPERATING_FILE, op_header, operating_now)
    n_problem = _write(target / PROBLEM_FILE, pr_header, failed)
    n_events = _write(
        target / EVENTS_FILE,
        ev_header,
        (
            {
                **e,
                "problemTime": _day(e["problemTime"]),
                "onlineTime": _day(e.get("onlineTime")),
            }
            for e in known
        ),
    )
    n_metrics = _write(target / METRICS_FILE, me_header, months_kept)
    if n_metrics == 0:
        notes.append(f"no monthly figures are complete on {as_of}")
    return AsOfView(
        folder=target,
        as_of=as_of,
        operating=n_operating,
        problem_known=n_problem,
        events=n_events,
        metric_rows=n_metrics,
        months=tuple(sorted({m["month"].strip() for m in months_kept})),
        snapshot_fields=keep_snapshot,
        notes=tuple(notes),
    )


def source_specs() -> dict[str, Traversable]:
    """The ``source.yml`` of each ingest source that reads the view, by source id."""
    folder = package_dir("smokewatch.ingest.presets", "wdzj_sources")
    return {
        node.name: node / "source.yml"
        for node in sorted(folder.iterdir(), key=lambda n: n.name)
        if node.is_dir() and (node / "source.yml").is_file()
    }


__all__ = [
    "EVENTS_FILE",
    "FILES",
    "METRICS_FILE",
    "OPERATING_FILE",
    "PROBLEM_FILE",
    "SNAPSHOT_DATE",
    "SNAPSHOT_FIELDS",
    "SNAPSHOT_TOLERANCE_DAYS",
    "AsOfView",
    "last_complete_month",
    "source_specs",
    "write_as_of_view",
]
