"""Docs stay honest: every command, setting section and rule is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from smokewatch.cli.main import app
from smokewatch.detect.rules import load_rules
from smokewatch.services.workspace import SETTINGS_TEMPLATE
from smokewatch.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _commands(group: Any, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group (Typer vendors its own click)
            names |= _commands(command, f"{prefix}{name} ")
        else:
            names.add(f"{prefix}{name}")
    return names


def test_every_cli_command_has_a_section_in_docs_cli() -> None:
    documented = set(
        re.findall(
            r"^## `smokewatch ([a-z0-9 -]+?)(?: [\[A-Z-]|`)",
            (ROOT / "docs/cli.md").read_text(encoding="utf-8"),
            re.M,
        )
    )
    commands = _commands(typer.main.get_command(app))
    assert commands == documented


def test_every_settings_section_is_documented_in_the_workspace_template() -> None:
    sections = {name for name, field in Settings.model_fields.items() if name != "workspace"}
    mentioned = set(re.findall(r"^#? ?\[([a-z_]+)\]", SETTINGS_TEMPLATE, re.M))
    assert {"engine", "store", "detect", "jurisdiction"} <= mentioned <= sections


def test_every_builtin_rule_is_listed_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in load_rules():
        assert rule.id in readme, rule.id


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```", 2)[1]
    assert [line.split()[0:2] for line in block.strip().splitlines()[1:]] == [
        ["make", "demo"],
        ["make", "test"],
    ]


def test_every_glossary_term_the_code_relies_on_is_defined() -> None:
    glossary = (ROOT / "docs/glossary.md").read_text(encoding="utf-8")
    for term in [
        "Workspace",
        "Source",
        "Run",
        "Rule",
        "Finding",
        "Band",
        "Engine",
        "Store",
        "Typology",
    ]:
        assert f"**{term}**" in glossary, term
