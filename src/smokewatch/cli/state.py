"""Options every command shares, resolved once into :class:`Settings` at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from smokewatch.settings import Settings

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="SMOKEWATCH_WORKSPACE",
        help="Workspace folder (default: current directory).",
    ),
]
"""Every command that works on a workspace takes ``--workspace`` itself as well."""


@dataclass(slots=True)
class CliState:
    """Global options from the command line."""

    workspace: Path | None = None
    engine: str | None = None
    store: str | None = None
    verbose: int = 0
    log_json: bool = False
    debug: bool = False
    progress: bool = True

    def settings(self, workspace: Path | None = None) -> Settings:
        """Settings for the workspace (command-line options win over env and the TOML)."""
        from smokewatch.settings import load_settings  # pydantic-settings: only when needed

        overrides: dict[str, Any] = {}
        if self.engine:
            overrides["engine"] = {"url": self.engine}
        if self.store:
            overrides["store"] = {"url": self.store}
        return load_settings(workspace or self.workspace, **overrides)


__all__ = ["CliState", "WorkspaceOption"]
