"""Error kinds: one root, stdlib meanings where they exist, locations for config errors."""

from __future__ import annotations

from smokewatch.errors import (
    ConfigError,
    InvalidInput,
    Location,
    MissingExtra,
    NotFound,
    Problem,
    SmokewatchError,
)


def test_every_kind_derives_from_the_root() -> None:
    for kind in (InvalidInput, NotFound, ConfigError, MissingExtra):
        assert issubclass(kind, SmokewatchError)


def test_kinds_keep_their_stdlib_meaning() -> None:
    assert issubclass(InvalidInput, ValueError)
    assert issubclass(NotFound, LookupError)
    assert issubclass(MissingExtra, ImportError)


def test_config_errors_list_every_problem_with_its_location() -> None:
    error = ConfigError([Problem("bad key", Location("rule.yml", 3, 5)), Problem("no fixtures")])
    assert str(error) == "2 configuration problems:\n  - rule.yml:3:5: bad key\n  - no fixtures"


def test_missing_extras_name_the_extra() -> None:
    assert "pip install 'smokewatch[spark]'" in str(MissingExtra("the Spark engine", "spark"))
