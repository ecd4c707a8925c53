"""Loading YAML data files shipped inside the package, with locations for errors."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from smokewatch.errors import ConfigError, Location, Problem

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (about ten times faster), else PyYAML's."""


def package_dir(package: str, *parts: str) -> Traversable:
    """A data folder inside an installed package (works from a wheel or a checkout)."""
    node: Traversable = resources.files(package)
    for part in parts:
        node = node / part
    return node


def load_yaml_text(text: str, origin: str) -> Any:
    """Parse YAML, turning syntax errors into :class:`ConfigError` with a location."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = Location(origin, mark.line + 1, mark.column + 1) if mark else Location(origin)
        raise ConfigError([Problem(f"invalid YAML: {exc}", loc)]) from exc


def load_yaml_resource(node: Traversable) -> Any:
    """Read and parse one YAML file from a package data folder."""
    return load_yaml_text(node.read_text(encoding="utf-8"), str(node))
