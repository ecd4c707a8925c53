"""The summary table printed after ``demo init`` (and reused by other pipeline commands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len

from smokewatch.cli.render import out, table

if TYPE_CHECKING:
    from smokewatch.services.demo import DemoSummary
    from smokewatch.services.demo_cases import Mechanism
    from smokewatch.services.demo_grades import GradeCheck
    from smokewatch.services.demo_patrol import DemoPatrol

_GRADE_ORDER = ("red", "orange", "yellow", "blue", "none")
_INDENT = "          "
_SHOWN = 5
"""Reason misses printed; the demo run's statistics keep all of them."""


def _short(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` terminal cells (a Chinese character takes two)."""
    if cell_len(text) <= cells:
        return text
    while text and cell_len(text) > cells - 1:
        text = text[:-1]
    return text + "…"


_TITLES = {
    "enterprise": ("Smoke index", "Planted smoke cases", "planted enterprises"),
    "local_org": (
        "Rating of licensed organisations",
        "Planted organisations",
        "planted organisations",
    ),
    "platform": ("Platform smoke index", "Planted platforms", "planted platforms"),
}


def render_grades(grades: GradeCheck) -> None:
    """Print a card's grades, the planted cases, the reasons and the controls."""
    name, cases_title, planted_title = _TITLES.get(grades.subject, _TITLES["enterprise"])
    counts = dict(grades.by_grade)
    order = [g for g in _GRADE_ORDER if g in counts] + sorted(set(counts) - set(_GRADE_ORDER))
    table(
        f"{name} · {grades.scorecard} · entities per grade",
        [*order, "alerts raised", "not planted"],
        [(*(counts[g] for g in order), grades.alerts.get("raised", 0), grades.unplanted)],
        caption="none: a positive index below blue; not planted: scored entities that were "
        "not planted (false alarms)",
    )
    table(
        f"{cases_title} (grade designed vs reached)",
        ["case", "entity", "expected", "reached", "index", "met"],
        [
            (c.pattern, c.name, c.wanted, c.reached, f"{c.index:g}", "✓" if c.met else "✗")
            for c in grades.cases
        ],
        caption=f"{grades.met} of {len(grades.cases)} grade expectations met",
    )
    for miss in grades.misses:
        out.print(f"  grade not met: {miss}", markup=False)
    controls = grades.controls
    explained = grades.explained
    table(
        f"Reasons behind the index ({planted_title})",
        ["planted", "exact reasons", "controls", "controls unscored", "highest control"],
        [
            (
                len(explained),
                sum(1 for e in explained if e.met),
                len(controls),
                sum(1 for e in controls if e.met),
                f"{max((e.index for e in controls), default=0.0):g}",
            )
        ],
        caption="exact reasons: the rules behind the index are those planted to fire on the "
        "subject (or, for an enterprise, on the documents naming it); controls: planted to stay "
        "clean",
    )
    misses = grades.reason_misses
    for miss in misses[:_SHOWN]:
        out.print(f"  reasons not met: {miss}", markup=False)
    if len(misses) > _SHOWN:
        out.print(f"  … and {len(misses) - _SHOWN} more (runs list --kind demo --json)")
    if grades.top:
        out.print("Highest entities per grade · strongest reasons", style="italic")
    width = max(out.width - len(_INDENT) - 6, 30)
    for t in grades.top:
        planted = f"[{t.pattern}]" if t.pattern else "[not planted]"
        out.print(f"  {t.index:>5g} {t.grade:<6} {t.name} {planted} {t.subject_id}", markup=False)
        for points, reason in t.reasons:
            # Reasons are cut to the terminal; `smokewatch scores show` has them in full.
            out.print(f"{_INDENT}+{points:<4g} {_short(reason, width)}", markup=False)


def render_demo_patrol(patrol: DemoPatrol) -> None:
    """The demo's second patrol run: what changed on the fixture site since the first."""
    after = patrol.after
    table(
        f"Patrol demo_wealth · {patrol.base} (served at {patrol.served_at}) · "
        f"run {after.run_id} (after {patrol.before.run_id})",
        ["change", "url", "title", "status", "added (first line)"],
        [
            (c.change, c.url, c.title or "", c.status if c.change == "gone" else "", c.added[0])
            if c.added
            else (c.change, c.url, c.title or "", c.status if c.change == "gone" else "", "")
            for c in after.changes.changes
        ],
        caption=f"{after.pages} pages ({after.refused} refused by robots.txt), "
        f"{after.documents} documents, {after.facts} contact/identity facts, "
        f"evidence head {after.head[:16]}… (smokewatch patrol verify {after.run_id}); "
        f"{after.events} change events ({after.events_on_entities} on an operator's timeline); "
        + "; ".join(
            f"operator of {o.site}: "
            + (o.reason_en if o.resolved else f"unresolved ({o.reason_en})")
            for o in after.operators
        ),
    )


def render_demo(summary: DemoSummary) -> None:
    """Print what the demo built and found, and how it compares with the planted truth.

    The rule check covers enterprises (SW-R-0001…0005, 0105, 0106) and text documents
    (SW-R-0101…0104); the grade check the planted smoke cases (:func:`render_grades`).
    """
    table(
        f"Demo workspace {summary.workspace} · as of {summary.as_of}",
        ["source", "table", "status", "read", "loaded", "rejected", "seconds"],
        [
            (
                s.source_id,
                s.table,
                s.status,
                s.rows_read,
                s.rows_loaded,
                s.rows_rejected,
                f"{s.duration_s:.1f}",
            )
            for s in summary.ingests
        ],
    )
    detect = summary.detect
    table(
        f"Findings · run {detect.run_id} · {detect.engine}",
        ["rule", "findings", "bands", "seconds"],
        [
            (
                f"{o.rule_id}@{o.version}",
                o.findings,
                ", ".join(f"{k}={v}" for k, v in o.bands.items()),
                f"{o.duration_s:.2f}",
            )
            for o in detect.outcomes
        ],
        caption=f"{detect.findings} findings; by severity: "
        + ", ".join(f"{k} {v}" for k, v in detect.by_severity.items()),
    )
    check = summary.check
    table(
        "Planted cases (ground truth of the demo city)",
        ["rule", "subject", "hits met", "of", "quiet met", "of", "unplanted"],
        [
            *(
                (
                    r.rule_id,
                    r.subject_table,
                    r.caught,
                    r.expected_hits,
                    r.kept_quiet,
                    r.expected_quiet,
                    r.unexpected,
                )
                for r in check.rules
            ),
            (
                "all",
                "",
                check.caught,
                check.expected_hits,
                check.kept_quiet,
                check.expected_quiet,
                check.unexpected,
            ),
        ],
        caption="hits met: fired as planted (in the planted band, where stated); quiet met: "
        "stayed quiet as planted; unplanted: findings on subjects not planted (false alarms)",
    )
    for miss in check.misses:
        out.print(f"  not met: {miss}", markup=False)
    if summary.patrol is not None:
        render_demo_patrol(summary.patrol)
    if summary.grades is not None:
        render_grades(summary.grades)
    for rating in summary.ratings:
        render_grades(rating)
    if summary.mechanism is not None:
        render_mechanism(summary.mechanism)
    if summary.graph is not None:
        g = summary.graph
        out.print(
            f"company graph: {g.edges} edges, {g.families} families (largest {g.largest_family} "
            f"enterprises), {g.seeds} red/orange seeds reaching {g.reached} entities; planted "
            f"families in {summary.workspace / 'demo' / 'families.jsonl'}",
            markup=False,
        )
        out.print(
            f"next: smokewatch graph family ENTITY_ID --workspace {summary.workspace}   "
            "(also graph ubo, graph neighbours, graph export)"
        )
    if summary.tips:
        met = sum(t.as_expected for t in summary.tips)
        out.print(
            f"public tips: {met} of {len(summary.tips)} processed as planted (routing, duplicate, "
            f"spam, clue, reward); tracking codes in {summary.workspace / 'demo' / 'tips.csv'}",
            markup=False,
        )
        for tip in summary.tips:
            if not tip.as_expected:
                out.print(f"  not met: tip {tip.key}: {tip.found} ≠ {tip.expected}", markup=False)
    out.print(
        f"next: smokewatch sector stats --sector microcredit --workspace {summary.workspace}   "
        "(also --sector online_lending; smokewatch orgs exits)"
    )
    out.print(
        f"next: smokewatch scores show ENTITY_ID --workspace {summary.workspace}   "
        "(every contribution of an entity's index)"
    )
    out.print(
        f"next: smokewatch serve --workspace {summary.workspace}   "
        f"(dashboard at http://127.0.0.1:8000/ — demo users above; API at /api/v1)"
    )
    out.print(
        f"next: smokewatch portal --workspace {summary.workspace}   "
        "(public tip portal at http://127.0.0.1:8100/)"
    )


def render_mechanism(mechanism: Mechanism) -> None:
    """The demo users with their passwords, and the planted cases."""
    table(
        f"Demo users ({mechanism.agencies} agencies) — sign in with these (demo only)",
        ["user", "role", "agency", "password"],
        [(u.id, u.role, u.agency_id or "", u.password) for u in mechanism.users],
    )
    table(
        "Planted cases",
        ["case", "stage", "overdue", "entity"],
        [
            (c.id, f"{c.key}: {c.status}", "yes" if c.overdue else "", c.subject_id or "")
            for c in mechanism.cases
        ],
    )


__all__ = ["render_demo", "render_demo_patrol", "render_grades", "render_mechanism"]
