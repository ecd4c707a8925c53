"""Loading YAML data files shipped inside the package, with locations for errors."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml
from pydantic import ValidationError

from smokewatch.errors import ConfigError, Location, Problem

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (about ten times faster), else PyYAML's."""


def package_dir(package: str, *parts: str) -> Traversable:
    """A data folder inside an installed package (works from a wheel or a checkout)."""
    node: Traversable = resources.files(package)
    for part in parts:
        node = node / part
    return node


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with libyaml when available; raises :class:`yaml.YAMLError`.

    Every run loads the whole rule pack (rule files and their fixtures, some 280 files), so the
    parser's speed is felt in ``detect`` and ``score``.
    """
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


def load_yaml_text(text: str, origin: str) -> Any:
    """Parse YAML, turning syntax errors into :class:`ConfigError` with a location."""
    try:
        return safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = Location(origin, mark.line + 1, mark.column + 1) if mark else Location(origin)
        raise ConfigError([Problem(f"invalid YAML: {exc}", loc)]) from exc


def load_yaml_resource(node: Traversable) -> Any:
    """Read and parse one YAML file from a package data folder."""
    return load_yaml_text(node.read_text(encoding="utf-8"), str(node))


def yaml_location(text: str, path: Sequence[Any], origin: str) -> Location:
    """Line and column of the YAML node at ``path`` (e.g. a pydantic error location).

    The deepest node of ``path`` that exists is given, so a missing key points at its parent.
    """
    try:
        node: Any = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return Location(origin)
    best = node
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            match = node.value[key]
        else:
            match = None
        if match is None:
            break
        node = best = match
    if best is None:
        return Location(origin)
    return Location(origin, best.start_mark.line + 1, best.start_mark.column + 1)


def validation_problems(
    exc: ValidationError, origin: str, text: str | None = None
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, located in the YAML ``text`` when given."""
    problems = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not isinstance(p, str) or not p.startswith("function-")]
        where = ".".join(str(p) for p in loc) or "(top level)"
        location = yaml_location(text, loc, origin) if text is not None else Location(origin)
        problems.append(Problem(f"{where}: {err['msg']}", location))
    return problems
