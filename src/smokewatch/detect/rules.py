"""Loading rule folders (built-in pack and workspace ``rules/``) into :class:`Rule` objects.

Loading parses and checks everything that can be checked without running: the YAML schema,
the SQL body (parsed with sqlglot now, not at run time) and the fixtures. Every problem of
every rule is collected before a single :class:`~smokewatch.errors.RuleError` is raised.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlglot import exp
from sqlglot.errors import ParseError

from smokewatch.detect.fixtures import Fixture, LoadedFixture
from smokewatch.detect.spec import RuleSpec
from smokewatch.engine.sql import parse
from smokewatch.errors import Location, Problem, RuleError
from smokewatch.model._yaml import package_dir, safe_load, validation_problems

RULE_FILE = "rule.yml"
BUILTIN_PACK = ("rulepacks", "core", "rules")


@dataclass(frozen=True, slots=True)
class Rule:
    """A loaded rule: its spec, its parsed body, its fixtures and its content hash."""

    spec: RuleSpec
    origin: str
    """``builtin`` or the rule folder's path."""
    folder: Traversable
    sql_text: str | None
    sql_tree: exp.Expression | None
    content_hash: str
    """sha256 of what the rule declares: rule.yml, and the SQL file or the rule folder's own
    ``detector.py``. Active versions must not change it (the store refuses). A body in an
    installed package (``package.module:function``) is versioned with that package's release
    and enters the hash by its name only."""
    body_hash: str
    """sha256 of the body's source as it ran (SQL text or Python module), for the audit trail."""
    fixtures: tuple[LoadedFixture, ...]

    @property
    def id(self) -> str:
        """The rule id."""
        return self.spec.id

    @property
    def ref(self) -> str:
        """``id@version``."""
        return self.spec.ref

    def load_function(self) -> Callable[..., Any]:
        """Import the Python body named by ``logic.python``."""
        target = self.spec.logic.python
        if target is None:
            raise RuleError(f"{self.ref} has no Python body")
        module_name, _, func_name = target.partition(":")
        if module_name.endswith(".py"):
            module = _module_from_file(self.folder / module_name, self.spec.id)
        else:
            module = importlib.import_module(module_name)
        func = getattr(module, func_name, None)
        if not callable(func):
            raise RuleError(f"{self.ref}: {target} is not a function")
        return func  # type: ignore[no-any-return]


def _module_from_file(node: Traversable, rule_id: str) -> Any:
    # The source hash is part of the name, so an edited detector.py is never served stale.
    digest = hashlib.sha256(node.read_bytes()).hexdigest()[:12]
    name = f"smokewatch_rule_{rule_id.replace('-', '_').lower()}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, str(node))
    if spec is None or spec.loader is None:
        raise RuleError(f"cannot load Python body {node}")
    module = importlib.util.module_from_spec(spec)
    # Not importable elsewhere (e.g. on Spark executors): engines ship it by value.
    module.__smokewatch_by_value__ = True  # type: ignore[attr-defined]
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _load_fixtures(folder: Traversable, problems: list[Problem]) -> tuple[LoadedFixture, ...]:
    fixtures: list[LoadedFixture] = []
    base = folder / "fixtures"
    for kind in ("positive", "negative"):
        sub = base / kind
        if not sub.is_dir():
            continue
        for node in sorted(sub.iterdir(), key=lambda n: n.name):
            if not node.name.endswith((".yml", ".yaml")):
                continue
            text = node.read_text(encoding="utf-8")
            origin = str(node)
            try:
                raw = safe_load(text)
                fixtures.append(
                    LoadedFixture(
                        kind=kind,
                        name=node.name.rsplit(".", 1)[0],
                        origin=origin,
                        fixture=Fixture.model_validate(raw),
                    )
                )
            except ValidationError as exc:
                problems.extend(validation_problems(exc, origin, text))
            except yaml.YAMLError as exc:
                problems.append(Problem(f"invalid YAML: {exc}", Location(origin)))
    return tuple(fixtures)


def load_rule(folder: Traversable, *, origin: str | None = None) -> Rule:
    """Load one rule folder; raises :class:`RuleError` listing every problem found."""
    rule_file = folder / RULE_FILE
    origin_path = str(rule_file)
    problems: list[Problem] = []
    text = rule_file.read_text(encoding="utf-8")
    try:
        raw = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = Location(origin_path, mark.line + 1, mark.column + 1) if mark else None
        raise RuleError([Problem(f"invalid YAML: {exc}", loc)]) from exc
    try:
        spec = RuleSpec.model_validate(raw)
    except ValidationError as exc:
        raise RuleError(validation_problems(exc, origin_path, text)) from exc

    digest = hashlib.sha256(text.encode("utf-8"))
    body = hashlib.sha256()
    sql_text: str | None = None
    sql_tree: exp.Expression | None = None
    if spec.logic.sql is not None:
        sql_node = folder / spec.logic.sql
        if not sql_node.is_file():
            problems.append(
                Problem(f"SQL body {spec.logic.sql!r} not found", Location(origin_path))
            )
        else:
            sql_text = sql_node.read_text(encoding="utf-8")
            digest.update(sql_text.encode("utf-8"))
            body.update(sql_text.encode("utf-8"))
            try:
                sql_tree = _parse_body(sql_text)
            except ParseError as exc:
                problems.extend(_sql_problems(exc, str(sql_node)))
    else:
        target = spec.logic.python or ""
        source = _python_source(folder, target, problems, origin_path)
        body.update(source)
        in_folder = target.partition(":")[0].endswith(".py")
        digest.update(source if in_folder else target.encode("utf-8"))
    fixtures = _load_fixtures(folder, problems)
    if problems:
        raise RuleError(problems)
    return Rule(
        spec=spec,
        origin=origin or str(folder),
        folder=folder,
        sql_text=sql_text,
        sql_tree=sql_tree,
        content_hash=digest.hexdigest(),
        body_hash=body.hexdigest(),
        fixtures=fixtures,
    )


@lru_cache(maxsize=512)
def _parse_body(text: str) -> exp.Expression:
    """The syntax tree of a SQL body, parsed once per process.

    ``detect`` and ``score`` each load the whole pack, and parsing is most of a load. The tree
    is shared by every :class:`Rule` with that body: nothing mutates it (binding copies it).
    """
    return parse(text)


def _sql_problems(exc: ParseError, origin: str) -> list[Problem]:
    problems = []
    for err in exc.errors or [{}]:
        line, col = err.get("line"), err.get("col")
        problems.append(
            Problem(
                f"SQL does not parse: {err.get('description') or exc}", Location(origin, line, col)
            )
        )
    return problems


def _python_source(folder: Traversable, target: str, problems: list[Problem], origin: str) -> bytes:
    """Source bytes of a Python body (for the content hash), recording a problem if missing."""
    module_name, _, func = target.partition(":")
    if not func:
        problems.append(
            Problem(f"python body {target!r} must be module:function", Location(origin))
        )
        return b""
    if module_name.endswith(".py"):
        node = folder / module_name
        if not node.is_file():
            problems.append(
                Problem(f"Python body file {module_name!r} not found", Location(origin))
            )
            return b""
        return node.read_bytes()
    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.origin is None:
        problems.append(Problem(f"Python module {module_name!r} not importable", Location(origin)))
        return b""
    return Path(spec.origin).read_bytes()


def _rule_folders(root: Traversable) -> Iterable[Traversable]:
    if not root.is_dir():
        return []
    return sorted(
        (d for d in root.iterdir() if d.is_dir() and (d / RULE_FILE).is_file()),
        key=lambda d: d.name,
    )


def builtin_rules_dir() -> Traversable:
    """The folder of the built-in rule pack inside the installed package."""
    return package_dir("smokewatch", *BUILTIN_PACK)


def load_rules(extra_dirs: Sequence[Path] = (), *, builtin: bool = True) -> list[Rule]:
    """Load the built-in pack and every ``rules/`` folder given, collecting all problems.

    A workspace rule with the same id as a built-in rule replaces it (local tuning); two rules
    with the same id in the same place are an error.
    """
    problems: list[Problem] = []
    rules: dict[str, Rule] = {}
    sources: list[tuple[str, Traversable]] = []
    if builtin:
        sources.append(("builtin", builtin_rules_dir()))
    sources.extend((str(d), d) for d in extra_dirs)
    for label, root in sources:
        seen_here: set[str] = set()
        for folder in _rule_folders(root):
            try:
                rule = load_rule(folder, origin=label if label == "builtin" else str(folder))
            except RuleError as exc:
                problems.extend(exc.problems)
                continue
            if rule.id in seen_here:
                problems.append(
                    Problem(f"duplicate rule id {rule.id}", Location(str(folder / RULE_FILE)))
                )
            seen_here.add(rule.id)
            rules[rule.id] = rule
    if problems:
        raise RuleError(problems)
    return [rules[k] for k in sorted(rules)]


__all__ = ["BUILTIN_PACK", "RULE_FILE", "Rule", "builtin_rules_dir", "load_rule", "load_rules"]
