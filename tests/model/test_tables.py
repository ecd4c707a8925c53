"""Typed tables and vocabularies load, render as Arrow, and stay consistent."""

from __future__ import annotations

import re

import pytest

from smokewatch.errors import ConfigError
from smokewatch.model.ids import content_hash, make_id
from smokewatch.model.tables import PROVENANCE_COLUMNS, ColumnType, get_table, load_tables
from smokewatch.model.tables import _parse_table as parse_table
from smokewatch.model.vocab import get_vocabulary, load_vocabularies


def test_entity_tables_carry_provenance_columns() -> None:
    schema = get_table("enterprise").arrow_schema()
    assert [c.name for c in PROVENANCE_COLUMNS] == schema.names[-len(PROVENANCE_COLUMNS) :]


def test_columns_with_a_vocabulary_name_an_existing_one() -> None:
    vocabularies = load_vocabularies()
    for table in load_tables().values():
        for column in table.columns:
            assert column.vocab is None or column.vocab in vocabularies, (table.name, column.name)


def test_unknown_tables_name_the_known_ones() -> None:
    with pytest.raises(KeyError, match="enterprise"):
        get_table("enterprises")


def test_typology_keys_are_dotted_lowercase() -> None:
    for key in get_vocabulary("typology").terms:
        assert re.fullmatch(r"[a-z]+(\.[a-z][a-z0-9_]*)+", key), key


def test_synonyms_map_registry_wording_to_terms() -> None:
    status = get_vocabulary("enterprise_status")
    assert status.resolve("存续") == "active"
    assert status.resolve("吊销，未注销") == "revoked"
    assert status.resolve("不知道") is None


def test_every_licence_kind_has_labels_and_an_authorises_list() -> None:
    for term in get_vocabulary("licence_kind").terms.values():
        assert term.label_zh and term.label_en
        assert isinstance(term.attrs.get("authorises"), list), term.id


def test_ids_are_stable_prefixed_and_never_shared_by_empty_keys() -> None:
    assert make_id("ent", "uscc", "X") == make_id("ent", "uscc", "X")
    assert make_id("ent", "uscc", "X") != make_id("lic", "uscc", "X")
    assert make_id("ent", None, " ") is None
    assert content_hash(None) != content_hash("")


def test_amounts_are_unsigned_unless_the_table_declares_them_signed() -> None:
    report = get_table("org_report")
    signed = {c.name for c in report.columns if c.signed}
    assert signed == {"net_assets", "net_profit"}
    assert not any(c.signed for c in get_table("loan_flow").columns)


def test_only_decimal_columns_may_be_signed() -> None:
    raw = {
        "name": "t",
        "key": ["id"],
        "columns": [
            {"name": "id", "type": "string"},
            {"name": "count", "type": "int64", "signed": True},
        ],
    }
    with pytest.raises(ConfigError, match="signed applies only to decimal"):
        parse_table(raw, "t.yml")


def test_every_signed_column_is_a_decimal() -> None:
    for table in load_tables().values():
        for column in table.columns:
            assert not column.signed or column.type is ColumnType.DECIMAL, column.name
