"""Rule SQL trees: stages split off ``AS MATERIALIZED`` CTEs (engine-independent)."""

from __future__ import annotations

from smokewatch.engine.sql import parse, referenced_tables, split_stages, staged_ctes

QUERY = """
with a as (select id from t),
b as materialized (select id from a),
c as (select b.id from b join a on a.id = b.id),
d as materialized (select c.id from c join b x on x.id = c.id)
select d.id from d join b on b.id = d.id join c on c.id = d.id
"""


def test_a_query_without_materialised_ctes_is_one_query() -> None:
    tree = parse("with a as (select 1 as x) select x from a")
    assert split_stages(tree, "__p") == ([], tree)
    assert staged_ctes(tree) == []


def test_materialised_ctes_become_stages_in_order_reading_earlier_stages_as_tables() -> None:
    stages, rest = split_stages(parse(QUERY), "__p")
    assert [(s.cte, s.table) for s in stages] == [("b", "__p_b"), ("d", "__p_d")]
    assert referenced_tables(stages[0].query) == {"t"}
    assert referenced_tables(stages[1].query) == {"t", "__p_b"}
    assert referenced_tables(rest) == {"t", "__p_b", "__p_d"}
    assert "MATERIALIZED" not in " ".join(s.query.sql() for s in stages) + rest.sql()


def test_stage_references_keep_their_aliases() -> None:
    _, rest = split_stages(parse(QUERY), "__p")
    sql = rest.sql(dialect="spark")
    assert "FROM __p_d AS d JOIN __p_b AS b ON b.id = d.id" in sql
    assert sql.startswith("WITH a AS")
