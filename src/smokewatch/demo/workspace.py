"""Writing the demo city into a workspace: sources, ground truth and a README.

Layout (relative to the workspace)::

    sources/registry/source.yml            sources/registry/data/enterprises.csv  (GB18030)
    sources/licences/source.yml            sources/licences/data/licences.xlsx
    sources/documents/source.yml           sources/documents/data/documents.jsonl (UTF-8)
    demo/planted.jsonl   demo/rejects.jsonl   demo/families.jsonl   demo/README.md

and the supervisory exports of :mod:`smokewatch.demo.finance_sources` (licensed local financial
organisations with their reports and loan books; online-lending platforms).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template
from typing import Any

from smokewatch.demo.city import (
    BAD_ROW_KINDS,
    DEFAULT_AS_OF,
    DEFAULT_BAD_ROW_RATE,
    DEFAULT_SEED,
    BadRow,
    City,
    generate_city,
)
from smokewatch.demo.files import write_csv, write_xlsx
from smokewatch.demo.finance_sources import finance_sources
from smokewatch.demo.planters.families import FAMILY_TRUTH, read_family_truth
from smokewatch.demo.planting import (
    DOCUMENT_RULE_IDS,
    DOCUMENT_TABLE,
    ENTERPRISE_RULE_IDS,
    PlantedCase,
    Planter,
)
from smokewatch.demo.records import DOCUMENT_COLUMNS
from smokewatch.demo.sources import (
    DOCUMENT_SOURCE_ID,
    LICENCE_SHEET,
    LICENCE_SOURCE_ID,
    REGISTRY_SOURCE_ID,
    document_source_yaml,
    licence_source_yaml,
    registry_source_yaml,
)
from smokewatch.model._yaml import package_dir
from smokewatch.model.vocab import get_vocabulary

REGISTRY_ENCODING = "gb18030"
"""Encoding of the demo registry CSV (Chinese government exports often use it)."""


@dataclass(frozen=True, slots=True)
class DemoManifest:
    """What :func:`write_demo_sources` wrote."""

    workspace: Path
    as_of: date
    seed: int
    registry_source: Path
    registry_file: Path
    licence_source: Path
    licence_file: Path
    document_source: Path
    document_file: Path
    planted_file: Path
    rejects_file: Path
    readme: Path
    enterprise_rows: int
    licence_rows: int
    document_rows: int
    bad_rows: Mapping[str, int]
    """Deliberately bad registry rows by kind (see :data:`~smokewatch.demo.city.BAD_ROW_KINDS`)."""
    cases: tuple[PlantedCase, ...]
    rejects: tuple[BadRow, ...]
    finance_files: tuple[Path, ...] = ()
    """The supervisory exports and their ``source.yml`` (local organisations, platforms) and
    the registry's shareholder and key-personnel exports."""
    families_file: Path | None = None
    """``demo/families.jsonl``: the planted company families (members, people, owners)."""

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every file written, in a fixed order."""
        return (
            self.registry_source,
            self.registry_file,
            self.licence_source,
            self.licence_file,
            self.document_source,
            self.document_file,
            self.planted_file,
            self.rejects_file,
            self.readme,
            *self.finance_files,
            *((self.families_file,) if self.families_file else ()),
        )


def _jsonl(path: Path, objects: Iterable[Mapping[str, Any]]) -> None:
    lines = (json.dumps(obj, ensure_ascii=False) + "\n" for obj in objects)
    path.write_text("".join(lines), encoding="utf-8")


def _pattern_table(cases: Sequence[PlantedCase], rules: Sequence[str]) -> str:
    rows: dict[str, list[PlantedCase]] = {}
    for case in cases:
        rows.setdefault(case.pattern, []).append(case)
    lines = []
    for pattern, group in rows.items():
        marks = []
        for rule in rules:
            fires = {case.fires(rule) for case in group}
            marks.append("✓" if fires == {True} else "–" if fires == {False} else "±")
        lines.append(f"| `{pattern}` | {len(group)} | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def _grade_table(cases: Sequence[PlantedCase]) -> str:
    return "\n".join(
        f"| `{c.pattern}` | {c.name} | {'≥ ' if c.grade.at_least else ''}{c.grade.grade} |"
        for c in cases
        if c.grade is not None
    )


def _kind_table(documents: Sequence[Mapping[str, Any]]) -> str:
    vocabulary = get_vocabulary("document_kind")
    counts = Counter(vocabulary.resolve(row["类型"]) for row in documents)
    return "\n".join(
        f"- `{kind}` {term.label_zh} · {term.label_en}: {counts[kind]}"
        for kind, term in vocabulary.terms.items()
        if counts.get(kind)
    )


def _readme(city: City) -> str:
    template = (package_dir("smokewatch.demo", "data") / "README.template.md").read_text(
        encoding="utf-8"
    )
    counts = Counter(b.kind for b in city.bad_rows)
    bad_table = "\n".join(f"- `{kind}`: {counts.get(kind, 0)}" for kind in BAD_ROW_KINDS)
    enterprises = [c for c in city.cases if c.subject_table != DOCUMENT_TABLE]
    documents = [c for c in city.cases if c.subject_table == DOCUMENT_TABLE]
    return Template(template).substitute(
        seed=city.seed,
        as_of=city.as_of.isoformat(),
        enterprises=city.enterprises.num_rows,
        licences=city.licences.num_rows,
        documents=city.documents.num_rows,
        cases=len(enterprises),
        document_cases=len(documents),
        bad_rows=len(city.bad_rows),
        pattern_table=_pattern_table(enterprises, ENTERPRISE_RULE_IDS),
        grade_table=_grade_table(enterprises),
        document_table=_pattern_table(documents, DOCUMENT_RULE_IDS),
        kind_table=_kind_table(city.documents.to_pylist()),
        bad_table=bad_table,
    )


def _documents_jsonl(city: City) -> list[dict[str, Any]]:
    """The document export, newest last (as a monitoring system exports it)."""
    rows = city.documents.to_pylist()
    rows.sort(key=lambda r: (r["发布日期"], r["编号"]))
    return [{key: row[key] for key in DOCUMENT_COLUMNS} for row in rows]


def _write_finance(root: Path, city: City) -> tuple[Path, ...]:
    """Write each supervisory export planters added rows to, with its ``source.yml``."""
    wordings: dict[str, tuple[str, ...]] = {}
    sources = finance_sources()
    for source in sources:
        rows = city.extra_tables.get(source.table)
        if rows is None:
            continue
        for column in source.vocab or {}:
            values = rows.column(source.columns[column]).to_pylist()
            wordings[f"{source.table}.{column}"] = tuple(sorted({v for v in values if v}))
    written: list[Path] = []
    for source in finance_sources(wordings):
        rows = city.extra_tables.get(source.table)
        if rows is None:
            continue
        folder = _folder(root / "sources" / source.source_id)
        spec, data = folder / "source.yml", _folder(folder / "data") / source.file
        spec.write_text(source.yaml(), encoding="utf-8")
        if source.sheet is None:
            write_csv(rows, data, encoding=source.encoding)
        else:
            write_xlsx(rows, data, sheet=source.sheet, created=city.as_of)
        written += [spec, data]
    return tuple(written)


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_demo_sources(
    workspace_dir: Path | str,
    *,
    enterprises: int = 20_000,
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
    bad_row_rate: float = DEFAULT_BAD_ROW_RATE,
    planters: Sequence[Planter] | None = None,
) -> DemoManifest:
    """Generate the demo city and write its sources and ground truth into a workspace.

    Existing files of the same names are replaced; nothing else in the workspace is touched.
    Same arguments ⇒ byte-identical files.

    Args:
        workspace_dir: the workspace folder (created if missing).
        enterprises: rows of the registry file (planted and bad rows included).
        seed: the only source of randomness.
        as_of: evaluation date the planted cases are built around.
        bad_row_rate: share of deliberately bad registry rows.
        planters: planters to run; default the built-in ones.

    Returns:
        The manifest of what was written.
    """
    root = Path(workspace_dir)
    city = generate_city(
        enterprises=enterprises,
        seed=seed,
        as_of=as_of,
        bad_row_rate=bad_row_rate,
        planters=planters,
    )
    registry = _folder(root / "sources" / REGISTRY_SOURCE_ID)
    licences = _folder(root / "sources" / LICENCE_SOURCE_ID)
    documents = _folder(root / "sources" / DOCUMENT_SOURCE_ID)
    demo = _folder(root / "demo")
    manifest = DemoManifest(
        workspace=root,
        as_of=as_of,
        seed=seed,
        registry_source=registry / "source.yml",
        registry_file=_folder(registry / "data") / "enterprises.csv",
        licence_source=licences / "source.yml",
        licence_file=_folder(licences / "data") / "licences.xlsx",
        document_source=documents / "source.yml",
        document_file=_folder(documents / "data") / "documents.jsonl",
        planted_file=demo / "planted.jsonl",
        rejects_file=demo / "rejects.jsonl",
        readme=demo / "README.md",
        enterprise_rows=city.enterprises.num_rows,
        licence_rows=city.licences.num_rows,
        document_rows=city.documents.num_rows,
        bad_rows={k: sum(1 for b in city.bad_rows if b.kind == k) for k in BAD_ROW_KINDS},
        cases=city.cases,
        rejects=city.bad_rows,
        finance_files=_write_finance(root, city),
        families_file=demo / "families.jsonl",
    )
    manifest.registry_source.write_text(
        registry_source_yaml(encoding=REGISTRY_ENCODING), encoding="utf-8"
    )
    write_csv(city.enterprises, manifest.registry_file, encoding=REGISTRY_ENCODING)
    manifest.licence_source.write_text(licence_source_yaml(), encoding="utf-8")
    write_xlsx(city.licences, manifest.licence_file, sheet=LICENCE_SHEET, created=as_of)
    manifest.document_source.write_text(document_source_yaml(), encoding="utf-8")
    _jsonl(manifest.document_file, _documents_jsonl(city))
    _jsonl(manifest.planted_file, (case.to_json() for case in city.cases))
    _jsonl(manifest.rejects_file, (bad.to_json() for bad in city.bad_rows))
    truth = city.extra_tables.get(FAMILY_TRUTH)
    _jsonl(demo / "families.jsonl", read_family_truth(truth.to_pylist() if truth else []))
    manifest.readme.write_text(_readme(city), encoding="utf-8")
    return manifest


__all__ = ["REGISTRY_ENCODING", "DemoManifest", "write_demo_sources"]
