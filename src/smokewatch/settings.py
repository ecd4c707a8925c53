"""Settings: environment variables (``SMOKEWATCH_*``) over the workspace's ``smokewatch.toml``.

Settings are read only at the edges (CLI, API) by :func:`load_settings` and passed down
explicitly; nothing below the service core reads them. Nested sections map to environment
variables with one underscore after the section name, e.g. ``SMOKEWATCH_ENGINE_URL`` or
``SMOKEWATCH_STORE_URL``.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from smokewatch.errors import ConfigError, Location, Problem

SETTINGS_FILE = "smokewatch.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EngineSettings(_Section):
    """Which analytic engine runs the pipeline and how it is tuned."""

    url: str | None = None
    """Engine URL: ``duckdb:///path.duckdb``, ``duckdb://:memory:``, ``spark://local[2]``
    or a Spark master URL. Default: the workspace's ``analytics.duckdb``."""

    memory_limit: str | None = None
    """DuckDB ``memory_limit`` (e.g. ``"4GB"``); DuckDB spills to disk above it."""

    threads: int | None = Field(default=None, ge=1)
    """DuckDB worker threads; default is DuckDB's own (all cores)."""

    python_workers: int | None = Field(default=None, ge=1)
    """Processes that run Python steps (text analysis) on DuckDB; default: one per CPU.
    ``1`` keeps everything in the engine's own process."""

    spark_shuffle_partitions: int = Field(default=8, ge=1)
    """``spark.sql.shuffle.partitions``; small values suit ``local[N]`` sessions."""

    spark_driver_memory: str = "2g"
    """``spark.driver.memory`` for local sessions."""


class StoreSettings(_Section):
    """The operational store (runs, findings, alerts, cases)."""

    url: str | None = None
    """SQLAlchemy URL: ``sqlite:///path`` or ``postgresql+psycopg://user@host/db``.
    Default: the workspace's ``store.sqlite``."""


class IngestSettings(_Section):
    """Defaults for reading source files."""

    batch_size: int = Field(default=65_536, ge=1_000)
    """Rows per Arrow batch while parsing and validating."""

    encoding: str = "auto"
    """Text encoding of CSV files: ``auto`` (UTF-8, else GB18030), or a codec name."""


class DetectSettings(_Section):
    """Defaults for detection runs."""

    as_of: date | None = None
    """Evaluation date for licence validity and time windows; default: today."""


class ApiSettings(_Section):
    """The HTTP server started by ``smokewatch serve``."""

    host: str = "127.0.0.1"
    """Interface to bind; loopback by default."""

    port: int = Field(default=8000, ge=1, le=65535)
    """TCP port."""

    answer_cache_mib: float = Field(default=64.0, ge=0)
    """Memory per server process for finished answers of the hot reads (entity profile, alert
    list), kept while the store's data version is unchanged; ``0`` turns the cache off
    (``smokewatch serve --no-answer-cache``)."""


class JurisdictionSettings(_Section):
    """Whom the workspace serves: the area its lead department watches."""

    name: str = ""
    """Display name, e.g. 芜湖市地方金融管理局."""

    adcode: str | None = Field(default=None, pattern=r"^\d{6}(\d{3})?$")
    """Division code of the watched area (e.g. ``340200``); breaks ties when an address
    names a place that exists in several provinces."""


class LoggingSettings(_Section):
    """Structured logging."""

    level: Literal["debug", "info", "warning", "error"] = "warning"
    """Minimum level written to standard error."""

    format: Literal["console", "json"] = "console"
    """``console`` for people, ``json`` (one object per line) for collectors."""


class Settings(BaseSettings):
    """All settings of one smokewatch process."""

    model_config = SettingsConfigDict(
        env_prefix="SMOKEWATCH_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="forbid",
        frozen=True,
    )

    workspace: Path = Field(default_factory=Path.cwd)
    """The workspace folder (``smokewatch init`` creates one)."""

    engine: EngineSettings = Field(default_factory=EngineSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    detect: DetectSettings = Field(default_factory=DetectSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    jurisdiction: JurisdictionSettings = Field(default_factory=JurisdictionSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit arguments win, then environment variables; the TOML file is merged below."""
        return (init_settings, env_settings)

    @property
    def engine_url(self) -> str:
        """The effective engine URL (workspace DuckDB file unless configured)."""
        return self.engine.url or f"duckdb:///{self.workspace / 'analytics.duckdb'}"

    @property
    def store_url(self) -> str:
        """The effective store URL (workspace SQLite file unless configured)."""
        return self.store.url or f"sqlite:///{self.workspace / 'store.sqlite'}"

    def digest(self) -> str:
        """A short hash of the effective settings, recorded with every run."""
        payload = self.model_dump(mode="json")
        payload["engine"]["url"] = self.engine_url
        payload["store"]["url"] = _redact_url(self.store_url)
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _redact_url(url: str) -> str:
    """Drop a password from a database URL before it is hashed or shown."""
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"


def read_workspace_toml(workspace: Path) -> dict[str, Any]:
    """Read ``smokewatch.toml`` of a workspace (empty when the file does not exist)."""
    path = workspace / SETTINGS_FILE
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([Problem(str(exc), Location(str(path)))]) from exc


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_settings(workspace: Path | None = None, **overrides: Any) -> Settings:
    """Build settings for a workspace: overrides > ``SMOKEWATCH_*`` env > ``smokewatch.toml``.

    Called only by edges. ``workspace`` defaults to ``SMOKEWATCH_WORKSPACE`` or the current
    directory.
    """
    env_only = _settings_or_config_error(Settings, {}, None)
    ws = (workspace or env_only.workspace).resolve()
    file_values = read_workspace_toml(ws)
    env_values = env_only.model_dump(exclude_unset=True)
    values = _merge(_merge(file_values, env_values), overrides)
    values["workspace"] = ws
    return _settings_or_config_error(_FileOnly, values, ws / SETTINGS_FILE)


class _FileOnly(Settings):
    """Validates already-merged values without reading the environment a second time."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def _settings_or_config_error(
    cls: type[Settings], values: dict[str, Any], path: Path | None
) -> Settings:
    try:
        return cls(**values)
    except ValidationError as exc:
        where = Location(str(path)) if path else Location("environment (SMOKEWATCH_*)")
        problems = [
            Problem(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}", where)
            for err in exc.errors()
        ]
        raise ConfigError(problems) from exc


__all__ = [
    "SETTINGS_FILE",
    "ApiSettings",
    "DetectSettings",
    "EngineSettings",
    "IngestSettings",
    "JurisdictionSettings",
    "LoggingSettings",
    "Settings",
    "StoreSettings",
    "load_settings",
]
