"""Resolving a workspace: Splink without labels, judgements respected, ids stable."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from smokewatch.demo.resolution import resolution_table
from smokewatch.errors import InvalidInput, NotFound
from smokewatch.services.resolve import explain, judge, run_resolution
from smokewatch.services.workspace import init_workspace, open_engine
from smokewatch.settings import Settings, load_settings
from tests.model.builders import typed_table


def _pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = {}
    for record, group in groups.items():
        by.setdefault(group, []).append(record)
    return {(a, b) for g in by.values() for a in g for b in g if a < b}


@pytest.fixture(scope="module")
def planted() -> pa.Table:
    return resolution_table(1200, seed=11, duplicate_share=0.25)


@pytest.fixture
def ws(tmp_path: Path, planted: pa.Table) -> Settings:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200")
    settings = load_settings(root)
    rows = [{k: v for k, v in row.items() if k != "truth"} for row in planted.to_pylist()]
    with open_engine(settings) as engine:
        engine.replace_tables({"enterprise": typed_table("enterprise", rows)})
    return settings


def _entities(settings: Settings) -> dict[str, str]:
    with open_engine(settings) as engine:
        table = engine.to_arrow(engine.table("entity_cluster"))
    return dict(zip(table["record_id"].to_pylist(), table["entity_id"].to_pylist(), strict=True))


def test_planted_duplicates_are_found_without_labels(ws: Settings, planted: pa.Table) -> None:
    summary = run_resolution(ws)
    assert summary.records == planted.num_rows
    truth = dict(zip(planted["id"].to_pylist(), planted["truth"].to_pylist(), strict=True))
    expected, found = _pairs(truth), _pairs(_entities(ws))
    precision = len(found & expected) / len(found)
    recall = len(found & expected) / len(expected)
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)


def test_a_rerun_keeps_every_entity_id(ws: Settings) -> None:
    run_resolution(ws)
    before = _entities(ws)
    run_resolution(ws)
    assert _entities(ws) == before


def test_a_judgement_splits_at_once_and_survives_a_rerun(ws: Settings) -> None:
    run_resolution(ws)
    entities = _entities(ws)
    left, right = next(
        (a, b) for a in entities for b in entities if a < b and entities[a] == entities[b]
    )
    kept = entities[left]
    result = judge(ws, left, right, same=False, actor="alice", note="不同主体")
    assert result["left"]["entity_id"] != result["right"]["entity_id"]
    assert kept in (result["left"]["entity_id"], result["right"]["entity_id"])
    run_resolution(ws)
    after = _entities(ws)
    assert after[left] != after[right]
    shown = explain(ws, left)
    assert [j["actor"] for j in shown["judgements"]] == ["alice"]


def test_explain_shows_the_weights_that_add_up(ws: Settings) -> None:
    run_resolution(ws)
    entities = _entities(ws)
    record = next(r for r in entities if sum(e == entities[r] for e in entities.values()) > 1)
    shown = explain(ws, entities[record])
    assert record in {r["record_id"] for r in shown["records"]}
    for pair in shown["pairs"]:
        total = pair["prior_weight"] + sum(c["weight"] for c in pair["comparisons"])
        assert total == pytest.approx(pair["match_weight"], abs=1e-2)
    with pytest.raises(NotFound):
        explain(ws, "nobody")


def test_judging_needs_a_run_and_two_known_records(ws: Settings, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="resolve run"):
        judge(ws, "a", "b", same=True, actor="alice")
    run_resolution(ws)
    with pytest.raises(NotFound, match="no such record"):
        judge(ws, "a", "b", same=True, actor="alice")
    with pytest.raises(InvalidInput):
        judge(ws, "a", "a", same=True, actor="alice")
    empty = tmp_path / "empty"
    init_workspace(empty, title="空", adcode="340200")
    with pytest.raises(InvalidInput, match="ingest a registry"):
        run_resolution(load_settings(empty))
