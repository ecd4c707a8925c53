"""The watch list as a search: scored entities filtered, found by name, exported.

The list is the latest evaluation date of a scorecard, in the user's territory, highest smoke
index first; the filters are grade, dimension (the entity scores in it), region (a division
code and everything below it), sector (an industry code prefix), typology (a contribution
comes from a rule of that typology) and, optionally, the key-focus list only.

Names are found three ways, each saying how it matched (``matched``):

* ``name`` — the query is part of the name (after folding full-width characters and case);
* ``pinyin`` — a Latin query is part of the pinyin initials of the name or of its trade name
  (字号): ``zdzc`` finds 芜湖智鼎资产管理有限公司 through 智鼎资产;
* ``short`` — a Chinese query of two or more characters appears in the name in order with
  gaps, the way short names are made (智鼎资管 → 芜湖**智鼎资**产**管**理有限公司).

Exports (CSV with a BOM so Excel reads UTF-8, or XLSX) hold every filtered row, not one page,
with PII masked as on screen.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Final

import sqlalchemy as sa
from openpyxl import Workbook
from pypinyin import Style, lazy_pinyin
from sqlalchemy.orm import Session

from smokewatch.cases.access import Actor
from smokewatch.cases.workflow import jurisdiction_prefix
from smokewatch.errors import InvalidInput
from smokewatch.model.types.text import fold_width
from smokewatch.resolve.names import parse_org_name
from smokewatch.services.alerts import DEFAULT_SCORECARD, KEY_FOCUS
from smokewatch.services.visibility import region_condition, require_analyst, shown
from smokewatch.store import scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Score

PAGE_SIZES: Final = (25, 50, 100)
EXPORT_LIMIT: Final = 50_000
"""An export holds at most this many rows (the rest is cut, and the file says so)."""

GRADES: Final = ("red", "orange", "yellow", "blue")
_KEY: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user asked for; empty values do not filter."""

    q: str = ""
    grades: tuple[str, ...] = ()
    dimension: str = ""
    region: str = ""
    sector: str = ""
    typology: str = ""
    focus_only: bool = False
    page: int = 1
    per_page: int = 25

    def check(self) -> None:
        """Refuse values no filter can mean.

        Raises:
            InvalidInput: an unknown grade, a region that is not a division code, a dimension
                that is not a key, a bad page.
        """
        unknown = [g for g in self.grades if g not in GRADES]
        if unknown:
            raise InvalidInput(f"unknown grade {unknown[0]!r}: use {', '.join(GRADES)}")
        if self.region and not (self.region.isdigit() and len(self.region) in (6, 9)):
            raise InvalidInput("the region is a 6- or 9-digit division code")
        if self.page < 1 or self.per_page not in PAGE_SIZES:
            raise InvalidInput(f"page from 1, page size one of {PAGE_SIZES}")
        if self.dimension and not _KEY.fullmatch(self.dimension):
            raise InvalidInput("a dimension is a lowercase key such as return_deviation")
        if len(self.q) > 100:
            raise InvalidInput("the search text is at most 100 characters")


@dataclass(frozen=True, slots=True)
class Hit:
    """One row of the list: the score as plain data and how the name matched."""

    score: dict[str, Any]
    matched: str | None
    typologies: tuple[str, ...]
    focus: bool


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of hits, how many matched, and the evaluation date."""

    scorecard: str
    as_of: date | None
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """How many pages the matches fill (at least one)."""
        return max(1, -(-self.total // self.per_page))


def _fold(text: str) -> str:
    return fold_width(text).lower().strip()


@lru_cache(maxsize=200_000)
def initials(name: str) -> tuple[str, str]:
    """Pinyin initials of a name and of its trade name (字号), lower case.

    Examples:
        >>> initials("芜湖智鼎资产管理有限公司")
        ('whzdzcglyxgs', 'zd')
    """
    trade = parse_org_name(name).trade_name or ""

    def letters(text: str) -> str:
        return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()

    return letters(name), letters(trade)


def _in_order(query: str, name: str) -> bool:
    position = 0
    for char in query:
        position = name.find(char, position) + 1
        if position == 0:
            return False
    return True


def name_match(name: str | None, query: str) -> str | None:
    """How ``query`` finds ``name`` (``name``, ``pinyin``, ``short``) or None.

    Examples:
        >>> name_match("芜湖智鼎资产管理有限公司", "智鼎资管")
        'short'
        >>> name_match("芜湖智鼎资产管理有限公司", "ZD")
        'pinyin'
    """
    q, text = _fold(query), _fold(name or "")
    if not q:
        return "name"
    if q in text:
        return "name"
    if q.isascii() and q.isalnum():
        whole, trade = initials(name or "")
        return "pinyin" if q in whole or q in trade else None
    if len(q) >= 2 and not q.isascii() and _in_order(q, text):
        return "short"
    return None


_RANK: Final = {"name": 0, "pinyin": 1, "short": 2}


_SOURCE = re.compile(r'"source":\s*"([^"@]+)@')
"""A contribution's rule, read from the stored JSON text (cheaper than parsing it whole)."""

_COLUMNS: Final = (
    Score.subject_id,
    Score.subject_table,
    Score.subject_name,
    Score.score,
    Score.grade,
    Score.dimensions,
    Score.adcode,
    Score.sector,
    Score.as_of,
    Score.scorecard_id,
    Score.scorecard_version,
    sa.cast(Score.contributions, sa.Text).label("contributions_text"),
)


def _conditions(
    actor: Actor,
    filters: Filters,
    *,
    scorecard_id: str,
    as_of: date,
    rules: dict[str, tuple[str, ...]],
    focus: set[str],
) -> list[sa.ColumnElement[bool]]:
    """Every filter but the name, as SQL (the name needs pinyin: Python)."""
    conditions = [
        Score.scorecard_id == scorecard_id,
        Score.as_of == as_of,
        Score.shadow.is_(False),
        region_condition(actor, Score.adcode, Score.sector),
    ]
    if filters.grades:
        conditions.append(Score.grade.in_(filters.grades))
    if filters.region:
        prefix = jurisdiction_prefix(filters.region)
        conditions.append(Score.adcode.startswith(prefix, autoescape=True))
    if filters.sector:
        conditions.append(Score.sector.startswith(filters.sector, autoescape=True))
    if filters.dimension:
        conditions.append(Score.dimensions[filters.dimension].as_float() > 0)
    if filters.typology:
        text = sa.cast(Score.contributions, sa.Text)
        ids = sorted(r for r, kinds in rules.items() if filters.typology in kinds)
        conditions.append(
            sa.or_(sa.false(), *(text.contains(f'"{r}@', autoescape=True) for r in ids))
        )
    if filters.focus_only:
        conditions.append(Score.subject_id.in_(sorted(focus)))
    return conditions


def _hit(
    actor: Actor, row: sa.Row[Any], matched: str | None, rules: dict[str, Any], focus: set[str]
) -> Hit:
    sources = set(_SOURCE.findall(row.contributions_text or ""))
    data = {
        "subject_id": row.subject_id,
        "subject_table": row.subject_table,
        "subject_name": row.subject_name,
        "smoke_index": row.score,
        "grade": row.grade,
        "dimensions": dict(row.dimensions or {}),
        "adcode": row.adcode,
        "sector": row.sector,
        "as_of": row.as_of,
        "scorecard": f"{row.scorecard_id}@{row.scorecard_version}",
    }
    shown_data, _ = shown(actor, data)
    typologies = tuple(sorted({t for r in sources for t in rules.get(r, ())}))
    return Hit(shown_data, matched, typologies, row.subject_id in focus)


def _named(
    session: Session, conditions: list[sa.ColumnElement[bool]], query: str
) -> list[tuple[str, str]]:
    """``(subject_id, how)`` of the rows whose name ``query`` finds, best matches first."""
    found = []
    for subject_id, name in session.execute(
        sa.select(Score.subject_id, Score.subject_name)
        .where(*conditions)
        .order_by(Score.score.desc(), Score.subject_id)
    ):
        how = name_match(name, query)
        if how is not None:
            found.append((str(subject_id), how))
    found.sort(key=lambda pair: _RANK[pair[1]])  # stable: index order kept within a rank
    return found


def search(
    store: Store,
    actor: Actor,
    filters: Filters,
    *,
    typology_of: dict[str, tuple[str, ...]] | None = None,
    scorecard_id: str = DEFAULT_SCORECARD,
    limit: int | None = None,
) -> SearchPage:
    """The matching entities, best name matches first, then by smoke index (one page).

    ``typology_of`` maps rule ids to their typologies (from the rule catalogue); without it
    the typology filter matches nothing and the column stays empty. ``limit`` (exports)
    replaces paging. Filters run in SQL; only a name query reads the candidate names in
    Python, and only the rows shown are read whole and masked.

    Raises:
        Forbidden: the role does not read monitoring results.
        InvalidInput: see :meth:`Filters.check`.
    """
    require_analyst(actor)
    filters.check()
    rules = typology_of or {}
    size = limit if limit is not None else filters.per_page
    start = 0 if limit is not None else (filters.page - 1) * filters.per_page
    page = 1 if limit is not None else filters.page
    with store.read_session() as session:
        as_of = scoring.latest_as_of(session, scorecard_id)
        if as_of is None:
            return SearchPage(scorecard_id, None, 0, page, size)
        focus = {e.subject_id for e in scoring.list_watch(session, list_id=KEY_FOCUS)}
        conditions = _conditions(
            actor, filters, scorecard_id=scorecard_id, as_of=as_of, rules=rules, focus=focus
        )
        if filters.q:
            named = _named(session, conditions, filters.q)
            chosen = named[start : start + size]
            how = dict(chosen)
            rows = {
                r.subject_id: r
                for r in session.execute(
                    sa.select(*_COLUMNS).where(*conditions, Score.subject_id.in_(list(how)))
                )
            }
            hits = [_hit(actor, rows[s], m, rules, focus) for s, m in chosen if s in rows]
            total = len(named)
        else:
            total = session.execute(
                sa.select(sa.func.count()).select_from(Score).where(*conditions)
            ).scalar_one()
            hits = [
                _hit(actor, r, None, rules, focus)
                for r in session.execute(
                    sa.select(*_COLUMNS)
                    .where(*conditions)
                    .order_by(Score.score.desc(), Score.subject_id)
                    .limit(size)
                    .offset(start)
                )
            ]
    return SearchPage(scorecard_id, as_of, int(total), page, size, hits)


EXPORT_COLUMNS: Final = (
    "subject_id",
    "subject_name",
    "grade",
    "smoke_index",
    "dimensions",
    "typologies",
    "key_focus",
    "adcode",
    "sector",
    "as_of",
    "scorecard",
)


def export_rows(page: SearchPage) -> list[list[Any]]:
    """The rows of an export, in :data:`EXPORT_COLUMNS` order (header not included)."""
    rows: list[list[Any]] = []
    for hit in page.hits:
        s = hit.score
        dims = "; ".join(f"{k}={v:g}" for k, v in sorted(s["dimensions"].items()) if v)
        rows.append(
            [
                s["subject_id"],
                s["subject_name"] or "",
                s["grade"],
                s["smoke_index"],
                dims,
                "; ".join(hit.typologies),
                "yes" if hit.focus else "",
                s["adcode"] or "",
                s["sector"] or "",
                s["as_of"].isoformat() if s["as_of"] else "",
                s["scorecard"],
            ]
        )
    return rows


def _safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is quoted (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: list[list[Any]]) -> bytes:
    """CSV, UTF-8 with a byte-order mark (Excel on a Chinese Windows reads it right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_safe_cell(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: list[list[Any]], *, title: str) -> bytes:
    """An XLSX workbook with one sheet: the header row, then the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = [
    "EXPORT_COLUMNS",
    "EXPORT_LIMIT",
    "PAGE_SIZES",
    "Filters",
    "Hit",
    "SearchPage",
    "export_rows",
    "initials",
    "name_match",
    "search",
    "to_csv",
    "to_xlsx",
]
