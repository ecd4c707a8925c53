"""Settings: explicit overrides > SMOKEWATCH_* environment > smokewatch.toml > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from smokewatch.errors import ConfigError
from smokewatch.settings import Settings, load_settings


def test_defaults_point_at_the_workspace_files(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.engine_url == f"duckdb:///{tmp_path / 'analytics.duckdb'}"
    assert settings.store_url == f"sqlite:///{tmp_path / 'store.sqlite'}"


def test_the_workspace_file_sets_values(tmp_path: Path) -> None:
    (tmp_path / "smokewatch.toml").write_text(
        '[engine]\nmemory_limit = "2GB"\n[jurisdiction]\nadcode = "340200"\n', encoding="utf-8"
    )
    settings = load_settings(tmp_path)
    assert settings.engine.memory_limit == "2GB"
    assert settings.jurisdiction.adcode == "340200"


def test_environment_variables_win_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "smokewatch.toml").write_text(
        '[engine]\nurl = "duckdb:///x.duckdb"\n', encoding="utf-8"
    )
    monkeypatch.setenv("SMOKEWATCH_ENGINE_URL", "spark://local[2]")
    monkeypatch.setenv("SMOKEWATCH_LOGGING_LEVEL", "info")
    settings = load_settings(tmp_path)
    assert settings.engine_url == "spark://local[2]"
    assert settings.logging.level == "info"


def test_explicit_overrides_win_over_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMOKEWATCH_STORE_URL", "sqlite:///env.sqlite")
    settings = load_settings(tmp_path, store={"url": "sqlite:///cli.sqlite"})
    assert settings.store_url == "sqlite:///cli.sqlite"


def test_unknown_keys_are_config_errors_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "smokewatch.toml").write_text("[engine]\nspeed = 11\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"smokewatch\.toml.*engine\.speed"):
        load_settings(tmp_path)


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "smokewatch.toml").write_text("[engine\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"smokewatch\.toml"):
        load_settings(tmp_path)


def test_the_digest_hides_store_passwords_and_tracks_changes(tmp_path: Path) -> None:
    one = Settings(workspace=tmp_path, store={"url": "postgresql://u:secret@h/db"})
    two = Settings(workspace=tmp_path, store={"url": "postgresql://u:other@h/db"})
    three = Settings(workspace=tmp_path, store={"url": "postgresql://v:secret@h/db"})
    assert one.digest() == two.digest()
    assert one.digest() != three.digest()
