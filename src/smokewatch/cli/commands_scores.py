"""``smokewatch score``, ``scores``, ``alerts``, ``watchlist``: the smoke index and follow-up."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smokewatch.cli.render import err, key_values, out, print_json, progress_bars, table
from smokewatch.cli.state import CliState, WorkspaceOption

if TYPE_CHECKING:
    from smokewatch.store.db import Store

score_app = typer.Typer(help="Compute smoke indices with the scorecards.", no_args_is_help=True)
scores_app = typer.Typer(help="Browse smoke indices and their contributions.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts raised by the smoke index.", no_args_is_help=True)
watch_app = typer.Typer(help="Watch lists (重点关注名单 and others).", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="JSON output for scripts.")]
LangOption = Annotated[str, typer.Option("--lang", help="zh or en reasons.")]
DateOption = Annotated[datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"])]
ScorecardOption = Annotated[
    str, typer.Option("--scorecard", "-s", help="Scorecard id (default SW-S-0001).")
]
ListOption = Annotated[str, typer.Option("--list", "-l", help="Watch list id (default key_focus).")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (kept in the history).")]


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.obj
    return state


def _actor() -> str:
    """Who is acting: ``SMOKEWATCH_ACTOR``, else the login name."""
    return os.environ.get("SMOKEWATCH_ACTOR") or getpass.getuser()


@contextmanager
def _store(ctx: typer.Context, workspace: Path | None) -> Iterator[Store]:
    from smokewatch.services.workspace import open_store, open_workspace

    settings = _state(ctx).settings(workspace)
    open_workspace(settings)
    with open_store(settings) as store:
        yield store


def _zh(lang: str) -> bool:
    return lang.startswith("zh")


# -- score ----------------------------------------------------------------------------------


@score_app.command("run")
def run(
    ctx: typer.Context,
    scorecard: Annotated[
        list[str] | None, typer.Option("--scorecard", "-s", help="Only these scorecards.")
    ] = None,
    as_of: DateOption = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Score every entity the findings reach; store indices; raise alerts."""
    from smokewatch.services.scores import score

    state = _state(ctx)
    with progress_bars(state.progress) as progress:
        summary = score(
            state.settings(workspace),
            scorecard_ids=scorecard,
            as_of=as_of.date() if as_of else None,
            progress=progress,
        )
    if as_json:
        print_json({"run_id": summary.run_id, "as_of": summary.as_of, "cards": summary.cards})
        return
    table(
        f"Score run {summary.run_id} · as of {summary.as_of}",
        ["scorecard", "shadow", "scored", "by grade", "alerts", "note"],
        [
            (
                c.scorecard,
                "yes" if c.shadow else "",
                c.scored,
                ", ".join(f"{g} {n}" for g, n in c.by_grade.items()),
                ", ".join(f"{k} {n}" for k, n in c.alerts.items()),
                c.skipped or "",
            )
            for c in summary.cards
        ],
        caption="`smokewatch scores list` for the grade lists, `smokewatch alerts list` for alerts",
    )


@score_app.command("lint")
def lint(ctx: typer.Context, workspace: WorkspaceOption = None) -> None:
    """Check every scorecard against the rules; exit 1 on errors."""
    from smokewatch.score.lint import lint_scorecard
    from smokewatch.services.detect import workspace_rules
    from smokewatch.services.scores import workspace_scorecards
    from smokewatch.services.workspace import open_workspace

    ws = open_workspace(_state(ctx).settings(workspace))
    rules = {r.id: r for r in workspace_rules(ws)}
    issues = [i for card in workspace_scorecards(ws) for i in lint_scorecard(card, rules)]
    for issue in issues:
        (err if issue.severity == "error" else out).print(str(issue), markup=False, soft_wrap=True)
    errors = sum(i.severity == "error" for i in issues)
    out.print(f"{errors} errors, {len(issues) - errors} warnings")
    if errors:
        raise typer.Exit(1)


# -- scores ---------------------------------------------------------------------------------


@scores_app.command("list")
def list_scores(
    ctx: typer.Context,
    scorecard: ScorecardOption = "SW-S-0001",
    as_of: DateOption = None,
    grade: Annotated[
        list[str] | None, typer.Option("--grade", "-g", help="Only these grades.")
    ] = None,
    adcode: Annotated[str | None, typer.Option("--adcode", help="Division code prefix.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10000)] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Entities by smoke index on an evaluation date (default: the latest), highest first."""
    from smokewatch.services.alerts import list_scores as query

    with _store(ctx, workspace) as store:
        page = query(
            store,
            scorecard_id=scorecard,
            as_of=as_of.date() if as_of else None,
            grades=grade,
            adcode_prefix=adcode,
            limit=limit,
            offset=offset,
        )
    if as_json:
        print_json(page)
        return
    counts = ", ".join(f"{g} {n}" for g, n in page.by_grade.items()) or "nothing scored yet"
    table(
        f"Smoke index · {page.scorecard} · as of {page.as_of or '—'} ({counts})",
        ["index", "grade", "entity", "division", "strongest dimensions"],
        [
            (
                f"{s['smoke_index']:.1f}",
                s["grade"],
                s["subject_name"] or s["subject_id"],
                s["adcode"],
                _top_dimensions(s["dimensions"]),
            )
            for s in page.scores
        ],
        caption=f"{page.total} match · `smokewatch scores show ENTITY` for the contributions",
    )


def _top_dimensions(dimensions: dict[str, float], n: int = 3) -> str:
    top = sorted(((v, k) for k, v in dimensions.items() if v > 0), reverse=True)[:n]
    return ", ".join(f"{k} {v:g}" for v, k in top)


@scores_app.command("show")
def show_scores(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="Entity id.")],
    scorecard: ScorecardOption = "SW-S-0001",
    lang: LangOption = "zh",
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """One entity: its index, the contributions that add up to it, its history and alert."""
    from smokewatch.services.alerts import show_scores as query

    with _store(ctx, workspace) as store:
        data = query(store, entity, scorecard_id=scorecard)
    if as_json:
        print_json(data)
        return
    zh = _zh(lang)
    key_values(
        f"{data['subject_name'] or entity} · {data['scorecard']}",
        {
            "smoke index": f"{data['smoke_index']:.2f}",
            "grade": data["grade"],
            "as of": data["as_of"],
            "division": data["adcode"],
            "sector": data["sector"],
            "alert": f"{data['alert']['status']} ({data['alert']['id']})" if data["alert"] else "—",
            "watch lists": ", ".join(w["list"] for w in data["watchlists"]) or "—",
        },
    )
    table(
        "Contributions (they add up to the index)",
        ["points", "dimension", "source", "reason", "evidence"],
        [
            (
                f"{c['points']:+.2f}",
                c["dimension"] or "",
                c["source"] or c["kind"],
                c["reason_zh" if zh else "reason_en"],
                ", ".join(c["evidence"][:3]),
            )
            for c in data["contributions"]
        ],
    )
    table(
        "History",
        ["as of", "index", "grade"],
        [(h["as_of"], f"{h['smoke_index']:.1f}", h["grade"]) for h in data["history"]],
    )


# -- alerts ---------------------------------------------------------------------------------


@alerts_app.command("list")
def list_alerts(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="open, snoozed, closed (default open).")
    ] = None,
    grade: Annotated[list[str] | None, typer.Option("--grade", "-g")] = None,
    adcode: Annotated[str | None, typer.Option("--adcode", help="Division code prefix.")] = None,
    sector: Annotated[str | None, typer.Option("--sector")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10000)] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    lang: LangOption = "zh",
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Alerts, most recently raised or risen first, with where they are routed."""
    from smokewatch.services.alerts import list_alerts as query

    with _store(ctx, workspace) as store:
        rows, total = query(
            store,
            statuses=status or ["open"],
            grades=grade,
            adcode_prefix=adcode,
            sector=sector,
            limit=limit,
            offset=offset,
        )
    if as_json:
        print_json({"total": total, "items": rows})
        return
    table(
        f"Alerts ({total})",
        ["id", "grade", "index", "status", "entity", "division", "why"],
        [
            (
                a["id"][:15],
                a["grade"],
                f"{a['smoke_index']:.1f}",
                a["status"],
                a["subject_name"] or a["subject_id"],
                a["adcode"],
                a["reason_zh" if _zh(lang) else "reason_en"],
            )
            for a in rows
        ],
    )


def _print_alert(data: dict[str, Any], lang: str) -> None:
    key_values(
        f"Alert {data['id']}",
        {
            "entity": data["subject_name"] or data["subject_id"],
            "grade": data["grade"],
            "status": data["status"],
            "smoke index": data["smoke_index"],
            "division": data["adcode"],
            "sector": data["sector"],
            "snoozed until": data["snoozed_until"],
            "why": data["reason_zh" if _zh(lang) else "reason_en"],
        },
    )
    table(
        "History",
        ["at", "event", "grade", "index", "by", "reason"],
        [
            (
                h["at"],
                h["kind"],
                h["grade"],
                h["smoke_index"],
                h["actor"] or h["run_id"],
                h["reason"],
            )
            for h in data.get("history", [])
        ],
    )


def _alert_id(store: Store, prefix: str) -> str:
    """Accept the full id or the 15-character prefix ``alerts list`` shows."""
    from smokewatch.services.alerts import list_alerts as query

    if len(prefix) >= 43:
        return prefix
    rows, _ = query(store, statuses=None, limit=10000)
    matches = [a["id"] for a in rows if a["id"].startswith(prefix)]
    return matches[0] if len(matches) == 1 else prefix


@alerts_app.command("show")
def show_alert(
    ctx: typer.Context,
    alert: Annotated[str, typer.Argument(help="Alert id (or the prefix `alerts list` shows).")],
    lang: LangOption = "zh",
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """One alert with its history."""
    from smokewatch.services.alerts import show_alert as query

    with _store(ctx, workspace) as store:
        data = query(store, _alert_id(store, alert))
    if as_json:
        print_json(data)
        return
    _print_alert(data, lang)


@alerts_app.command("snooze")
def snooze(
    ctx: typer.Context,
    alert: Annotated[str, typer.Argument(help="Alert id (or prefix).")],
    until: Annotated[datetime, typer.Option("--until", formats=["%Y-%m-%d"], help="Last day.")],
    reason: ReasonOption,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Snooze an alert until a day: rises are recorded but not notified until then."""
    from smokewatch.services.alerts import snooze_alert

    with _store(ctx, workspace) as store:
        data = snooze_alert(
            store, _alert_id(store, alert), until=until.date(), reason=reason, actor=_actor()
        )
    if as_json:
        print_json(data)
        return
    _print_alert(data, "zh")


@alerts_app.command("close")
def close(
    ctx: typer.Context,
    alert: Annotated[str, typer.Argument(help="Alert id (or prefix).")],
    reason: ReasonOption,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Close an alert (it reopens if the entity later rises above the grade it had)."""
    from smokewatch.services.alerts import close_alert

    with _store(ctx, workspace) as store:
        data = close_alert(store, _alert_id(store, alert), reason=reason, actor=_actor())
    if as_json:
        print_json(data)
        return
    _print_alert(data, "zh")


# -- watch lists ----------------------------------------------------------------------------


@watch_app.command("add")
def watch_add(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="Entity id.")],
    reason: ReasonOption,
    list_id: ListOption = "key_focus",
    until: Annotated[
        datetime | None, typer.Option("--until", formats=["%Y-%m-%d"], help="Last day on the list.")
    ] = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Put an entity on a watch list with a reason (and optionally an expiry)."""
    from smokewatch.services.alerts import add_watch

    with _store(ctx, workspace) as store:
        entry = add_watch(
            store,
            entity,
            reason=reason,
            actor=_actor(),
            list_id=list_id,
            expires_on=until.date() if until else None,
        )
    if as_json:
        print_json(entry)
        return
    out.print(f"{entity} added to {list_id} (entry {entry['id']})", markup=False)


@watch_app.command("remove")
def watch_remove(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="Entity id.")],
    reason: ReasonOption,
    list_id: ListOption = "key_focus",
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Take an entity off a watch list with a reason (the entry is kept in the history)."""
    from smokewatch.services.alerts import remove_watch

    with _store(ctx, workspace) as store:
        entry = remove_watch(store, entity, reason=reason, actor=_actor(), list_id=list_id)
    if as_json:
        print_json(entry)
        return
    out.print(f"{entity} removed from {list_id}", markup=False)


@watch_app.command("list")
def watch_list(
    ctx: typer.Context,
    list_id: Annotated[
        str | None, typer.Option("--list", "-l", help="One list (default all).")
    ] = None,
    history: Annotated[bool, typer.Option("--history", help="Removed and expired too.")] = False,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Entries of the watch lists, active today (or all with --history)."""
    from smokewatch.services.alerts import list_watch

    with _store(ctx, workspace) as store:
        entries = list_watch(store, list_id=list_id, history=history)
    if as_json:
        print_json(entries)
        return
    table(
        "Watch lists",
        ["list", "entity", "reason", "by", "since", "until", "removed"],
        [
            (
                e["list"],
                e["subject_name"] or e["subject_id"],
                e["reason"],
                e["added_by"],
                e["added_at"],
                e["expires_on"],
                e["removed_at"] and f"{e['removed_at']:%Y-%m-%d} {e['removal_reason']}",
            )
            for e in entries
        ],
    )


# -- evaluate -------------------------------------------------------------------------------


def evaluate(
    ctx: typer.Context,
    outcomes: Annotated[
        Path, typer.Option("--outcomes", help="CSV: entity_id,event_date,kind (UTF-8 or GBK).")
    ],
    scorecard: ScorecardOption = "SW-S-0001",
    cutoff: Annotated[
        datetime | None,
        typer.Option("--cutoff", formats=["%Y-%m-%d"], help="Snapshot day (default: latest)."),
    ] = None,
    alert_grade: Annotated[
        str | None, typer.Option("--alert-grade", help="Flag from this grade (default: card's).")
    ] = None,
    k: Annotated[
        list[int] | None, typer.Option("--k", help="Precision@K (default 10 50 100).")
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="Only outcomes from this day."),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option("--until", formats=["%Y-%m-%d"], help="Only outcomes up to this day."),
    ] = None,
    lang: LangOption = "zh",
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """How well the smoke index warned: AUC, precision by grade, precision@K, lead time."""
    from smokewatch.services.evaluate import evaluate_outcomes

    result = evaluate_outcomes(
        _state(ctx).settings(workspace),
        outcomes,
        scorecard_id=scorecard,
        cutoff=cutoff.date() if cutoff else None,
        alert_grade=alert_grade,
        ks=k or (10, 50, 100),
        outcomes_from=since.date() if since else None,
        outcomes_until=until.date() if until else None,
    )
    for reject in result.outcomes.rejects:
        err.print(
            f"{outcomes}:{reject.line}: skipped, {reject.reason}", markup=False, soft_wrap=True
        )
    if as_json:
        print_json(
            {
                "scorecard": result.scorecard,
                "population_source": result.population_source,
                "outcomes_file": {
                    "rows": result.outcomes.rows,
                    "encoding": result.outcomes.encoding,
                    "rejects": [
                        {"line": r.line, "reason": r.reason} for r in result.outcomes.rejects
                    ],
                },
                **result.report.to_dict(),
            }
        )
        return
    report = result.report
    out.print(report.describe(lang), markup=False, soft_wrap=True)
    table(
        "By grade (cumulative: at this grade or higher)",
        ["grade", "entities", "positives", "precision", "recall", "lift"],
        [
            (
                r.grade,
                r.entities,
                r.positives,
                _fmt(r.cumulative_precision),
                _fmt(r.recall),
                _fmt(r.lift),
            )
            for r in report.by_grade
        ],
    )
    table(
        "Precision@K",
        ["K", "taken", "positives", "precision", "tied at boundary"],
        [
            (p.k, p.taken, p.positives, _fmt(p.precision), p.tied_at_boundary)
            for p in report.precision_at_k
        ],
        caption=f"{result.scorecard} · population: {result.population_source}",
    )


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def register(app: typer.Typer) -> None:
    """Add the scoring commands to the main app."""
    app.add_typer(score_app, name="score")
    app.add_typer(scores_app, name="scores")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(watch_app, name="watchlist")
    app.command("evaluate")(evaluate)


__all__ = ["register"]
