from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smokewatch.demo import document_source_yaml, licence_source_yaml, registry_source_yaml
from smokewatch.demo.pools import load_pools
from smokewatch.demo.records import DOCUMENT_COLUMNS, LICENCE_COLUMNS, REGISTRY_COLUMNS
from smokewatch.demo.registry import STATUS_WEIGHTS
from smokewatch.demo.sources import document_wordings
from smokewatch.errors import InvalidInput
from smokewatch.ingest.spec import load_source_spec
from smokewatch.model.tables import get_table
from smokewatch.model.vocab import get_vocabulary


def _header(mapping: str | dict[str, str]) -> str:
    return mapping if isinstance(mapping, str) else mapping["column"]


def test_registry_source_maps_every_export_header() -> None:
    spec = yaml.safe_load(registry_source_yaml())
    assert {_header(m) for m in spec["columns"].values()} == set(REGISTRY_COLUMNS)


def test_registry_source_names_only_enterprise_columns() -> None:
    spec = yaml.safe_load(registry_source_yaml())
    columns = set(get_table("enterprise").column_names)
    assert set(spec["columns"]) <= columns
    assert spec["columns"]["registered_capital"]["currency_column"] in columns


def test_registry_source_is_keyed_by_uscc_in_snapshot_mode() -> None:
    spec = yaml.safe_load(registry_source_yaml())
    assert spec["key"] == ["uscc"]
    assert spec["mode"] == "snapshot"


def test_registry_status_wording_resolves_through_synonyms_or_lookups() -> None:
    lookups = yaml.safe_load(registry_source_yaml())["lookups"]["status"]
    vocabulary = get_vocabulary("enterprise_status")
    assert all(vocabulary.resolve(w) or lookups.get(w) in vocabulary for w in STATUS_WEIGHTS)


def test_registry_source_states_the_csv_encoding() -> None:
    spec = yaml.safe_load(registry_source_yaml(encoding="utf-8", location="/data/big.csv"))
    assert spec["encoding"] == "utf-8"
    assert spec["location"] == "/data/big.csv"


def test_parquet_registry_source_has_no_csv_options() -> None:
    spec = yaml.safe_load(registry_source_yaml(fmt="parquet", location="data/r.parquet"))
    assert spec["format"] == "parquet"
    assert "encoding" not in spec
    assert "delimiter" not in spec


def test_unknown_registry_formats_are_refused() -> None:
    with pytest.raises(InvalidInput, match="xlsx"):
        registry_source_yaml(fmt="xlsx")


def test_licence_source_maps_every_register_header_to_licence_columns() -> None:
    spec = yaml.safe_load(licence_source_yaml())
    assert {v: k for k, v in spec["columns"].items()} == dict(LICENCE_COLUMNS)
    assert set(spec["columns"]) <= set(get_table("licence").column_names)


def test_every_licence_wording_resolves_to_its_kind() -> None:
    lookups = yaml.safe_load(licence_source_yaml())["lookups"]["kind"]
    vocabulary = get_vocabulary("licence_kind")
    for style in load_pools().licence_styles.values():
        assert (vocabulary.resolve(style.wording) or lookups[style.wording]) == style.kind


def test_licence_source_reads_the_named_sheet_keyed_by_kind_and_number() -> None:
    spec = yaml.safe_load(licence_source_yaml())
    assert spec["format"] == "xlsx"
    assert spec["sheet"] == "金融牌照登记"
    assert spec["key"] == [["kind", "number"]]


def test_document_source_is_a_valid_source_spec(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "source.yml").write_text(document_source_yaml(), encoding="utf-8")
    spec = load_source_spec(folder / "source.yml")
    assert (spec.id, spec.table, spec.format, spec.encoding) == (
        "documents",
        "document",
        "jsonl",
        "utf-8",
    )
    assert spec.key == (("reference",),)


def test_document_source_maps_every_export_key_to_document_columns() -> None:
    spec = yaml.safe_load(document_source_yaml())
    assert {v: k for k, v in spec["columns"].items()} == dict(DOCUMENT_COLUMNS)
    assert set(spec["columns"]) <= set(get_table("document").column_names)


def test_every_document_wording_resolves_to_a_kind() -> None:
    spec = yaml.safe_load(document_source_yaml())
    lookups = spec.get("lookups", {}).get("kind", {})
    vocabulary = get_vocabulary("document_kind")
    assert all(vocabulary.resolve(w) or lookups.get(w) in vocabulary for w in document_wordings())
