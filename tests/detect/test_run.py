"""Running rules: the Finding contract, on every engine."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smokewatch.detect.fixtures import fixture_table
from smokewatch.detect.rules import load_rule
from smokewatch.detect.run import run_rule, run_rules
from smokewatch.engine import Engine
from smokewatch.errors import RuleError
from smokewatch.model.tables import get_table
from tests.detect.conftest import POSITIVE, WriteRule

AS_OF = date(2026, 11, 1)

PY_RULE_EXTRA: dict[str, Any] = {
    "id": "SW-R-9002",
    "name": "name_mentions_word",
    "logic": {"python": "detector.py:name_mentions_word"},
    "parameters": {"word": {"type": "str", "default": "财富", "doc": "Word to look for."}},
    "metrics": {"position": {"type": "int", "doc": "1-based position of the word."}},
    "bands": [
        {
            "code": "hit",
            "when": "position > 0",
            "reason": {
                "zh": "名称第{position}个字起含“{word}”",
                "en": "Name has {word} at {position}",
            },
        }
    ],
}

PY_BODY = """
from __future__ import annotations

import functools
import json

import pyarrow as pa

SCHEMA = pa.schema(
    [("subject_id", pa.string()), ("position", pa.int64()), ("evidence", pa.string())]
)


def _find(batches, word):
    for batch in batches:
        ids, positions, evidence = [], [], []
        for sid, name in zip(batch.column("id").to_pylist(), batch.column("name").to_pylist()):
            pos = name.find(word)
            if pos >= 0:
                ids.append(sid)
                positions.append(pos + 1)
                evidence.append(json.dumps([{"field": "name", "start": pos, "text": word}]))
        columns = {"subject_id": ids, "position": positions, "evidence": evidence}
        yield pa.RecordBatch.from_pydict(columns, schema=SCHEMA)


def name_mentions_word(ctx):
    ent = ctx.table("enterprise")
    find = functools.partial(_find, word=ctx.params["word"])
    return ctx.map_batches(ent.select("id", "name"), find, SCHEMA, step="find")
"""


def _load_enterprises(engine: Engine, rows: list[dict[str, Any]]) -> None:
    engine.replace_tables({"enterprise": fixture_table(get_table("enterprise"), rows, "test")})


def test_a_sql_rule_produces_findings_with_bands_reasons_metrics_and_evidence(
    engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    rule = load_rule(write_rule(sql_rule_spec))
    _load_enterprises(engine, POSITIVE["tables"]["enterprise"])
    findings = run_rule(engine, rule, as_of=AS_OF, run_id="r1", lexicons={}).to_pylist()
    assert [(f["subject_id"], f["band"], f["severity"]) for f in findings] == [
        ("e1", "huge", "high"),
        ("e2", "high", "medium"),
    ]
    first = findings[0]
    assert first["rule_id"] == "SW-R-9001" and first["rule_version"] == 1
    assert first["reason_zh"] == "注册资本1,000,000,000元，超过门槛100000000元十倍"
    assert json.loads(first["metrics"]) == {"capital": 1000000000}
    assert json.loads(first["evidence"]) == [{"field": "registered_capital", "value": 1000000000}]
    assert first["subject_name"] == "芜湖甲公司"
    assert first["engine"] == engine.name and first["run_id"] == "r1" and first["as_of"] == AS_OF


def test_finding_ids_are_deterministic(
    engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    rule = load_rule(write_rule(sql_rule_spec))
    _load_enterprises(engine, POSITIVE["tables"]["enterprise"])
    one = run_rule(engine, rule, as_of=AS_OF, run_id="r1", lexicons={})
    two = run_rule(engine, rule, as_of=AS_OF, run_id="r2", lexicons={})
    assert one.column("id").to_pylist() == two.column("id").to_pylist()


def test_parameter_overrides_change_the_outcome(
    engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    rule = load_rule(write_rule(sql_rule_spec))
    _load_enterprises(engine, POSITIVE["tables"]["enterprise"])
    findings = run_rule(
        engine, rule, as_of=AS_OF, run_id="r", lexicons={}, overrides={"min_capital": 1000000}
    )
    assert findings.column("band").to_pylist() == ["huge", "huge", "high"]


def test_a_python_rule_runs_over_arrow_batches(
    engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    spec = {**sql_rule_spec, **PY_RULE_EXTRA}
    rule = load_rule(write_rule(spec, body=("detector.py", PY_BODY)))
    _load_enterprises(
        engine,
        [{"id": "a", "name": "芜湖财富管理有限公司"}, {"id": "b", "name": "芜湖商贸有限公司"}],
    )
    findings = run_rule(engine, rule, as_of=AS_OF, run_id="r", lexicons={}).to_pylist()
    assert [(f["subject_id"], f["reason_zh"]) for f in findings] == [("a", "名称第3个字起含“财富”")]


def test_a_python_body_may_read_only_declared_inputs(
    engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    spec = {**sql_rule_spec, **PY_RULE_EXTRA}
    body = PY_BODY.replace('ctx.table("enterprise")', 'ctx.table("licence")')
    rule = load_rule(write_rule(spec, body=("detector.py", body)))
    with pytest.raises(RuleError, match="do not declare"):
        run_rule(engine, rule, as_of=AS_OF, run_id="r", lexicons={})


def test_inputs_never_loaded_are_empty_typed_tables(
    engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    rule = load_rule(write_rule(sql_rule_spec))
    findings = run_rule(engine, rule, as_of=AS_OF, run_id="r", lexicons={})
    assert findings.num_rows == 0
    assert findings.schema.equals(get_table("finding").arrow_schema())


def test_testing_rules_produce_shadow_findings_and_drafts_are_skipped(
    duckdb_engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any], tmp_path: Path
) -> None:
    testing = load_rule(write_rule(dict(sql_rule_spec, status="testing")))
    draft = load_rule(write_rule(dict(sql_rule_spec, id="SW-R-9003", status="draft")))
    _load_enterprises(duckdb_engine, POSITIVE["tables"]["enterprise"])
    result = run_rules(duckdb_engine, [testing, draft], as_of=AS_OF, run_id="r", lexicons={})
    assert [o.rule_id for o in result.outcomes] == ["SW-R-9001"]
    assert set(result.findings.column("shadow").to_pylist()) == {True}
    assert result.outcomes[0].bands == {"high": 1, "huge": 1}


def test_a_body_with_two_rows_for_one_subject_is_refused(
    duckdb_engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    body = (
        "select id as subject_id, registered_capital as capital "
        "from enterprise, (select 1 union all select 2)"
    )
    rule = load_rule(write_rule(sql_rule_spec, body=("query.sql", body)))
    _load_enterprises(duckdb_engine, POSITIVE["tables"]["enterprise"])
    with pytest.raises(RuleError, match="one row per subject"):
        run_rule(duckdb_engine, rule, as_of=AS_OF, run_id="r", lexicons={})


STAGED_BODY = """
with active as materialized (
  select id, name, registered_capital as capital from enterprise where status = 'active'
),
big as (select * from active where capital >= :min_capital),
named as materialized (select b.id, b.name, b.capital from big b join active a on a.id = b.id)
select id as subject_id, name as subject_name, capital,
       to_json([struct_pack(field := 'registered_capital', value := capital)]) as evidence
from named
"""


def test_materialised_ctes_run_as_stages_with_the_same_findings_and_are_dropped(
    engine: Engine, write_rule: WriteRule, sql_rule_spec: dict[str, Any]
) -> None:
    plain = load_rule(write_rule(sql_rule_spec))
    staged_spec = {**sql_rule_spec, "id": "SW-R-9003"}
    staged = load_rule(write_rule(staged_spec, body=("query.sql", STAGED_BODY)))
    _load_enterprises(engine, POSITIVE["tables"]["enterprise"])
    one = run_rule(engine, plain, as_of=AS_OF, run_id="r", lexicons={}).to_pylist()
    two = run_rule(engine, staged, as_of=AS_OF, run_id="r", lexicons={}).to_pylist()
    keys = ("subject_id", "band", "metrics", "evidence", "reason_en")
    assert [[f[k] for k in keys] for f in two] == [[f[k] for k in keys] for f in one]
    assert len(two) == 2
    stages = {"__sw_sw_r_9003_active", "__sw_sw_r_9003_named"}
    assert stages.isdisjoint(engine.list_tables())
