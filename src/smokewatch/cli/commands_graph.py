"""``smokewatch graph build|family|ubo|neighbours|export``: the company graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from smokewatch.cli.render import key_values, out, print_json, table
from smokewatch.cli.state import CliState, WorkspaceOption

graph_app = typer.Typer(
    help="The company graph: families, ownership penetration, neighbourhoods, export.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="JSON output.")]
Entity = Annotated[str, typer.Argument(help="An enterprise id, entity id or node id (e:…).")]


def _settings(ctx: typer.Context, workspace: Path | None) -> Any:
    state: CliState = ctx.obj
    return state.settings(workspace)


@graph_app.command("build")
def build(
    ctx: typer.Context, workspace: WorkspaceOption = None, as_json: JsonOption = False
) -> None:
    """Build edges, families (components by iterative SQL) and network risk."""
    from smokewatch.services.graph import build_graph

    summary = build_graph(_settings(ctx, workspace))
    data = {f: getattr(summary, f) for f in summary.__slots__}
    if as_json:
        print_json(data)
        return
    key_values(f"Graph run {summary.run_id}", data)


def _print_subgraph(title: str, data: dict[str, Any]) -> None:
    table(
        title,
        ["node", "hop", "label"],
        [(n["id"], n["hop"], n["label"]) for n in data["nodes"]],
    )
    table(
        "Edges",
        ["from", "to", "kind", "weight"],
        [(e["src"], e["dst"], e["kind"], e["weight"]) for e in data["edges"]],
    )
    if data["truncated"]:
        out.print("(truncated: too many nodes)", markup=False)


@graph_app.command("family")
def family(
    ctx: typer.Context, entity: Entity, workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:  # fmt: skip
    """The family (企业族谱) of an enterprise: linked enterprises, people, shared attributes."""
    from smokewatch.services.graph import show_family

    data = show_family(_settings(ctx, workspace), entity)
    if as_json:
        print_json(data)
        return
    _print_subgraph(f"Family {data['family']} of {data['center']}", data)


@graph_app.command("neighbours")
def neighbours(
    ctx: typer.Context,
    entity: Entity,
    hops: Annotated[int, typer.Option("--hops", help="How many hops (1-6).")] = 2,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything within k hops of an entity."""
    from smokewatch.services.graph import show_neighbours

    data = show_neighbours(_settings(ctx, workspace), entity, hops=hops)
    if as_json:
        print_json(data)
        return
    _print_subgraph(f"{hops}-hop neighbourhood of {data['center']}", data)


@graph_app.command("ubo")
def ubo(
    ctx: typer.Context,
    entity: Entity,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Beneficial-owner share (0.25).")
    ] = 0.25,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ultimate beneficial owners (股权穿透) with cumulative shares, paths and cycles."""
    from smokewatch.services.graph import show_ubo

    data = show_ubo(_settings(ctx, workspace), entity, threshold=threshold)
    if as_json:
        print_json(data)
        return
    table(
        f"Owners of {data['target']} (beneficial at ≥ {data['threshold']:.0%})",
        ["owner", "name", "kind", "share", "beneficial", "paths"],
        [
            (
                o["node"],
                o["name"],
                o["kind"],
                f"{o['share']:.2%}",
                "yes" if o["beneficial"] else "",
                " | ".join(
                    " → ".join(f"{s['node']} ({s['share']:.0%})" for s in path)
                    for path in o["paths"]
                ),
            )
            for o in data["owners"]
        ],
    )
    out.print(
        f"not traced: {data['unknown_share']:.2%}; into cycles: {data['cycle_share']:.2%}"
        + (f"; cycles: {data['cycles']}" if data["cycles"] else "")
        + ("; depth limit reached" if data["truncated"] else ""),
        markup=False,
    )


@graph_app.command("export")
def export(
    ctx: typer.Context,
    entity: Entity,
    fmt: Annotated[str, typer.Option("--format", help="gexf, graphml or json.")] = "gexf",
    target: Annotated[Path | None, typer.Option("--out", help="File (default: stdout).")] = None,
    hops: Annotated[
        int | None, typer.Option("--hops", help="A neighbourhood instead of the family.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write an entity's family (or neighbourhood) as GEXF, GraphML or JSON."""
    from smokewatch.services.graph import export_graph

    text = export_graph(_settings(ctx, workspace), entity, fmt, hops=hops)
    if target is None:
        typer.echo(text, nl=False)
        return
    target.write_text(text, encoding="utf-8")
    out.print(f"written {target}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``graph`` group to the main app."""
    app.add_typer(graph_app, name="graph")


__all__ = ["register"]
