"""Workspaces: the deployable configuration folder, and opening its engine and store.

A workspace holds ``smokewatch.toml``, ``sources/``, ``rules/``, ``scorecards/``,
``lexicons/``, the DuckDB analytics file, the SQLite store and (for Spark) ``warehouse/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from smokewatch.engine import Engine, connect
from smokewatch.errors import Conflict, NotFound
from smokewatch.settings import SETTINGS_FILE, Settings
from smokewatch.store.db import Store

FOLDERS = ("sources", "rules", "scorecards", "lexicons")

SETTINGS_TEMPLATE = """\
# smokewatch workspace settings. Environment variables SMOKEWATCH_<SECTION>_<KEY> win over
# this file, e.g. SMOKEWATCH_ENGINE_URL=spark://local[2]. Every key is optional.

[jurisdiction]
# Whom this workspace serves, shown in summaries.
name = "{title}"
# Division code of the watched area; breaks ties when an address names a place that exists
# in several provinces (e.g. 340200 for 芜湖市).
{adcode_line}

[engine]
# url = "duckdb:///{root}/analytics.duckdb"   # default
# memory_limit = "4GB"

[store]
# url = "sqlite:///{root}/store.sqlite"       # default; postgresql+psycopg://… for production

[detect]
# Evaluation date of detect runs (licence validity, look-back windows); default: today.
{as_of_line}
"""


@dataclass(frozen=True, slots=True)
class Workspace:
    """Paths of an existing workspace."""

    root: Path

    @property
    def settings_file(self) -> Path:
        """``smokewatch.toml``."""
        return self.root / SETTINGS_FILE

    @property
    def sources_dir(self) -> Path:
        """``sources/``: one folder per source with ``source.yml``."""
        return self.root / "sources"

    @property
    def rules_dir(self) -> Path:
        """``rules/``: workspace rules (same layout as the built-in pack)."""
        return self.root / "rules"

    @property
    def lexicons_dir(self) -> Path:
        """``lexicons/``: workspace lexicons (override built-in ones by name)."""
        return self.root / "lexicons"

    @property
    def scorecards_dir(self) -> Path:
        """``scorecards/``: workspace scorecards (override built-in ones by id)."""
        return self.root / "scorecards"

    @property
    def warehouse_dir(self) -> Path:
        """``warehouse/``: Parquet tables when the engine is Spark."""
        return self.root / "warehouse"


def init_workspace(
    root: Path,
    *,
    title: str = "smokewatch workspace",
    adcode: str = "",
    as_of: date | None = None,
    force: bool = False,
) -> Workspace:
    """Create a workspace: folders, settings file and an upgraded store.

    Raises:
        Conflict: ``root`` already holds a workspace and ``force`` is false.
    """
    root = root.resolve()
    workspace = Workspace(root)
    if workspace.settings_file.exists() and not force:
        raise Conflict(f"{root} is already a workspace (use --force to re-initialise)")
    root.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    adcode_line = f'adcode = "{adcode}"' if adcode else '# adcode = "340200"'
    as_of_line = f'as_of = "{as_of.isoformat()}"' if as_of else '# as_of = "2026-11-01"'
    text = SETTINGS_TEMPLATE.format(
        title=title, adcode_line=adcode_line, as_of_line=as_of_line, root=root
    )
    workspace.settings_file.write_text(text, encoding="utf-8")
    return workspace


def open_workspace(settings: Settings) -> Workspace:
    """The workspace named by the settings.

    Raises:
        NotFound: the folder has no ``smokewatch.toml`` (with the command to create one).
    """
    workspace = Workspace(settings.workspace)
    if not workspace.settings_file.exists():
        raise NotFound(
            f"{settings.workspace} is not a smokewatch workspace "
            f"(run `smokewatch init {settings.workspace}` first)"
        )
    return workspace


@contextmanager
def open_engine(settings: Settings) -> Iterator[Engine]:
    """The analytic engine of the workspace (closed on exit)."""
    workspace = Workspace(settings.workspace)
    engine = connect(settings.engine_url, settings.engine, data_dir=workspace.warehouse_dir)
    try:
        yield engine
    finally:
        engine.close()


@contextmanager
def open_store(settings: Settings, *, upgrade: bool = True) -> Iterator[Store]:
    """The operational store of the workspace, migrated to the latest schema."""
    store = Store(settings.store_url)
    try:
        if upgrade:
            store.upgrade()
        yield store
    finally:
        store.dispose()


__all__ = [
    "FOLDERS",
    "Workspace",
    "init_workspace",
    "open_engine",
    "open_store",
    "open_workspace",
]
