"""Source specs: ``sources/<id>/source.yml`` parsed, validated against the target table.

The format is documented in ``docs/sources.md``; this module implements it exactly. Loading
collects every problem (unknown columns, unmapped key columns, lookups to unknown vocabulary
terms, bad regular expressions, defaults that do not parse ...) and raises one
:class:`~smokewatch.errors.ConfigError` that lists them all with ``path:line`` locations.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from smokewatch.errors import ConfigError, InvalidInput, Location, Problem
from smokewatch.ingest.values import MONEY_UNITS, SetBy, column_kind, parse_constant
from smokewatch.model.tables import ColumnType, TableSchema, get_table, load_tables
from smokewatch.model.types import ValueTypeError
from smokewatch.model.vocab import get_vocabulary

SOURCE_FILE = "source.yml"
"""Name of the spec file inside each source folder."""

FORMAT_BY_SUFFIX: Mapping[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
"""File formats recognised by ``format: auto``, by file name suffix."""

_IDENT = r"^[a-z][a-z0-9_]*$"

YamlPath = tuple[str | int, ...]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalisedText(_Spec):
    """A label in Chinese and English."""

    zh: str
    """Chinese label."""

    en: str = ""
    """English label."""


class ColumnMapping(_Spec):
    """How one target column is filled from the file."""

    column: str = Field(min_length=1)
    """Name of the source column (header cell, JSON key or Parquet column)."""

    split: str | None = None
    """``list_string`` columns: regular expression separating the items."""

    unit: str | None = None
    """``decimal`` columns: unit of amounts written without one (元, 千元, 万元, 亿元)."""

    currency_column: str | None = None
    """``decimal`` columns: target column that receives a currency written in the amount."""

    on_error: Literal["reject", "null"] = "reject"
    """``reject`` the row when the value fails its type, or store ``null`` and count it."""


class SourceSpec(_Spec):
    """One source: where its file is, which table it feeds and how columns map."""

    id: str = Field(pattern=_IDENT)
    """Source id, unique within the workspace; equals the folder name."""

    title: LocalisedText
    """Human title in Chinese and English."""

    publisher: str
    """Who delivers the data (free text)."""

    licence: str
    """Terms of use of the data (free text)."""

    pii: Literal["none", "personal", "sensitive"]
    """Whether the data holds personal (or sensitive personal) information."""

    table: str
    """Target typed table (``src/smokewatch/model/tables/*.yml``)."""

    location: str | None = None
    """Data file, relative to the source folder or absolute; ``--file`` overrides it."""

    format: Literal["auto", "csv", "xlsx", "parquet", "jsonl"] = "auto"
    """File format; ``auto`` decides by the file name suffix."""

    encoding: str = "auto"
    """CSV text encoding: ``auto`` (UTF-8 with or without BOM, else GB18030) or a codec."""

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    """CSV field delimiter."""

    sheet: str | None = None
    """XLSX sheet name; default the first sheet."""

    header_row: int = Field(default=1, ge=1)
    """CSV/XLSX: 1-based row that holds the column names."""

    id_prefix: str = Field(pattern=_IDENT)
    """Prefix of the stable ids of this source's rows."""

    key: tuple[tuple[str, ...], ...] = Field(min_length=1)
    """Key alternatives, tried in order; each is one target column or a list of them."""

    mode: Literal["snapshot", "upsert"] = "snapshot"
    """``snapshot``: the file is this source's complete state; ``upsert``: rows replace
    same-id rows and other rows are kept."""

    columns: dict[str, ColumnMapping] = Field(min_length=1)
    """Target column → source column (a name, or a :class:`ColumnMapping`)."""

    lookups: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    """Per target column: raw value → value, applied before parsing."""

    defaults: dict[str, str] = Field(default_factory=dict)
    """Constant values for target columns the file lacks or leaves empty."""

    _folder: Path | None = PrivateAttr(default=None)

    @field_validator("key", mode="before")
    @classmethod
    def _key_alternatives(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [[value]]
        if isinstance(value, list):
            return [[item] if isinstance(item, str) else item for item in value]
        return value

    @field_validator("columns", mode="before")
    @classmethod
    def _column_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: {"column": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("lookups", mode="before")
    @classmethod
    def _lookup_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: {_text(a): None if b is None else _text(b) for a, b in v.items()}
                if isinstance(v, dict)
                else v
                for k, v in value.items()
            }
        return value

    @field_validator("defaults", mode="before")
    @classmethod
    def _default_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: v if v is None or isinstance(v, list | dict) else _text(v)
                for k, v in value.items()
            }
        return value

    @property
    def folder(self) -> Path | None:
        """The folder the spec was loaded from (``location`` is relative to it)."""
        return self._folder

    @property
    def target(self) -> TableSchema:
        """The target typed table."""
        return get_table(self.table)

    def resolve_file(self, file: Path | None = None) -> Path:
        """The data file to read: ``file`` when given, else ``location``."""
        if file is not None:
            return file
        if self.location is None:
            raise InvalidInput(f"source {self.id!r} has no location; pass a file")
        path = Path(self.location)
        if not path.is_absolute() and self._folder is not None:
            path = self._folder / path
        return path

    def config_hash(self) -> str:
        """sha256 of the spec's content: a changed mapping re-ingests an unchanged file."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- loading ---------------------------------------------------------------------------------


def load_source_spec(path: Path) -> SourceSpec:
    """Read, parse and validate one ``source.yml``.

    Raises :class:`ConfigError` listing every problem with its ``path:line`` location.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([Problem(f"cannot read: {exc}", Location(str(path)))]) from exc
    raw, lines = _parse_yaml(text, str(path))
    return parse_source_spec(raw, origin=str(path), folder=path.parent, lines=lines)


def parse_source_spec(
    raw: Any,
    *,
    origin: str = "<source>",
    folder: Path | None = None,
    lines: Mapping[YamlPath, int] | None = None,
) -> SourceSpec:
    """Validate an already-parsed spec mapping (e.g. built in a test) against its table."""
    lines = lines or {}

    def where(path: YamlPath) -> Location:
        return Location(origin, _line(lines, path))

    if not isinstance(raw, dict):
        raise ConfigError([Problem("a source spec must be a mapping", Location(origin, 1))])
    try:
        spec = SourceSpec.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(_pydantic_message(err), where(tuple(err["loc"]))) for err in exc.errors()
        ]
        problems.extend(Problem(message, where(path)) for path, message in _check_raw_table(raw))
        raise ConfigError(problems) from exc
    problems = [Problem(message, where(path)) for path, message in check_spec(spec)]
    if problems:
        raise ConfigError(problems)
    spec._folder = folder
    return spec


def discover_sources(workspace_sources_dir: Path) -> dict[str, SourceSpec]:
    """Every ``<id>/source.yml`` below a workspace's ``sources/`` folder, by id.

    Problems in all files are collected into one :class:`ConfigError`. A folder name must
    equal its source id, and sources feeding the same table need distinct ``id_prefix``
    values (otherwise their ids could collide).
    """
    if not workspace_sources_dir.is_dir():
        return {}
    specs: dict[str, SourceSpec] = {}
    problems: list[Problem] = []
    for spec_file in sorted(workspace_sources_dir.glob(f"*/{SOURCE_FILE}")):
        try:
            spec = load_source_spec(spec_file)
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        if spec.id != spec_file.parent.name:
            problems.append(
                Problem(
                    f"source id {spec.id!r} differs from its folder name {spec_file.parent.name!r}",
                    Location(str(spec_file)),
                )
            )
        specs[spec.id] = spec
    problems.extend(_prefix_clashes(specs))
    if problems:
        raise ConfigError(problems)
    return specs


def _prefix_clashes(specs: Mapping[str, SourceSpec]) -> list[Problem]:
    seen: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for spec in specs.values():
        other = seen.setdefault((spec.table, spec.id_prefix), spec.id)
        if other != spec.id:
            problems.append(
                Problem(
                    f"sources {other!r} and {spec.id!r} both feed table {spec.table!r} with "
                    f"id_prefix {spec.id_prefix!r}; their ids could collide",
                    Location(str(spec.folder / SOURCE_FILE) if spec.folder else spec.id),
                )
            )
    return problems


# -- checks against the target table ---------------------------------------------------------


def check_spec(spec: SourceSpec) -> list[tuple[YamlPath, str]]:
    """Every problem of a structurally valid spec, as (YAML path, message) pairs."""
    tables = load_tables()
    problems: list[tuple[YamlPath, str]] = []
    if spec.table not in tables:
        known = ", ".join(sorted(tables))
        return [(("table",), f"unknown table {spec.table!r}; known: {known}")]
    table = tables[spec.table]
    if not table.provenance or table.key != ("id",):
        message = f"table {spec.table!r} is not an entity table (keyed by id, with provenance)"
        return [(("table",), message)]
    problems.extend(_check_columns(spec, table))
    problems.extend(_check_key(spec, table))
    problems.extend(_check_lookups(spec, table))
    problems.extend(_check_defaults(spec, table))
    problems.extend(_check_required(spec, table))
    problems.extend(_check_file_options(spec))
    return problems


def _check_raw_table(raw: Mapping[str, Any]) -> list[tuple[YamlPath, str]]:
    """Table checks that still make sense when the structure has errors."""
    tables = load_tables()
    name = raw.get("table")
    if not isinstance(name, str) or name not in tables:
        return []
    table = tables[name]
    columns = raw.get("columns")
    if not isinstance(columns, dict):
        return []
    return [
        (("columns", target), message)
        for target in columns
        if (message := _target_problem(str(target), table)) is not None
    ]


def _target_problem(name: str, table: TableSchema) -> str | None:
    if name not in table.column_names:
        known = ", ".join(c.name for c in table.columns if column_kind(table, c.name) is None)
        return f"unknown column {name!r} of table {table.name!r}; mappable columns: {known}"
    set_by = column_kind(table, name)
    if set_by is not None:
        return f"column {name!r} is set by ingest ({set_by.value}) and cannot be mapped"
    return None


def _check_columns(spec: SourceSpec, table: TableSchema) -> list[tuple[YamlPath, str]]:
    problems: list[tuple[YamlPath, str]] = []
    for target, mapping in spec.columns.items():
        message = _target_problem(target, table)
        if message is not None:
            problems.append((("columns", target), message))
        else:
            problems.extend(_mapping_problems(target, mapping, table))
    return problems


def _mapping_problems(
    target: str, mapping: ColumnMapping, table: TableSchema
) -> list[tuple[YamlPath, str]]:
    where: YamlPath = ("columns", target)
    kind = table.column(target).type
    problems: list[tuple[YamlPath, str]] = []
    if mapping.split is not None:
        if kind is not ColumnType.LIST_STRING:
            message = f"split applies only to list columns, and {target!r} is {kind.value}"
            problems.append(((*where, "split"), message))
        problems.extend(_regex_problem(mapping.split, (*where, "split")))
    has_money_options = mapping.unit is not None or mapping.currency_column is not None
    if has_money_options and kind is not ColumnType.DECIMAL:
        message = f"unit and currency_column apply only to decimal columns, not {kind.value}"
        problems.append((where, message))
    if mapping.unit is not None and mapping.unit not in MONEY_UNITS:
        units = ", ".join(u for u in MONEY_UNITS if u)
        problems.append(((*where, "unit"), f"unknown unit {mapping.unit!r}; use {units}"))
    if mapping.currency_column is not None:
        problems.extend(_currency_problem(mapping.currency_column, table, where))
    if mapping.on_error == "null" and not table.column(target).nullable:
        message = f"column {target!r} is required, so on_error cannot be null"
        problems.append(((*where, "on_error"), message))
    return problems


def _currency_problem(name: str, table: TableSchema, where: YamlPath) -> list[tuple[YamlPath, str]]:
    message = _target_problem(name, table)
    if message is None and table.column(name).type is not ColumnType.STRING:
        message = f"currency_column {name!r} must be a string column"
    return [] if message is None else [((*where, "currency_column"), message)]


def _regex_problem(pattern: str, where: YamlPath) -> list[tuple[YamlPath, str]]:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return [(where, f"invalid regular expression {pattern!r}: {exc}")]
    if compiled.match(""):
        return [(where, f"regular expression {pattern!r} matches the empty string")]
    return []


def _check_key(spec: SourceSpec, table: TableSchema) -> list[tuple[YamlPath, str]]:
    problems: list[tuple[YamlPath, str]] = []
    for i, alternative in enumerate(spec.key):
        if not alternative:
            problems.append((("key", i), "empty key alternative"))
        for name in alternative:
            if name in table.column_names and column_kind(table, name) is not None:
                problems.append((("key", i), f"key column {name!r} is set by ingest"))
            elif name not in spec.columns:
                problems.append((("key", i), f"key column {name!r} is not mapped in columns"))
    return problems


def _check_lookups(spec: SourceSpec, table: TableSchema) -> list[tuple[YamlPath, str]]:
    problems: list[tuple[YamlPath, str]] = []
    for target, lookup in spec.lookups.items():
        where: YamlPath = ("lookups", target)
        message = _target_problem(target, table)
        if message is None and target not in spec.columns:
            message = f"lookups for {target!r}, which is not mapped in columns"
        if message is not None:
            problems.append((where, message))
            continue
        vocab_name = table.column(target).vocab
        if vocab_name is None:
            continue
        vocab = get_vocabulary(vocab_name)
        for raw, value in lookup.items():
            if value is not None and value not in vocab:
                terms = ", ".join(vocab.terms)
                message = f"lookup {raw!r} → {value!r}: not a term of {vocab_name} ({terms})"
                problems.append(((*where, raw), message))
    return problems


def _check_defaults(spec: SourceSpec, table: TableSchema) -> list[tuple[YamlPath, str]]:
    problems: list[tuple[YamlPath, str]] = []
    for target, value in spec.defaults.items():
        where: YamlPath = ("defaults", target)
        message = _target_problem(target, table)
        if message is None:
            try:
                parse_constant(table, target, value)
            except ValueTypeError as exc:
                message = f"default for {target!r}: {exc}"
        if message is not None:
            problems.append((where, message))
    return problems


def _check_required(spec: SourceSpec, table: TableSchema) -> list[tuple[YamlPath, str]]:
    return [
        (("columns",), f"required column {c.name!r} is neither mapped nor given a default")
        for c in table.columns
        if not c.nullable
        and column_kind(table, c.name) is None
        and c.name not in spec.columns
        and c.name not in spec.defaults
    ]


def _check_file_options(spec: SourceSpec) -> list[tuple[YamlPath, str]]:
    problems: list[tuple[YamlPath, str]] = []
    if spec.encoding != "auto":
        try:
            codecs.lookup(spec.encoding)
        except LookupError:
            problems.append((("encoding",), f"unknown encoding {spec.encoding!r}"))
    if spec.location is not None and spec.format == "auto":
        suffix = Path(spec.location).suffix.lower()
        if suffix not in FORMAT_BY_SUFFIX:
            known = ", ".join(FORMAT_BY_SUFFIX)
            message = f"cannot tell the format of {spec.location!r} by suffix ({known}); set format"
            problems.append((("location",), message))
    return problems


# -- YAML with line numbers ------------------------------------------------------------------


def _parse_yaml(text: str, origin: str) -> tuple[Any, dict[YamlPath, int]]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = Location(origin, mark.line + 1, mark.column + 1) if mark else Location(origin)
        raise ConfigError([Problem(f"invalid YAML: {exc}", loc)]) from exc
    finally:
        loader.dispose()
    lines: dict[YamlPath, int] = {(): node.start_mark.line + 1}
    duplicates: list[Problem] = []
    _walk(node, (), lines, duplicates, origin)
    if duplicates:
        raise ConfigError(duplicates)
    return data, lines


def _walk(
    node: yaml.Node,
    path: YamlPath,
    lines: dict[YamlPath, int],
    duplicates: list[Problem],
    origin: str,
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                duplicates.append(Problem(f"duplicate key {key!r}", Location(origin, line)))
            seen.add(key)
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, duplicates, origin)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            _walk(item, (*path, i), lines, duplicates, origin)


def _line(lines: Mapping[YamlPath, int], path: YamlPath) -> int | None:
    for end in range(len(path), -1, -1):
        line = lines.get(tuple(path[:end]))
        if line is not None:
            return line
    return None


def _pydantic_message(err: Any) -> str:
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else str(err["msg"])


__all__ = [
    "FORMAT_BY_SUFFIX",
    "SOURCE_FILE",
    "ColumnMapping",
    "LocalisedText",
    "SetBy",
    "SourceSpec",
    "check_spec",
    "discover_sources",
    "load_source_spec",
    "parse_source_spec",
]
