"""Loading rule folders: everything checkable is checked at load, with locations."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smokewatch.detect.rules import load_rule, load_rules
from smokewatch.engine.sql import compile_sql
from smokewatch.errors import RuleError
from tests.detect.conftest import NEGATIVE, POSITIVE, WriteRule


def test_a_rule_folder_loads_with_body_fixtures_and_hash(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    folder = write_rule(sql_rule_spec, positive=POSITIVE, negative=NEGATIVE)
    rule = load_rule(folder)
    assert rule.ref == "SW-R-9001@1"
    assert rule.sql_tree is not None
    assert [f.kind for f in rule.fixtures] == ["positive", "negative"]
    assert len(rule.content_hash) == 64


def test_the_content_hash_changes_with_the_body(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    folder = write_rule(sql_rule_spec)
    before = load_rule(folder).content_hash
    (folder / "query.sql").write_text("select 1 as subject_id", encoding="utf-8")
    assert load_rule(folder).content_hash != before


def test_an_edited_body_is_parsed_again_and_binding_leaves_the_shared_tree_alone(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    folder = write_rule(sql_rule_spec)
    rule = load_rule(folder)
    assert rule.sql_tree is not None
    parsed = rule.sql_tree.sql()
    compile_sql(rule.sql_tree, {"as_of": date(2025, 1, 1), "min_capital": 5}, "duckdb", step="t")
    assert rule.sql_tree.sql() == parsed
    (folder / "query.sql").write_text("select 1 as subject_id", encoding="utf-8")
    edited = load_rule(folder).sql_tree
    assert edited is not None and edited.sql() == "SELECT 1 AS subject_id"


def test_schema_errors_point_at_the_yaml_line(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    sql_rule_spec["severity"] = "apocalyptic"
    folder = write_rule(sql_rule_spec)
    with pytest.raises(RuleError) as info:
        load_rule(folder)
    problem = info.value.problems[0]
    assert "severity" in problem.message
    assert problem.location is not None and problem.location.line is not None
    line = (folder / "rule.yml").read_text(encoding="utf-8").splitlines()[problem.location.line - 1]
    assert "apocalyptic" in line


def test_sql_that_does_not_parse_is_reported_with_its_file(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    folder = write_rule(sql_rule_spec, body=("query.sql", "select from where ("))
    with pytest.raises(RuleError, match=r"query\.sql"):
        load_rule(folder)


def test_a_missing_body_file_is_reported(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    folder = write_rule(sql_rule_spec, body=None)
    with pytest.raises(RuleError, match="not found"):
        load_rule(folder)


def test_bad_fixtures_are_reported_with_the_rule(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    folder = write_rule(sql_rule_spec, negative={**NEGATIVE, "expect": POSITIVE["expect"]})
    with pytest.raises(RuleError, match="negative fixture"):
        load_rule(folder)


def test_all_problems_of_all_rules_are_collected(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any], tmp_path: Path
) -> None:
    bad_one = dict(sql_rule_spec, severity="x")
    bad_two = dict(sql_rule_spec, id="SW-R-9002", status="x")
    write_rule(bad_one)
    write_rule(bad_two)
    with pytest.raises(RuleError) as info:
        load_rules([tmp_path / "rules"], builtin=False)
    assert len(info.value.problems) == 2


def test_workspace_rules_replace_builtin_rules_with_the_same_id(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any], tmp_path: Path
) -> None:
    builtin = {r.id: r for r in load_rules()}
    assert builtin["SW-R-0001"].origin == "builtin"
    write_rule(dict(sql_rule_spec, id="SW-R-0001"))
    rules = {r.id: r for r in load_rules([tmp_path / "rules"])}
    assert rules["SW-R-0001"].origin.endswith("SW-R-0001")
    assert rules["SW-R-0001"].spec.name == "capital_at_least"


def test_a_package_body_is_hashed_by_name_and_audited_by_source(
    write_rule: WriteRule,
    sql_rule_spec: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    module = package / "sw_test_body_mod.py"
    module.write_text("def body(ctx):\n    return None\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(package))
    spec = dict(sql_rule_spec, logic={"python": "sw_test_body_mod:body"})
    folder = write_rule(spec, body=None)
    before = load_rule(folder)
    module.write_text("def body(ctx):\n    return None  # refactored\n", encoding="utf-8")
    after = load_rule(folder)
    assert after.content_hash == before.content_hash  # released code is versioned by its package
    assert after.body_hash != before.body_hash  # but the audit trail sees the change


def test_a_detector_file_in_the_rule_folder_is_part_of_the_content(
    write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    spec = dict(sql_rule_spec, logic={"python": "detector.py:body"})
    folder = write_rule(spec, body=("detector.py", "def body(ctx):\n    return None\n"))
    before = load_rule(folder).content_hash
    (folder / "detector.py").write_text("def body(ctx):\n    return 1\n", encoding="utf-8")
    assert load_rule(folder).content_hash != before
