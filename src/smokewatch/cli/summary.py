"""The summary table printed after ``demo init`` (and reused by other pipeline commands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smokewatch.cli.render import out, table

if TYPE_CHECKING:
    from smokewatch.services.demo import DemoSummary


def render_demo(summary: DemoSummary) -> None:
    """Print what the demo built, what the rules found, and the planted-case check per rule.

    The check covers enterprises (SW-R-0001…0004) and text documents (SW-R-0101…0104).
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
    out.print(
        f"next: smokewatch serve --workspace {summary.workspace}   "
        f"(API at http://127.0.0.1:8000/api/v1/findings)"
    )


__all__ = ["render_demo"]
