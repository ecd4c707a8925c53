"""The address resolver's tables: the shipped keyword table and the nodes built on lookup."""

from __future__ import annotations

import gzip
import json

import pytest

from smokewatch.model.divisions import Level, load_divisions
from smokewatch.text.address_table import (
    Nodes,
    build_keyword_table,
    read_keyword_table,
    shipped_keyword_table,
)


def test_the_shipped_keyword_table_is_what_the_division_table_gives() -> None:
    # Fails when divisions.csv.gz or the keyword rules changed without
    # `python contrib/build_text_tables.py`.
    assert shipped_keyword_table() == build_keyword_table(load_divisions())


def test_the_shipped_table_holds_full_names_and_short_forms() -> None:
    table = read_keyword_table(shipped_keyword_table())
    assert table is not None
    assert table["芜湖市"] == (("340200",), False, False)
    assert table["芜湖"] == (("340200",), True, False)
    assert table["城区"][2], "a generic name needs a parent"


def test_a_table_built_from_another_division_table_is_not_read() -> None:
    document = json.loads(gzip.decompress(shipped_keyword_table()))
    document["divisions_sha256"] = "0" * 64
    stale = gzip.compress(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    assert read_keyword_table(stale) is None


def test_a_node_is_built_when_first_looked_up() -> None:
    nodes = Nodes(load_divisions())
    assert "340202" in nodes
    assert not dict(nodes), "nothing is built before a lookup"
    node = nodes["340202"]
    assert node.path_names == ("安徽省", "芜湖市", "镜湖区")
    assert node.chain == ("340000", "340200", "340202")
    assert node.city == "340200"
    assert list(nodes) == ["340202"]


def test_a_city_without_counties_is_a_city_under_its_province() -> None:
    node = Nodes(load_divisions())["441900"]  # 东莞市, listed as city and as its own county
    assert node.level is Level.CITY
    assert node.chain == ("440000", "441900")


def test_an_unknown_code_is_no_node() -> None:
    nodes = Nodes(load_divisions())
    assert "999999" not in nodes
    with pytest.raises(KeyError):
        nodes["999999"]
