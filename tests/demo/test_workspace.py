from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from smokewatch.demo import (
    DOCUMENT_RULE_IDS,
    ENTERPRISE_RULE_IDS,
    RULE_IDS,
    DemoManifest,
    write_demo_sources,
)
from smokewatch.demo.finance_sources import finance_sources
from smokewatch.demo.planters.families import NETWORK_RULE_ID
from smokewatch.demo.planters.local_finance import LOCAL_RULE_IDS
from smokewatch.demo.planters.platforms import PLATFORM_RULE_IDS
from smokewatch.demo.records import DOCUMENT_HEADERS, LICENCE_HEADERS, REGISTRY_HEADERS
from smokewatch.ingest.spec import discover_sources
from smokewatch.model.tables import get_table
from tests.demo.conftest import read_licences, read_registry
from tests.demo.oracle import active_licences, rule_hits


def _bytes(manifest: DemoManifest) -> dict[str, bytes]:
    return {str(p.relative_to(manifest.workspace)): p.read_bytes() for p in manifest.paths}


def test_the_same_seed_writes_byte_identical_files(workspace: DemoManifest, tmp_path: Path) -> None:
    again = write_demo_sources(tmp_path / "again")
    assert _bytes(again) == _bytes(workspace)


def test_another_seed_writes_another_city(tmp_path: Path) -> None:
    one = write_demo_sources(tmp_path / "one", enterprises=2_000, seed=1)
    two = write_demo_sources(tmp_path / "two", enterprises=2_000, seed=2)
    assert one.registry_file.read_bytes() != two.registry_file.read_bytes()


def test_the_workspace_has_the_documented_layout(workspace: DemoManifest) -> None:
    relative = {str(p.relative_to(workspace.workspace)) for p in workspace.paths}
    assert relative == {
        "sources/registry/source.yml",
        "sources/registry/data/enterprises.csv",
        "sources/licences/source.yml",
        "sources/licences/data/licences.xlsx",
        "sources/documents/source.yml",
        "sources/documents/data/documents.jsonl",
        "demo/planted.jsonl",
        "demo/rejects.jsonl",
        "demo/families.jsonl",
        "demo/README.md",
        *(
            f"sources/{s.source_id}/{name}"
            for s in finance_sources()
            for name in ("source.yml", f"data/{s.file}")
        ),
    }


def test_the_registry_file_is_gb18030_and_not_utf8(workspace: DemoManifest) -> None:
    raw = workspace.registry_file.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gb18030").startswith('"统一社会信用代码","企业名称"')


def test_the_registry_file_has_the_requested_rows_and_headers(
    workspace: DemoManifest, registry_rows: list[dict[str, str]]
) -> None:
    assert len(registry_rows) == workspace.enterprise_rows == 20_000
    assert tuple(registry_rows[0]) == REGISTRY_HEADERS


def test_the_licence_workbook_has_the_register_headers(
    workspace: DemoManifest, licence_rows: list[dict[str, object]]
) -> None:
    assert len(licence_rows) == workspace.licence_rows > 0
    assert tuple(licence_rows[0]) == LICENCE_HEADERS


def test_the_manifest_counts_bad_rows_at_the_default_rate(workspace: DemoManifest) -> None:
    assert workspace.bad_rows == {
        "bad_check_char": 10,
        "bad_date": 10,
        "unknown_status": 10,
        "duplicate_uscc": 10,
    }


def _planted(workspace: DemoManifest) -> list[dict[str, Any]]:
    lines = workspace.planted_file.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_planted_jsonl_lists_every_case_with_an_expectation_per_rule(
    workspace: DemoManifest,
) -> None:
    objects = _planted(workspace)
    assert len(objects) == len(workspace.cases)
    enterprises = [o for o in objects if "subject_table" not in o]
    documents = [o for o in objects if o.get("subject_table") == "document"]
    supervised = [o for o in objects if o.get("subject_table") in ("local_org", "platform")]
    assert len(enterprises) + len(documents) + len(supervised) == len(objects)
    assert [e["rule_id"] for e in supervised[0]["expect"]] == list(LOCAL_RULE_IDS)
    assert [e["rule_id"] for e in supervised[-1]["expect"]] == list(PLATFORM_RULE_IDS)
    keys = {"pattern", "uscc", "name", "expect", "note"}
    assert all(set(o) in (keys, keys | {"grade"}) for o in enterprises)
    assert all(set(e) <= {"rule_id", "fires", "band"} for o in enterprises for e in o["expect"])
    assert all(
        [e["rule_id"] for e in o["expect"] if e["rule_id"] != NETWORK_RULE_ID]
        == list(ENTERPRISE_RULE_IDS)
        for o in enterprises
    )
    # the company families (and only they) state what the network rule does on them
    assert all(
        any(e["rule_id"] == NETWORK_RULE_ID for e in o["expect"])
        == o["pattern"].startswith("family.")
        for o in enterprises
    )
    assert all(
        ("band" in e) == e["fires"]
        for o in enterprises
        for e in o["expect"]
        if e["rule_id"] not in RULE_IDS
    )
    keys = {"pattern", "subject_table", "reference", "about", "uscc", "name", "expect", "note"}
    assert all(set(o) == keys and o["uscc"] is None for o in documents)
    rules = list(DOCUMENT_RULE_IDS)
    assert all([e["rule_id"] for e in o["expect"]] == rules for o in documents)


def test_a_document_is_about_the_planted_enterprise_it_names(
    workspace: DemoManifest, rows_by_uscc: dict[str, dict[str, str]]
) -> None:
    lines = workspace.document_file.read_text(encoding="utf-8").splitlines()
    rows = {r["编号"]: r for r in map(json.loads, lines)}
    planted = {o["uscc"] for o in _planted(workspace) if "subject_table" not in o}
    documents = [o for o in _planted(workspace) if o.get("subject_table") == "document"]
    about = [o for o in documents if o["about"] is not None]
    assert about and all(o["about"] in planted for o in about)
    for o in documents:
        if o["pattern"].startswith("local."):  # complaints about a licensed lender
            continue
        row = rows[o["reference"]]
        if row["主体信用代码"] is not None:  # attributed in the export: about that enterprise
            assert o["about"] == row["主体信用代码"]
        elif o["about"] is not None:  # otherwise only when the text names it in full
            name = rows_by_uscc[o["about"]]["企业名称"]
            assert name in f"{row['标题'] or ''}{row['正文']}"
    # News and posts that name a company in full are about it, though the export names nobody.
    assert any(rows[o["reference"]]["主体信用代码"] is None for o in about)


def test_enterprise_cases_keep_the_original_line_format(workspace: DemoManifest) -> None:
    first = _planted(workspace)[0]
    assert list(first) == ["pattern", "uscc", "name", "expect", "note"]
    assert first["expect"][0] == {"rule_id": "SW-R-0001", "fires": True}


def test_every_planted_enterprise_is_a_registry_row_with_its_name(
    workspace: DemoManifest, rows_by_uscc: dict[str, dict[str, str]]
) -> None:
    enterprises = [c for c in workspace.cases if c.subject_table == "enterprise"]
    assert all(c.uscc and rows_by_uscc[c.uscc]["企业名称"] == c.name for c in enterprises)


def test_every_planted_document_is_a_line_of_the_document_file(workspace: DemoManifest) -> None:
    lines = workspace.document_file.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == workspace.document_rows
    assert all(tuple(r) == DOCUMENT_HEADERS for r in rows)
    references = [r["编号"] for r in rows]
    planted = [c.reference for c in workspace.cases if c.subject_table == "document"]
    assert sorted(references) == sorted(planted)


def test_planted_cases_carry_what_their_expectations_claim(
    workspace: DemoManifest,
    rows_by_uscc: dict[str, dict[str, str]],
    licence_rows: list[dict[str, object]],
) -> None:
    licences = active_licences(licence_rows, workspace.as_of)
    wrong = [
        (case.pattern, case.name, rule)
        for case in workspace.cases
        if case.subject_table == "enterprise"
        for rule, fires in rule_hits(
            rows_by_uscc[case.uscc], licences.get(case.uscc, []), workspace.as_of
        ).items()
        if case.fires(rule) is not fires
    ]
    assert wrong == []


def test_no_ordinary_enterprise_fires_any_rule(
    workspace: DemoManifest,
    registry_rows: list[dict[str, str]],
    licence_rows: list[dict[str, object]],
) -> None:
    planted = {c.uscc for c in workspace.cases}
    bad_lines = {b.row for b in workspace.rejects}
    licences = active_licences(licence_rows, workspace.as_of)
    hits = [
        row["企业名称"]
        for line, row in enumerate(registry_rows, start=2)
        if row["统一社会信用代码"] not in planted and line not in bad_lines
        if any(rule_hits(row, licences.get(row["统一社会信用代码"], []), workspace.as_of).values())
    ]
    assert hits == []


@pytest.mark.parametrize("rules", [RULE_IDS, DOCUMENT_RULE_IDS])
def test_every_rule_has_planted_cases_to_fire_on_and_to_spare(
    workspace: DemoManifest, rules: tuple[str, ...]
) -> None:
    fired = Counter(rule for c in workspace.cases for rule in rules if c.fires(rule) is True)
    spared = Counter(rule for c in workspace.cases for rule in rules if c.fires(rule) is False)
    assert all(fired[rule] >= 3 and spared[rule] >= 3 for rule in rules)


def test_rejects_jsonl_points_at_the_bad_lines(
    workspace: DemoManifest, registry_rows: list[dict[str, str]]
) -> None:
    rejects = [
        json.loads(line) for line in workspace.rejects_file.read_text(encoding="utf-8").splitlines()
    ]
    assert len(rejects) == 40
    assert all(registry_rows[r["row"] - 2]["企业名称"] == r["name"] for r in rejects)


@pytest.mark.parametrize(
    ("source", "table"),
    [
        ("registry_source", "enterprise"),
        ("licence_source", "licence"),
        ("document_source", "document"),
    ],
)
def test_source_yml_maps_headers_to_columns_of_its_table(
    workspace: DemoManifest, source: str, table: str
) -> None:
    spec = yaml.safe_load(getattr(workspace, source).read_text(encoding="utf-8"))
    columns = set(get_table(table).column_names)
    named = set(spec["columns"]) | set(spec.get("defaults", {})) | set(spec.get("lookups", {}))
    assert spec["table"] == table
    assert named <= columns


def test_source_yml_files_pass_the_ingest_spec_loader(workspace: DemoManifest) -> None:
    specs = discover_sources(workspace.workspace / "sources")
    assert {s.id: s.table for s in specs.values()} == {
        "registry": "enterprise",
        "licences": "licence",
        "documents": "document",
        **{s.source_id: s.table for s in finance_sources()},
    }


def test_source_yml_locations_point_at_the_written_files(workspace: DemoManifest) -> None:
    for source, data in (
        (workspace.registry_source, workspace.registry_file),
        (workspace.licence_source, workspace.licence_file),
        (workspace.document_source, workspace.document_file),
    ):
        spec = yaml.safe_load(source.read_text(encoding="utf-8"))
        assert (source.parent / spec["location"]).resolve() == data.resolve()


def test_readme_explains_the_city_in_chinese_and_english(workspace: DemoManifest) -> None:
    text = workspace.readme.read_text(encoding="utf-8")
    assert "芜湖市" in text
    assert "The demo city" in text
    assert "`name.binding_word_unlicensed`" in text
    assert "sources/documents/data/documents.jsonl" in text
    assert "`document.ad.above_ceiling_guarantee`" in text
    assert f"The {workspace.document_rows} documents" in text


def test_workspace_can_be_written_for_another_as_of_date(tmp_path: Path) -> None:
    manifest = write_demo_sources(tmp_path, enterprises=1_500, as_of=date(2025, 6, 30))
    rows = read_registry(manifest.registry_file)
    assert max(r["成立日期"] for r in rows if r["成立日期"][:4].isdigit()) <= "2025-06-30"
    assert read_licences(manifest.licence_file)
