"""Source specs: the documented format, and every problem reported at once with its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smokewatch.errors import ConfigError
from smokewatch.ingest.spec import (
    ColumnMapping,
    discover_sources,
    load_source_spec,
    parse_source_spec,
)
from tests.ingest.builders import registry_spec, registry_spec_data

DOCS = Path(__file__).resolve().parents[2] / "docs" / "sources.md"

GOOD_YAML = """\
id: registry
title: {zh: 芜湖市企业登记信息, en: Wuhu enterprise registry}
publisher: 芜湖市市场监督管理局
licence: internal
pii: personal
table: enterprise
location: data/enterprises.csv
id_prefix: ent
key: [uscc, [name, registered_address]]
columns:
  uscc: 统一社会信用代码
  name: 企业名称
  registered_address: 住所
"""


def _write(folder: Path, text: str, name: str = "registry") -> Path:
    path = folder / name / "source.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _messages(error: ConfigError) -> list[str]:
    return [str(p) for p in error.problems]


def test_the_example_in_the_documentation_is_a_valid_spec(tmp_path: Path) -> None:
    example = re.search(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert example is not None
    spec = load_source_spec(_write(tmp_path, example.group(1)))
    assert spec.id == "registry"
    assert spec.columns["phone"].on_error == "null"


def test_a_column_given_by_name_is_a_mapping_of_that_column() -> None:
    spec = registry_spec()
    assert spec.columns["name"] == ColumnMapping(column="企业名称")


def test_key_alternatives_are_lists_of_columns() -> None:
    spec = registry_spec()
    assert spec.key == (("uscc",), ("name", "registered_address"))


def test_location_is_relative_to_the_source_folder(tmp_path: Path) -> None:
    spec = load_source_spec(_write(tmp_path, GOOD_YAML))
    assert spec.resolve_file() == tmp_path / "registry" / "data" / "enterprises.csv"


def test_a_file_given_for_the_run_overrides_the_location(tmp_path: Path) -> None:
    spec = load_source_spec(_write(tmp_path, GOOD_YAML))
    assert spec.resolve_file(tmp_path / "other.csv") == tmp_path / "other.csv"


def test_an_unknown_target_column_is_reported_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_YAML + "  colour: 颜色\n")
    with pytest.raises(ConfigError) as info:
        load_source_spec(path)
    [message] = _messages(info.value)
    assert message.startswith(f"{path}:14: unknown column 'colour' of table 'enterprise'; ")
    assert "mappable columns: uscc, registration_number, name, former_names" in message


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    text = GOOD_YAML.replace("key: [uscc, [name, registered_address]]", "key: [uscc, phone]")
    text += '  former_names: {column: 曾用名, split: "[;"}\n'
    text += "  status: 登记状态\n"
    text += "lookups:\n  status: {在营: open}\n"
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_source_spec(path)
    messages = _messages(info.value)
    assert len(messages) == 3
    assert messages[0].startswith(f"{path}:14: invalid regular expression '[;'")
    assert messages[1] == f"{path}:9: key column 'phone' is not mapped in columns"
    assert messages[2].startswith(
        f"{path}:17: lookup '在营' → 'open': not a term of enterprise_status"
    )


def test_structural_and_table_problems_are_reported_together(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_YAML.replace("pii: personal", "pii: secret") + "  colour: 颜色\n")
    with pytest.raises(ConfigError) as info:
        load_source_spec(path)
    messages = _messages(info.value)
    assert messages[0] == f"{path}:5: pii: Input should be 'none', 'personal' or 'sensitive'"
    assert messages[1].startswith(f"{path}:14: unknown column 'colour'")


def test_unknown_top_level_keys_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_YAML + "schedule: daily\n")
    with pytest.raises(ConfigError) as info:
        load_source_spec(path)
    assert _messages(info.value) == [f"{path}:14: schedule: Extra inputs are not permitted"]


def test_a_repeated_yaml_key_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_YAML + "  name: 名称\n")
    with pytest.raises(ConfigError) as info:
        load_source_spec(path)
    assert _messages(info.value) == [f"{path}:14: duplicate key 'name'"]


def test_broken_yaml_is_reported_with_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: registry\ncolumns: [unclosed\n")
    with pytest.raises(ConfigError) as info:
        load_source_spec(path)
    assert str(info.value.problems[0].location).startswith(f"{path}:3:")


def test_a_required_column_must_be_mapped_or_defaulted() -> None:
    columns = registry_spec_data()["columns"]
    del columns["name"]
    with pytest.raises(ConfigError) as info:
        parse_source_spec(registry_spec_data(columns=columns, key=["uscc"]))
    assert _messages(info.value) == [
        "<source>: required column 'name' is neither mapped nor given a default"
    ]


def test_a_required_column_cannot_turn_bad_values_into_nulls() -> None:
    columns = registry_spec_data()["columns"] | {"name": {"column": "企业名称", "on_error": "null"}}
    with pytest.raises(ConfigError, match="'name' is required, so on_error cannot be null"):
        parse_source_spec(registry_spec_data(columns=columns))


@pytest.mark.parametrize("column", ["id", "source", "record_hash", "adcode_source"])
def test_columns_that_ingest_fills_cannot_be_mapped(column: str) -> None:
    columns = registry_spec_data()["columns"] | {column: "某列"}
    with pytest.raises(ConfigError, match=f"column '{column}' is set by ingest"):
        parse_source_spec(registry_spec_data(columns=columns))


def test_a_default_must_parse_as_its_column() -> None:
    with pytest.raises(ConfigError, match="default for 'established_on': not a date: '明天'"):
        parse_source_spec(registry_spec_data(defaults={"established_on": "明天"}))


def test_a_default_for_a_vocabulary_column_must_be_a_term() -> None:
    with pytest.raises(ConfigError, match="unknown enterprise_status value '营业中'"):
        parse_source_spec(registry_spec_data(defaults={"status": "营业中"}))


def test_unit_must_be_one_the_money_parser_knows() -> None:
    columns = registry_spec_data()["columns"] | {
        "registered_capital": {"column": "注册资本", "unit": "百万"}
    }
    with pytest.raises(ConfigError, match="unknown unit '百万'"):
        parse_source_spec(registry_spec_data(columns=columns))


def test_split_applies_only_to_list_columns() -> None:
    columns = registry_spec_data()["columns"] | {"name": {"column": "企业名称", "split": ";"}}
    with pytest.raises(ConfigError, match="split applies only to list columns"):
        parse_source_spec(registry_spec_data(columns=columns))


def test_an_unknown_encoding_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown encoding 'gb9999'"):
        parse_source_spec(registry_spec_data(encoding="gb9999"))


def test_an_unknown_table_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown table 'companies'; known: .*enterprise"):
        parse_source_spec(registry_spec_data(table="companies"))


def test_only_entity_tables_with_provenance_can_be_loaded() -> None:
    with pytest.raises(ConfigError, match="table 'finding' is not an entity table"):
        parse_source_spec(registry_spec_data(table="finding"))


def test_a_location_without_a_known_suffix_needs_a_format() -> None:
    with pytest.raises(ConfigError, match=r"cannot tell the format of 'export\.dat'"):
        parse_source_spec(registry_spec_data(location="export.dat"))


def test_changing_the_mapping_changes_the_config_hash() -> None:
    assert registry_spec().config_hash() != registry_spec(mode="upsert").config_hash()


def test_discover_sources_finds_every_source_folder(tmp_path: Path) -> None:
    _write(tmp_path, GOOD_YAML)
    branch = GOOD_YAML.replace("id: registry", "id: branch").replace(
        "id_prefix: ent", "id_prefix: br"
    )
    _write(tmp_path, branch, "branch")
    assert sorted(discover_sources(tmp_path)) == ["branch", "registry"]


def test_discover_sources_of_a_workspace_without_sources_is_empty(tmp_path: Path) -> None:
    assert discover_sources(tmp_path / "sources") == {}


def test_discover_sources_reports_problems_of_all_files(tmp_path: Path) -> None:
    _write(tmp_path, GOOD_YAML.replace("pii: personal", "pii: secret"))
    other = _write(tmp_path, GOOD_YAML.replace("id_prefix: ent", "id_prefix: br"), "branch")
    with pytest.raises(ConfigError) as info:
        discover_sources(tmp_path)
    messages = _messages(info.value)
    assert len(messages) == 2
    assert messages[0] == f"{other}: source id 'registry' differs from its folder name 'branch'"
    assert "pii: Input should be" in messages[1]


def test_sources_of_one_table_need_distinct_id_prefixes(tmp_path: Path) -> None:
    _write(tmp_path, GOOD_YAML)
    _write(tmp_path, GOOD_YAML.replace("id: registry", "id: branch"), "branch")
    with pytest.raises(ConfigError, match="both feed table 'enterprise' with id_prefix 'ent'"):
        discover_sources(tmp_path)
