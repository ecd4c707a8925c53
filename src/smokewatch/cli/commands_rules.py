"""``smokewatch rules lint|list|show|test``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smokewatch.cli.render import err, out, print_json, table
from smokewatch.cli.state import CliState, WorkspaceOption
from smokewatch.errors import ConfigError, Problem

if TYPE_CHECKING:
    from smokewatch.settings import Settings

rules_app = typer.Typer(help="Inspect, lint and test detection rules.", no_args_is_help=True)


def _settings(ctx: typer.Context, workspace: Path | None) -> Settings:
    state: CliState = ctx.obj
    return state.settings(workspace)


@rules_app.command("list")
def list_rules(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """List rules: built-in and the workspace's."""
    from smokewatch.services import rules as rules_service

    rules = rules_service.catalogue(_settings(ctx, workspace))
    if as_json:
        print_json([rules_service.describe(r) for r in rules])
        return
    table(
        "Rules",
        ["rule", "status", "severity", "title", "typology", "origin"],
        [
            (
                r.ref,
                r.spec.status,
                r.spec.severity,
                r.spec.title.zh,
                ", ".join(r.spec.typology),
                r.origin if r.origin == "builtin" else "workspace",
            )
            for r in rules
        ],
    )


@rules_app.command("show")
def show_rule(
    ctx: typer.Context,
    rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. SW-R-0001.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show what a rule checks, its legal basis, parameters, bands and body."""
    from smokewatch.services import rules as rules_service

    info = rules_service.describe(rules_service.get_rule(_settings(ctx, workspace), rule_id))
    if as_json:
        print_json(info)
        return
    out.print(f"[bold]{info['ref']}[/] {info['title']['zh']} / {info['title']['en']}", markup=True)
    out.print(
        f"status {info['status']} · severity {info['severity']} · subject {info['subject']} · "
        f"typology {', '.join(info['typology'])}"
    )
    out.print(info["description"]["zh"].strip())
    out.print(info["description"]["en"].strip())
    table(
        "Legal basis",
        ["citation", "status"],
        [(r["cite"], r["status"]) for r in info["references"]],
    )
    table(
        "Parameters",
        ["name", "type", "default", "doc"],
        [(k, v["type"], v["default"], v["doc"]) for k, v in info["parameters"].items()],
    )
    table(
        "Bands",
        ["band", "when", "severity", "reason (zh)"],
        [(b["code"], b["when"], b["severity"], b["reason"]["zh"]) for b in info["bands"]],
    )
    if info["falsepositives"]:
        table("Known false positives", ["situation"], [(f,) for f in info["falsepositives"]])
    out.print(f"body ({info['logic']}):")
    out.print(info["body"], markup=False)


@rules_app.command("lint")
def lint_rules(ctx: typer.Context, workspace: WorkspaceOption = None) -> None:
    """Check every rule; exits 1 when any rule has an error."""
    from smokewatch.services import rules as rules_service

    issues = rules_service.lint(_settings(ctx, workspace))
    for issue in issues:
        style = "red" if issue.severity == "error" else "yellow"
        err.print(
            f"[{style}]{issue.severity}[/] {issue.rule_ref} {issue.code}: ", markup=True, end=""
        )
        err.print(issue.message, markup=False)
    errors = [i for i in issues if i.severity == "error"]
    warnings = len(issues) - len(errors)
    out.print(f"{len(errors)} errors, {warnings} warnings")
    if errors:
        raise ConfigError([Problem(f"{i.rule_ref} {i.code}: {i.message}") for i in errors])


@rules_app.command("test")
def test_rules(
    ctx: typer.Context,
    rule_ids: Annotated[
        list[str] | None, typer.Argument(help="Rules to test (default all).")
    ] = None,
    engine: Annotated[
        str, typer.Option("--on", help="Engine to test on, e.g. spark://local[2].")
    ] = "duckdb://:memory:",
    workspace: WorkspaceOption = None,
) -> None:
    """Run every rule's positive and negative fixtures; exits 1 on any failure."""
    from smokewatch.services import rules as rules_service

    outcomes = rules_service.test_rules(
        _settings(ctx, workspace), rule_ids=rule_ids or (), engine_url=engine
    )
    table(
        f"Fixtures on {engine}",
        ["rule", "fixture", "kind", "result", "problems"],
        [
            (o.rule_ref, o.fixture, o.kind, "pass" if o.passed else "FAIL", "; ".join(o.problems))
            for o in outcomes
        ],
    )
    failed = [o for o in outcomes if not o.passed]
    out.print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise ConfigError(
            [Problem(f"{o.rule_ref} {o.fixture}: {'; '.join(o.problems)}") for o in failed]
        )


def register(app: typer.Typer) -> None:
    """Add the ``rules`` group to the main app."""
    app.add_typer(rules_app, name="rules")


__all__ = ["register"]
