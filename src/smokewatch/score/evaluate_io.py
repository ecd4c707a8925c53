"""The inputs and the report of :mod:`smokewatch.score.evaluate`, and the outcome-file reader.

Inputs are plain dataclasses: :class:`ScorePoint` (one stored score of an entity on an
evaluation date) and :class:`Outcome` (a court case, police filing, platform collapse… on its
event date). The :class:`EvaluationReport` renders itself as JSON-ready data
(:meth:`~EvaluationReport.to_dict`) and as a short Chinese or English summary
(:meth:`~EvaluationReport.describe`). What each number means is defined in the docstring of
:mod:`smokewatch.score.evaluate`.

:func:`read_outcomes` reads a CSV file with a header ``entity_id,event_date,kind`` (``id`` or
``subject_id`` also name the entity column, ``date`` the event-date column; names are matched
case-insensitively, other columns are ignored; ``kind`` may be absent, and an empty kind reads
as :data:`UNKNOWN_KIND`), in UTF-8 (with or without a BOM) or GB18030/GBK. Every data row
becomes an :class:`Outcome` or an :class:`OutcomeReject` with its line number and reason — a
missing entity id, a missing or unreadable event date (as
:func:`~smokewatch.model.types.dates.clean_date` reads dates: 2023-05-06, 2023/5/6,
2023年5月6日, 20230506), more fields than the header. Only wholly blank lines are skipped.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from smokewatch.errors import InvalidInput
from smokewatch.ingest.encoding import detect_encoding
from smokewatch.model.types.base import ValueTypeError
from smokewatch.model.types.dates import clean_date
from smokewatch.score.scorecard import NO_GRADE

Reason = Literal["empty_population", "no_positives", "no_negatives", "no_events", "no_found_first"]
EventStatus = Literal["found_first", "flagged_late", "missed", "not_scored"]

REASONS: Mapping[Reason, tuple[str, str]] = {
    "empty_population": ("评估范围内没有主体", "no entity to evaluate"),
    "no_positives": ("没有发生结果的主体", "no entity with an outcome"),
    "no_negatives": ("所有主体都发生了结果，无从比较", "every entity has an outcome"),
    "no_events": ("没有结果事件", "no outcome event"),
    "no_found_first": ("没有事发前预警的事件", "no event was flagged before it happened"),
}
"""Why a metric is ``None``: reason code → (Chinese, English)."""

LEAD_BUCKETS: tuple[tuple[int | None, str, str], ...] = (
    (30, "≤30天", "≤30 days"),
    (90, "31–90天", "31–90 days"),
    (180, "91–180天", "91–180 days"),
    (365, "181–365天", "181–365 days"),
    (None, ">365天", ">365 days"),
)
"""Lead-time distribution: (upper bound in days, inclusive; zh label; en label)."""

SMALL_SAMPLE = 30
""":meth:`EvaluationReport.describe` warns when positives or events are fewer than this."""

_COLOURS_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色", NO_GRADE: "无"}


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """One stored score: an entity's smoke index and grade on an evaluation date."""

    entity_id: str
    as_of: date
    index: float
    grade: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """A known outcome: court case, police filing, platform collapse… on its event date."""

    entity_id: str
    event_date: date
    kind: str


@dataclass(frozen=True, slots=True)
class Auc:
    """AUC of the snapshot index for "has an outcome", with its counts."""

    value: float | None
    positives: int
    negatives: int
    tied_pairs: int
    reason: Reason | None = None


@dataclass(frozen=True, slots=True)
class GradeRow:
    """Entities and positives at one grade alone and at this grade or above."""

    grade: str
    entities: int
    positives: int
    precision: float | None
    share_of_positives: float | None
    flagged: int
    flagged_positives: int
    cumulative_precision: float | None
    recall: float | None
    lift: float | None


@dataclass(frozen=True, slots=True)
class PrecisionAtK:
    """Precision among the K highest indices, and the tie at the K boundary."""

    k: int
    taken: int
    positives: int
    precision: float | None
    boundary_index: float | None
    tied_at_boundary: int
    tied_taken: int
    precision_min: float | None
    precision_max: float | None
    reason: Reason | None = None


@dataclass(frozen=True, slots=True)
class EventLead:
    """One outcome event: was it flagged before it happened, and how long before."""

    entity_id: str
    event_date: date
    kind: str
    status: EventStatus
    first_flag: date | None
    """The entity's first flag before the event (found first) or on/after it (flagged late)."""
    lead_days: int | None


@dataclass(frozen=True, slots=True)
class KindCount:
    """Events of one outcome kind and how many of them were found first."""

    kind: str
    events: int
    found_first: int


@dataclass(frozen=True, slots=True)
class LeadTime:
    """Found-first share and lead-time statistics over outcome events."""

    events: int
    found_first: int
    flagged_late: int
    missed: int
    not_scored: int
    found_first_share: float | None
    min_days: int | None
    q1_days: float | None
    median_days: float | None
    mean_days: float | None
    q3_days: float | None
    max_days: int | None
    distribution: tuple[tuple[str, int], ...]
    """(English bucket label of :data:`LEAD_BUCKETS`, found-first events in it)."""
    by_kind: tuple[KindCount, ...]
    share_reason: Reason | None = None
    lead_reason: Reason | None = None


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """Effectiveness of the smoke index on one cut-off date (definitions: ``score.evaluate``)."""

    cutoff: date
    grades: tuple[str, ...]
    alert_grade: str
    outcomes_from: date | None
    outcomes_until: date | None
    population: int
    scored: int
    unscored: int
    positives: int
    negatives: int
    excluded: int
    base_rate: float | None
    outcome_rows: int
    duplicate_outcomes: int
    outside_population: int
    outside_window: int
    auc: Auc
    by_grade: tuple[GradeRow, ...]
    precision_at_k: tuple[PrecisionAtK, ...]
    lead_time: LeadTime
    events: tuple[EventLead, ...]

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: dates as ISO strings, tuples as lists."""
        data: dict[str, Any] = _jsonable(asdict(self))
        data["reasons"] = {code: {"zh": zh, "en": en} for code, (zh, en) in REASONS.items()}
        return data

    def describe(self, lang: str = "zh", grade_labels: Mapping[str, str] | None = None) -> str:
        """A short summary for leadership, in Chinese (``zh``) or English (``en``).

        ``grade_labels`` names grades in the text (default: 红色/橙色/… for the usual colour
        codes in Chinese, the codes themselves otherwise).
        """
        zh = lang.startswith("zh")
        labels = dict(_COLOURS_ZH if zh else {}) | dict(grade_labels or {})
        return "\n".join(_describe(self, zh, lambda code: labels.get(code, code)))


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{round(value, 1):g}"


_TEXT: Mapping[str, tuple[str, str]] = {
    "head": (
        (
            "效果评估（截止{cutoff}）：评估主体{population}个（未评分{unscored}个），"
            "发生结果的{positives}个，基准率{base_rate}{excluded}。"
        ),
        (
            "Evaluation as of {cutoff}: {population} entities ({unscored} unscored), "
            "{positives} with an outcome, base rate {base_rate}{excluded}."
        ),
    ),
    "excluded": (
        "；另有{excluded}个主体的结果不在观察期内，未计入",
        "; {excluded} left out (outcomes outside the window)",
    ),
    "auc": (
        "AUC：{auc}（{auc_pos}个有结果、{auc_neg}个无结果）。",
        "AUC: {auc} ({auc_pos} with an outcome, {auc_neg} without).",
    ),
    "na": ("无法计算（{why}）", "not available ({why})"),
    "grade": (
        "{alert}及以上预警{flagged}个，其中{hits}个发生结果：精确率{precision}，召回率{recall}。",
        (
            "Flagged {alert} or above: {flagged}, {hits} with an outcome: "
            "precision {precision}, recall {recall}."
        ),
    ),
    "at_k": (
        "前{k}名精确率{precision}（{hits}/{taken}）",
        "precision@{k} {precision} ({hits}/{taken})",
    ),
    "lead": (
        (
            "{events}起结果事件中，事发前已达{alert}及以上的{found}起，提前发现率{share}；"
            "提前期中位数{median}天（四分位{q1}–{q3}天，平均{mean}天）；"
            "事发后才预警{late}起，未预警{missed}起，事发前未评分{not_scored}起。"
        ),
        (
            "Of {events} outcome events, {found} were flagged {alert} or above before they "
            "happened (found first: {share}); median lead {median} days (quartiles {q1}–{q3}, "
            "mean {mean}); flagged only afterwards {late}, missed {missed}, not scored before "
            "the event {not_scored}."
        ),
    ),
    "small": (
        "注意：样本较少（不足{small}），以上比例仅供参考。",
        "Note: small numbers (under {small}); read the shares with care.",
    ),
}


def _describe(r: EvaluationReport, zh: bool, name: Callable[[str], str]) -> list[str]:
    def say(key: str, **values: object) -> str:
        return _TEXT[key][0 if zh else 1].format(**values)

    row, lt, auc = r.by_grade[r.grades.index(r.alert_grade)], r.lead_time, r.auc
    why = REASONS[auc.reason][0 if zh else 1] if auc.reason else ""
    excluded = say("excluded", excluded=r.excluded) if r.excluded else ""
    at_k = [
        say("at_k", k=p.k, precision=_pct(p.precision), hits=p.positives, taken=p.taken)
        for p in r.precision_at_k
    ]
    lines = [
        say(
            "head",
            cutoff=r.cutoff,
            population=r.population,
            unscored=r.unscored,
            positives=r.positives,
            base_rate=_pct(r.base_rate),
            excluded=excluded,
        ),
        say(
            "auc",
            auc=f"{auc.value:.3f}" if auc.value is not None else say("na", why=why),
            auc_pos=auc.positives,
            auc_neg=auc.negatives,
        ),
        say(
            "grade",
            alert=name(r.alert_grade),
            flagged=row.flagged,
            hits=row.flagged_positives,
            precision=_pct(row.cumulative_precision),
            recall=_pct(row.recall),
        ),
        ("；" if zh else "; ").join(at_k) + ("。" if zh else "."),
        say(
            "lead",
            events=lt.events,
            alert=name(r.alert_grade),
            found=lt.found_first,
            share=_pct(lt.found_first_share),
            median=_num(lt.median_days),
            q1=_num(lt.q1_days),
            q3=_num(lt.q3_days),
            mean=_num(lt.mean_days),
            late=lt.flagged_late,
            missed=lt.missed,
            not_scored=lt.not_scored,
        ),
    ]
    if min(r.positives, lt.events) < SMALL_SAMPLE:
        lines.append(say("small", small=SMALL_SAMPLE))
    return lines


UNKNOWN_KIND = "unknown"
"""The kind of an outcome whose file has no ``kind`` column or an empty cell."""

HEADER_ALIASES: dict[str, str] = {
    "entity_id": "entity_id",
    "id": "entity_id",
    "subject_id": "entity_id",
    "event_date": "event_date",
    "date": "event_date",
    "kind": "kind",
}
"""Accepted header names (lower case) → the field they fill."""


@dataclass(frozen=True, slots=True)
class OutcomeReject:
    """A data row that is not an outcome: its 1-based line number, why, and its cells."""

    line: int
    reason: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutcomeFile:
    """What :func:`read_outcomes` read: outcomes and rejects, in file order."""

    path: Path
    encoding: str
    outcomes: tuple[Outcome, ...]
    rejects: tuple[OutcomeReject, ...]

    @property
    def rows(self) -> int:
        """Data rows read (every one is an outcome or a reject)."""
        return len(self.outcomes) + len(self.rejects)


def read_outcomes(path: str | Path) -> OutcomeFile:
    """Read an outcome CSV file: outcomes plus row-level rejects with line numbers.

    Raises:
        InvalidInput: the file is missing, decodes neither as UTF-8 nor as GB18030, is not
            CSV, or has no header naming an entity-id and an event-date column.
    """
    file = Path(path)
    if not file.is_file():
        raise InvalidInput(f"outcome file not found: {file}")
    encoding = detect_encoding(file, "auto", how_to_declare="save it as UTF-8 or GB18030")
    outcomes: list[Outcome] = []
    rejects: list[OutcomeReject] = []
    with file.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        columns: dict[str, int] | None = None
        width = 0
        line = 1
        try:
            for cells in reader:
                start, line = line, reader.line_num + 1
                if not any(c.strip() for c in cells) and len(cells) <= 1:
                    continue
                if columns is None:
                    columns, width = _header(file, cells), len(cells)
                    continue
                row = _row(cells, columns, width)
                if isinstance(row, Outcome):
                    outcomes.append(row)
                else:
                    rejects.append(OutcomeReject(start, row, tuple(cells)))
        except csv.Error as exc:
            raise InvalidInput(f"{file.name}, line {line}: not CSV ({exc})") from exc
    if columns is None:
        raise InvalidInput(f"{file.name}: empty file, expected a header entity_id,event_date,kind")
    return OutcomeFile(file, encoding, tuple(outcomes), tuple(rejects))


def _header(file: Path, cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        field = HEADER_ALIASES.get(cell.strip().lstrip("\ufeff").lower())
        if field is None:
            continue
        if field in columns:
            raise InvalidInput(f"{file.name}: header names the {field} column twice: {cells}")
        columns[field] = position
    missing = [f for f in ("entity_id", "event_date") if f not in columns]
    if missing:
        raise InvalidInput(
            f"{file.name}: no usable header (missing {', '.join(missing)}; found {cells}); "
            "expected entity_id (or id, subject_id), event_date (or date), kind"
        )
    return columns


def _row(cells: list[str], columns: dict[str, int], width: int) -> Outcome | str:
    if len(cells) > width:
        return f"row has {len(cells)} fields, the header has {width}"

    def cell(field: str) -> str:
        position = columns.get(field)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    problems: list[str] = []
    entity, raw_date = cell("entity_id"), cell("event_date")
    if not entity:
        problems.append("missing entity id")
    day = None
    if not raw_date:
        problems.append("missing event date")
    else:
        try:
            day = clean_date(raw_date)
        except ValueTypeError as exc:
            problems.append(f"bad event date: {exc}")
        else:
            if day is None:
                problems.append(f"bad event date: {raw_date!r} is not a day")
    if problems or day is None:
        return "; ".join(problems)
    return Outcome(entity, day, cell("kind") or UNKNOWN_KIND)


__all__ = [
    "HEADER_ALIASES",
    "LEAD_BUCKETS",
    "REASONS",
    "SMALL_SAMPLE",
    "UNKNOWN_KIND",
    "Auc",
    "EvaluationReport",
    "EventLead",
    "EventStatus",
    "GradeRow",
    "KindCount",
    "LeadTime",
    "Outcome",
    "OutcomeFile",
    "OutcomeReject",
    "PrecisionAtK",
    "Reason",
    "ScorePoint",
    "read_outcomes",
]
