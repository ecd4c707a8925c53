"""``smokewatch screen``: pre-check a proposed name or business scope, no workspace needed."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from smokewatch.cli.render import out, print_json, table

if TYPE_CHECKING:
    from smokewatch.services.screen import ScreenResult

_VERDICTS = {
    "restricted": (
        "不予通过：含法规禁止非持牌机构使用的字样",
        "Refuse: uses words the law reserves for licensed institutions",
        "bold red",
    ),
    "needs_approval": (
        "需提交金融管理部门批准文件",
        "Needs the financial regulator's approval documents",
        "bold yellow",
    ),
    "clear": ("未发现限制性金融字样", "No restricted financial words found", "bold green"),
}


def _render(result: ScreenResult, lang: str) -> None:
    zh = lang.startswith("zh")
    label_zh, label_en, style = _VERDICTS[result.verdict]
    if result.name:
        out.print(Text.assemble(("拟设名称 / proposed name: ", "bold"), result.name))
    if result.scope:
        out.print(Text.assemble(("经营范围 / business scope: ", "bold"), result.scope))
    out.print(Text.assemble(("结论 / verdict: ", "bold"), (label_zh if zh else label_en, style)))
    for finding in result.findings:
        table(
            f"{finding.rule_id} {finding.rule_title_zh if zh else finding.rule_title_en}",
            ["", ""],
            [
                ("band / severity", f"{finding.band} / {finding.severity}"),
                ("字样 / words", "、".join(finding.words)),
                ("依据 / legal basis", "\n".join(finding.basis)),
                (
                    "所需牌照 / licence required",
                    "\n".join(finding.required_licences_zh if zh else finding.required_licences_en),
                ),
                ("理由 / reason", finding.reason_zh if zh else finding.reason_en),
            ],
        )
    if result.discounted:
        table(
            "未计入 / not counted",
            ["word", "clause", "why"],
            [
                (d["term"], d["clause"], d["reason_zh" if zh else "reason_en"])
                for d in result.discounted
            ],
        )


def screen_command(
    name: Annotated[
        str | None, typer.Option("--name", help="Proposed enterprise name (拟设企业名称).")
    ] = None,
    scope: Annotated[
        str | None, typer.Option("--scope", help="Proposed business scope (经营范围).")
    ] = None,
    licence: Annotated[
        list[str] | None,
        typer.Option(
            "--licence",
            help="Licence kind held or approved, e.g. private_fund_manager; repeatable.",
        ),
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="Date to judge licences on."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="JSON output for scripts.")] = False,
) -> None:
    """Check a proposed name or scope for restricted financial words (no workspace needed).

    Exits 0 whatever the verdict; read the verdict (restricted / needs_approval / clear).
    """
    from smokewatch.services.screen import screen

    result = screen(name, scope, licences=licence or (), as_of=as_of.date() if as_of else None)
    if as_json:
        print_json(dataclasses.asdict(result))
        return
    _render(result, lang)


def register(app: typer.Typer) -> None:
    """Add ``screen`` to the main app."""
    app.command("screen")(screen_command)


__all__ = ["register"]
