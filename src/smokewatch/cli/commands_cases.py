"""``smokewatch cases``, ``users``, ``agencies`` and ``audit``: the multi-agency workflow.

At the command line the operator acts as a system administrator recorded as ``cli:<login>``,
or as a named user with ``--as USER`` (then that user's roles and jurisdiction apply).
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smokewatch.cli.render import err, key_values, out, print_json, table
from smokewatch.cli.state import CliState, WorkspaceOption

if TYPE_CHECKING:
    from smokewatch.cases.access import Actor
    from smokewatch.store.db import Store

cases_app = typer.Typer(
    help="Cases: open, move through the workflow, attach evidence.", no_args_is_help=True
)
users_app = typer.Typer(help="Users, roles, passwords and API tokens.", no_args_is_help=True)
agencies_app = typer.Typer(help="Agencies of the joint mechanism.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="JSON output for scripts.")]
AsOption = Annotated[
    str | None, typer.Option("--as", help="Act as this user (default: the operator, as admin).")
]


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.obj
    return state


@contextmanager
def _store(ctx: typer.Context, workspace: Path | None) -> Iterator[Store]:
    from smokewatch.services.workspace import open_store, open_workspace

    settings = _state(ctx).settings(workspace)
    open_workspace(settings)
    with open_store(settings) as store:
        yield store


def _actor(store: Store, user: str | None) -> Actor:
    from smokewatch.services.users import actor_for_user, system_actor

    if user:
        return actor_for_user(store, user)
    return system_actor(os.environ.get("SMOKEWATCH_ACTOR") or getpass.getuser())


def _evidence_dir(ctx: typer.Context, workspace: Path | None) -> Path:
    return _state(ctx).settings(workspace).workspace / "evidence"


def _print_case(case: dict[str, Any]) -> None:
    key_values(
        f"{case['id']} · {case['title']}",
        {
            "stage": case["status"] + (" (overdue)" if case.get("overdue") else ""),
            "entity": case["subject_name"] or case["subject_id"],
            "jurisdiction": case["jurisdiction"],
            "lead region": case["lead_adcode"],
            "assignee": case["assignee"],
            "due": case["due_on"],
            "determination": case["determination"],
            "measures": ", ".join(case["measures"]),
            "referred to": case["referred_to"],
            "resolution": case["resolution"],
            "you may": ", ".join(case.get("actions", [])) or "—",
        },
    )
    if "history" in case:
        table(
            "History",
            ["#", "at", "action", "by", "from", "to", "details"],
            [
                (
                    h["seq"],
                    h["at"],
                    h["action"],
                    h["actor"],
                    h["from_status"],
                    h["to_status"],
                    json.dumps(h["data"], ensure_ascii=False),
                )
                for h in case["history"]
            ],
        )
        table(
            "Evidence",
            ["kind", "reference", "note", "added by"],
            [(e["kind"], e["ref_id"], e["note"], e["added_by"]) for e in case["evidence"]],
        )


# -- cases ----------------------------------------------------------------------------------


@cases_app.command("open")
def open_case(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", help="What the clue is about.")],
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="Division code owning it.")],
    entity: Annotated[
        str | None, typer.Option("--entity", help="Entity id the case is about.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The entity's name.")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="Industry code or sector.")] = None,
    alert: Annotated[
        list[str] | None, typer.Option("--alert", help="Alert id as evidence.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Open a clue (线索) in a jurisdiction, optionally from alerts."""
    from smokewatch.services import cases

    links = [("alert", a) for a in alert or []] + ([("entity", entity)] if entity else [])
    with _store(ctx, workspace) as store:
        case = cases.open_case(
            store,
            _actor(store, as_user),
            title=title,
            jurisdiction=jurisdiction,
            subject_id=entity,
            subject_table="enterprise" if entity else None,
            subject_name=name,
            sector=sector,
            links=links,
            note=note,
        )
    print_json(case) if as_json else _print_case(case)


@cases_app.command("list")
def list_cases(
    ctx: typer.Context,
    status: Annotated[list[str] | None, typer.Option("--status", help="Only these stages.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue cases.")] = False,
    assignee: Annotated[str | None, typer.Option("--assignee")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000)] = 50,
    as_user: AsOption = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Cases you can see, most recently updated first."""
    from smokewatch.services import cases

    with _store(ctx, workspace) as store:
        rows, total = cases.list_cases(
            store,
            _actor(store, as_user),
            statuses=status,
            overdue=overdue,
            assignee=assignee,
            limit=limit,
        )
    if as_json:
        print_json({"total": total, "items": rows})
        return
    table(
        f"Cases ({total})",
        ["id", "stage", "title", "jurisdiction", "assignee", "due"],
        [
            (
                c["id"],
                c["status"] + (" !" if c["overdue"] else ""),
                c["title"],
                c["jurisdiction"],
                c["assignee"],
                c["due_on"],
            )
            for c in rows
        ],
        caption="! overdue",
    )


@cases_app.command("show")
def show_case(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(help="Case id.")],
    as_user: AsOption = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """One case with its history, evidence and the actions you may take."""
    from smokewatch.services import cases

    with _store(ctx, workspace) as store:
        case = cases.get_case(store, _actor(store, as_user), case_id)
    print_json(case) if as_json else _print_case(case)


@cases_app.command("act")
def act(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(help="Case id.")],
    action: Annotated[str, typer.Argument(help="verify, determine, dispose, refer, … (see docs).")],
    field: Annotated[
        list[str] | None,
        typer.Option("--set", help="A field of the action: name=value (repeat; lists: a,b)."),
    ] = None,
    version: Annotated[
        int | None, typer.Option("--version", help="Refuse if the case changed.")
    ] = None,
    as_user: AsOption = None,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Take a workflow action (for example: act C-… verify --set assignee=wang)."""
    from smokewatch.errors import InvalidInput
    from smokewatch.services import cases

    data: dict[str, Any] = {}
    for item in field or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InvalidInput(f"--set needs name=value, not {item!r}")
        data[name] = [v for v in value.split(",") if v] if name == "measures" else value
    with _store(ctx, workspace) as store:
        case = cases.act(
            store, _actor(store, as_user), case_id, action, data, expected_version=version
        )
    print_json(case) if as_json else _print_case(case)


@cases_app.command("evidence")
def add_evidence(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(help="Case id.")],
    kind: Annotated[str, typer.Argument(help="alert, finding, score, entity, tip, report, case.")],
    ref: Annotated[str, typer.Argument(help="The id of the evidence.")],
    note: Annotated[str | None, typer.Option("--note")] = None,
    as_user: AsOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Attach an alert, finding, score, entity, tip, report or case as evidence."""
    from smokewatch.services import cases

    with _store(ctx, workspace) as store:
        cases.add_evidence(store, _actor(store, as_user), case_id, kind, ref, note=note)
    out.print(f"{kind} {ref} attached to {case_id}", markup=False)


@cases_app.command("attach")
def attach(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(help="Case id.")],
    file: Annotated[Path, typer.Argument(help="PDF, image, office document or text file.")],
    note: Annotated[str | None, typer.Option("--note")] = None,
    as_user: AsOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Keep a file as evidence (by content hash; executables are refused)."""
    from smokewatch.errors import InvalidInput
    from smokewatch.services import evidence

    if not file.is_file():
        raise InvalidInput(f"no such file: {file}")
    with _store(ctx, workspace) as store:
        stored = evidence.attach_file(
            store,
            _actor(store, as_user),
            case_id,
            file.read_bytes(),
            file.name,
            evidence_dir=_evidence_dir(ctx, workspace),
            note=note,
        )
    out.print(f"{file.name} kept as {stored['sha256']} ({stored['media_type']})", markup=False)


@cases_app.command("labels")
def labels(
    ctx: typer.Context,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="CSV (or .jsonl) file to write.")],
    include_unknown: Annotated[
        bool,
        typer.Option("--include-unknown", help="Also resolutions that say nothing (no label)."),
    ] = False,
    positive_only: Annotated[
        bool,
        typer.Option("--positive-only", help="Only label 1: an outcome file for `evaluate`."),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Export finished cases as labels (entity_id, event_date, kind, label, …) for retraining."""
    from smokewatch.services import case_intake

    with _store(ctx, workspace) as store:
        rows = case_intake.case_labels(store, include_unknown=include_unknown)
    if positive_only:
        rows = [r for r in rows if r["label"] == 1]
    count = case_intake.write_labels(rows, out_file)
    counts = {v: sum(1 for r in rows if r["label"] == v) for v in (1, 0, None)}
    err.print(
        f"{count} labels written to {out_file} "
        f"(positive {counts[1]}, negative {counts[0]}, unknown {counts[None]})",
        markup=False,
    )


# -- agencies and users ---------------------------------------------------------------------


@agencies_app.command("add")
def add_agency(
    ctx: typer.Context,
    agency_id: Annotated[str, typer.Argument(help="Short id, e.g. lead-340202.")],
    name: Annotated[str, typer.Option("--name")],
    kind: Annotated[str, typer.Option("--kind", help="lead_department, police, bank, … ")],
    adcode: Annotated[str, typer.Option("--adcode", help="The division it covers.")],
    sector: Annotated[
        list[str] | None, typer.Option("--sector", help="Sectors (regulators).")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Register an agency of the joint mechanism."""
    from smokewatch.services import agencies

    with _store(ctx, workspace) as store:
        agencies.create_agency(
            store,
            agency_id=agency_id,
            name=name,
            kind=kind,
            adcode=adcode,
            sectors=sector or (),
            actor=_actor(store, None),
        )
    out.print(f"agency {agency_id} added", markup=False)


@agencies_app.command("list")
def list_agencies(
    ctx: typer.Context, as_json: JsonOption = False, workspace: WorkspaceOption = None
) -> None:
    """Every agency."""
    from smokewatch.services import agencies

    with _store(ctx, workspace) as store:
        rows = agencies.list_agencies(store)
    if as_json:
        print_json(rows)
        return
    table(
        "Agencies",
        ["id", "name", "kind", "division", "sectors"],
        [(a["id"], a["name"], a["kind"], a["adcode"], ", ".join(a["sectors"])) for a in rows],
    )


@users_app.command("add")
def add_user(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[
        list[str], typer.Option("--role", help="admin, lead, officer, police, viewer, reporter.")
    ],
    agency: Annotated[
        str | None, typer.Option("--agency", help="Agency id (all but admins).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create a user; the password is asked for (or read from SMOKEWATCH_PASSWORD)."""
    from smokewatch.services import users

    password = os.environ.get("SMOKEWATCH_PASSWORD") or typer.prompt(
        "password", hide_input=True, confirmation_prompt=True
    )
    with _store(ctx, workspace) as store:
        users.create_user(
            store,
            user_id=user_id,
            display_name=name or user_id,
            password=password,
            roles=role,
            agency_id=agency,
            actor=_actor(store, None),
        )
    out.print(f"user {user_id} created", markup=False)


@users_app.command("list")
def list_users(
    ctx: typer.Context, as_json: JsonOption = False, workspace: WorkspaceOption = None
) -> None:
    """Every user (never their password hashes)."""
    from smokewatch.services import users

    with _store(ctx, workspace) as store:
        rows = users.list_users(store)
    if as_json:
        print_json(rows)
        return
    table(
        "Users",
        ["id", "name", "agency", "roles", "active", "locked until"],
        [
            (
                u["id"],
                u["display_name"],
                u["agency_id"],
                ", ".join(u["roles"]),
                u["active"],
                u["locked_until"],
            )
            for u in rows
        ],
    )


@users_app.command("token")
def issue_token(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(help="Login name.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "api",
    days: Annotated[int, typer.Option("--days", min=1, max=3650)] = 365,
    workspace: WorkspaceOption = None,
) -> None:
    """Issue an API token for a user; it is shown once."""
    from smokewatch.services import users

    with _store(ctx, workspace) as store:
        issued = users.issue_token(store, user_id, name=name, days=days, actor=_actor(store, None))
    out.print(issued.secret, markup=False)
    err.print(
        f"token {issued.id} for {user_id}, valid until {issued.expires_at:%Y-%m-%d}; store it now",
        markup=False,
    )


@users_app.command("deactivate")
def deactivate(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(help="Login name.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Deactivate a user (their tokens stop working; the history stays)."""
    from smokewatch.services import users

    with _store(ctx, workspace) as store:
        users.set_active(store, user_id, False, actor=_actor(store, None))
    out.print(f"user {user_id} deactivated", markup=False)


# -- audit ----------------------------------------------------------------------------------


@audit_app.command("verify")
def verify(ctx: typer.Context, workspace: WorkspaceOption = None) -> None:
    """Re-compute the audit hash chain; exit 1 if any entry was changed, removed or reordered."""
    from smokewatch.services import audit

    with _store(ctx, workspace) as store:
        check = audit.verify(store)
    if check.intact:
        out.print(f"audit log intact: {check.entries} entries", markup=False)
        return
    err.print(f"audit log broken at entry {check.broken_at}: {check.problem}", markup=False)
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the workflow commands to the main app."""
    app.add_typer(cases_app, name="cases")
    app.add_typer(agencies_app, name="agencies")
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")


__all__ = ["register"]
