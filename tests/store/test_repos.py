"""Repository functions: runs, rejects, findings and the published-rule registry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from smokewatch.errors import Conflict, InvalidInput, NotFound
from smokewatch.store import Finding, Run, RunStatus, Store, _bulk, repos

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def _add_run(store: Store, run_id: str, kind: str = "detect", **fields: Any) -> None:
    with store.unit_of_work() as session:
        repos.add_run(session, run_id=run_id, kind=kind, **fields)


def f(n: int, **fields: Any) -> dict[str, Any]:
    """A finding row of the Finding contract; ``fields`` override the defaults."""
    row: dict[str, Any] = {
        "id": f"fnd-{n:06d}",
        "subject_id": f"ent-{n % 7}",
        "subject_table": "enterprise",
        "subject_name": f"芜湖第{n}财富管理有限公司",
        "rule_id": "SW-R-0001",
        "rule_version": 1,
        "severity": "high",
        "band": "few",
        "reason_zh": "企业名称含“财富管理”，未查到金融牌照",
        "reason_en": "Name contains 'wealth management'; no financial licence on file",
        "metrics": {"n_terms": 1, "terms": ["财富管理"]},
        "evidence": [{"field": "name", "match": "财富管理", "pos": 4}],
        "as_of": date(2026, 11, 1),
        "shadow": False,
        "engine": "duckdb 1.4.4",
    }
    row.update(fields)
    return row


def _store_findings(store: Store, run_id: str, rows: list[dict[str, Any]]) -> int:
    with store.unit_of_work() as session:
        return repos.replace_findings(session, run_id, rows)


def _all_findings(store: Store) -> list[Finding]:
    with store.read_session() as session:
        return list(session.scalars(sa.select(Finding).order_by(Finding.id)))


def _findings(store: Store, **filters: Any) -> tuple[list[str], int]:
    with store.read_session() as session:
        rows, total = repos.list_findings(session, **filters)
    return [r.id for r in rows], total


def _comparable(finding: Finding) -> dict[str, Any]:
    return {c.key: getattr(finding, c.key) for c in sa.inspect(Finding).column_attrs}


# -- runs -----------------------------------------------------------------------------------


def test_a_new_run_is_running(store: Store) -> None:
    _add_run(store, "ing-1", kind="ingest", source_id="registry", engine="duckdb 1.4.4")
    with store.read_session() as session:
        run = repos.get_run_or_raise(session, "ing-1")
    assert (run.status, run.source_id, run.finished_at, run.stats) == (
        RunStatus.RUNNING,
        "registry",
        None,
        {},
    )


def test_unknown_run_kind_is_invalid_input(store: Store) -> None:
    with pytest.raises(InvalidInput, match="unknown run kind 'crawl'"), store.unit_of_work() as s:
        repos.add_run(s, run_id="x", kind="crawl")


def test_finish_run_records_status_stats_and_error(store: Store) -> None:
    _add_run(store, "ing-1", kind="ingest", started_at=T0)
    with store.unit_of_work() as session:
        repos.finish_run(
            session,
            "ing-1",
            status="failed",
            stats={"read": 10, "rejected": 10},
            error="文件编码无法识别",
            finished_at=T0 + timedelta(seconds=3),
        )
    with store.read_session() as session:
        run = repos.get_run_or_raise(session, "ing-1")
    assert (run.status, run.stats, run.error, run.finished_at) == (
        RunStatus.FAILED,
        {"read": 10, "rejected": 10},
        "文件编码无法识别",
        T0 + timedelta(seconds=3),
    )


def test_a_finished_run_cannot_finish_again(store: Store) -> None:
    _add_run(store, "ing-1")
    with store.unit_of_work() as session:
        repos.finish_run(session, "ing-1", status="succeeded")
    with pytest.raises(Conflict, match="already finished"), store.unit_of_work() as session:
        repos.finish_run(session, "ing-1", status="failed")


def test_a_run_cannot_finish_as_running(store: Store) -> None:
    _add_run(store, "ing-1")
    with pytest.raises(InvalidInput, match="running"), store.unit_of_work() as session:
        repos.finish_run(session, "ing-1", status="running")


def test_finishing_an_unknown_run_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="no run 'nope'"), store.unit_of_work() as session:
        repos.finish_run(session, "nope", status="succeeded")


def test_get_run_or_raise_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFound), store.read_session() as session:
        repos.get_run_or_raise(session, "nope")


def test_list_runs_gives_latest_first(store: Store) -> None:
    for n in range(3):
        _add_run(store, f"run-{n}", started_at=T0 + timedelta(minutes=n))
    with store.read_session() as session:
        assert [r.id for r in repos.list_runs(session)] == ["run-2", "run-1", "run-0"]


def test_list_runs_filters_by_kind_and_limits(store: Store) -> None:
    for n in range(4):
        _add_run(store, f"run-{n}", kind="ingest" if n % 2 else "detect", started_at=T0)
    with store.read_session() as session:
        assert [r.id for r in repos.list_runs(session, kind="ingest", limit=1)] == ["run-3"]


# -- rejects --------------------------------------------------------------------------------


def _rejects(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "source_id": "registry",
            "row_number": i + 2,
            "reason": "统一社会信用代码校验位错误",
            "column": "uscc",
            "raw": {"企业名称": f"芜湖{i}号公司", "统一社会信用代码": "91340200MA2N0XXX0Y"},
        }


def test_add_rejects_stores_every_row_of_a_generator(store: Store) -> None:
    _add_run(store, "ing-1", kind="ingest")
    count = _bulk.CHUNK_SIZE * 2 + 7  # spans several executemany chunks
    with store.unit_of_work() as session:
        assert repos.add_rejects(session, "ing-1", _rejects(count)) == count
    with store.read_session() as session:
        assert repos.count_rejects(session, "ing-1") == count


def test_list_rejects_pages_in_source_row_order(store: Store) -> None:
    _add_run(store, "ing-1", kind="ingest")
    with store.unit_of_work() as session:
        repos.add_rejects(session, "ing-1", reversed(list(_rejects(10))))
    with store.read_session() as session:
        page = repos.list_rejects(session, "ing-1", limit=3, offset=3)
    assert [r.row_number for r in page] == [5, 6, 7]
    assert page[0].raw == {"企业名称": "芜湖3号公司", "统一社会信用代码": "91340200MA2N0XXX0Y"}
    assert (page[0].column, page[0].source_id) == ("uscc", "registry")


def test_list_rejects_shows_only_the_runs_own(store: Store) -> None:
    _add_run(store, "ing-1", kind="ingest")
    _add_run(store, "ing-2", kind="ingest")
    with store.unit_of_work() as session:
        repos.add_rejects(session, "ing-1", _rejects(2))
        repos.add_rejects(session, "ing-2", _rejects(5))
    with store.read_session() as session:
        assert len(repos.list_rejects(session, "ing-1")) == 2


def test_a_reject_without_reason_is_invalid_input(store: Store) -> None:
    _add_run(store, "ing-1", kind="ingest")
    with pytest.raises(InvalidInput, match="reject #0: missing reason"), store.unit_of_work() as s:
        repos.add_rejects(s, "ing-1", [{"source_id": "registry", "row_number": 2}])


def test_rejects_of_an_unknown_run_are_a_conflict(store: Store) -> None:
    with pytest.raises(Conflict), store.unit_of_work() as session:
        repos.add_rejects(session, "nope", _rejects(1))


def test_rejects_are_deleted_with_their_run(store: Store) -> None:
    _add_run(store, "ing-1", kind="ingest")
    with store.unit_of_work() as session:
        repos.add_rejects(session, "ing-1", _rejects(3))
    with store.unit_of_work() as session:
        session.execute(sa.delete(Run).where(Run.id == "ing-1"))
    with store.read_session() as session:
        assert repos.count_rejects(session, "ing-1") == 0


# -- findings -------------------------------------------------------------------------------


def test_replace_findings_stores_the_contract_columns(store: Store) -> None:
    _add_run(store, "det-1")
    assert _store_findings(store, "det-1", [f(1)]) == 1
    (stored,) = _all_findings(store)
    expected = {**f(1), "run_id": "det-1"}
    assert {key: getattr(stored, key) for key in expected} == expected
    assert stored.created_at.tzinfo is UTC


def test_replace_findings_twice_with_the_same_rows_changes_nothing(store: Store) -> None:
    _add_run(store, "det-1")
    rows = [f(n) for n in range(50)]
    _store_findings(store, "det-1", rows)
    before = [_comparable(x) for x in _all_findings(store)]
    _store_findings(store, "det-1", rows)
    assert [_comparable(x) for x in _all_findings(store)] == before


def test_replace_findings_updates_a_finding_produced_again(store: Store) -> None:
    _add_run(store, "det-1")
    _store_findings(store, "det-1", [f(1)])
    _store_findings(store, "det-1", [f(1, band="many", metrics={"n_terms": 3})])
    (stored,) = _all_findings(store)
    assert (stored.band, stored.metrics) == ("many", {"n_terms": 3})


def test_a_later_run_takes_over_a_finding_and_keeps_its_first_time(store: Store) -> None:
    _add_run(store, "det-1")
    _add_run(store, "det-2")
    _store_findings(store, "det-1", [f(1)])
    (first,) = _all_findings(store)
    _store_findings(store, "det-2", [f(1)])
    (again,) = _all_findings(store)
    assert (again.run_id, again.created_at) == ("det-2", first.created_at)


def test_replace_findings_leaves_other_findings_alone(store: Store) -> None:
    _add_run(store, "det-1")
    _store_findings(store, "det-1", [f(1), f(2)])
    _store_findings(store, "det-1", [f(2)])
    assert [x.id for x in _all_findings(store)] == ["fnd-000001", "fnd-000002"]


def test_a_finding_repeated_within_one_call_keeps_the_last_row(store: Store) -> None:
    _add_run(store, "det-1")
    assert _store_findings(store, "det-1", [f(1, band="few"), f(1, band="many")]) == 2
    (stored,) = _all_findings(store)
    assert stored.band == "many"


def test_a_finding_of_another_run_is_invalid_input(store: Store) -> None:
    _add_run(store, "det-1")
    with pytest.raises(InvalidInput, match="belongs to run 'det-9'"):
        _store_findings(store, "det-1", [f(1, run_id="det-9")])


def test_a_finding_without_a_contract_column_is_invalid_input(store: Store) -> None:
    _add_run(store, "det-1")
    row = f(1)
    del row["reason_en"]
    with pytest.raises(InvalidInput, match="finding #0: missing reason_en"):
        _store_findings(store, "det-1", [row])
    assert _all_findings(store) == []


def test_findings_of_an_unknown_run_are_a_conflict(store: Store) -> None:
    with pytest.raises(Conflict):
        _store_findings(store, "nope", [f(1)])


@pytest.fixture
def listed(store: Store) -> Store:
    """Ten findings: two rules, three bands, two severities, one shadow, two runs."""
    _add_run(store, "det-1")
    _add_run(store, "det-2")
    _store_findings(
        store,
        "det-1",
        [
            f(1, rule_id="SW-R-0002", band="many", severity="critical"),
            f(2, rule_id="SW-R-0002", band="few"),
            f(3, band="few", as_of=date(2026, 10, 1)),
            f(4, band="many"),
            f(5, band="few", shadow=True),
        ],
    )
    _store_findings(store, "det-2", [f(n, band="single") for n in range(6, 11)])
    return store


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"rule_id": "SW-R-0002"}, ["fnd-000001", "fnd-000002"]),
        ({"subject_id": "ent-3"}, ["fnd-000003", "fnd-000010"]),
        ({"band": "many"}, ["fnd-000001", "fnd-000004"]),
        ({"severity": "critical"}, ["fnd-000001"]),
        ({"run_id": "det-1"}, ["fnd-000001", "fnd-000002", "fnd-000003", "fnd-000004"]),
        ({"rule_id": "SW-R-0001", "band": "few"}, ["fnd-000003"]),
        ({"band": "few", "include_shadow": True}, ["fnd-000002", "fnd-000003", "fnd-000005"]),
    ],
)
def test_list_findings_filters(listed: Store, filters: dict[str, Any], expected: list[str]) -> None:
    ids, total = _findings(listed, **filters)
    assert sorted(ids) == expected
    assert total == len(expected)


def test_list_findings_leaves_out_shadow_findings_by_default(listed: Store) -> None:
    ids, total = _findings(listed)
    assert "fnd-000005" not in ids
    assert total == 9


def test_list_findings_pages_cover_every_finding_once_in_a_stable_order(listed: Store) -> None:
    pages = [_findings(listed, limit=4, offset=offset) for offset in (0, 4, 8)]
    ids = [i for page, _ in pages for i in page]
    assert [total for _, total in pages] == [9, 9, 9]
    assert [len(page) for page, _ in pages] == [4, 4, 1]
    assert sorted(ids) == sorted(set(ids))
    assert ids == _findings(listed, limit=9)[0]
    assert ids[-1] == "fnd-000003"  # the oldest evaluation date comes last


@pytest.mark.parametrize(("limit", "offset"), [(-1, 0), (repos.MAX_PAGE + 1, 0), (10, -1)])
def test_list_findings_refuses_bad_pages(store: Store, limit: int, offset: int) -> None:
    with pytest.raises(InvalidInput), store.read_session() as session:
        repos.list_findings(session, limit=limit, offset=offset)


# -- rule registry --------------------------------------------------------------------------


def _publish(store: Store, content_hash: str, **fields: Any) -> None:
    values: dict[str, Any] = {
        "rule_id": "SW-R-0001",
        "version": 1,
        "status": "active",
        "title": "未持牌使用金融字样",
        "published_at": T0,
    }
    values.update(fields)
    with store.unit_of_work() as session:
        repos.publish_rule_version(session, content_hash=content_hash, **values)


def test_a_published_rule_version_can_be_read_back(store: Store) -> None:
    _publish(store, "a" * 64)
    with store.read_session() as session:
        stored = repos.get_rule_version(session, "SW-R-0001", 1)
    assert stored is not None
    assert (stored.content_hash, stored.title, stored.first_published_at) == (
        "a" * 64,
        "未持牌使用金融字样",
        T0,
    )


def test_an_unpublished_rule_version_is_none(store: Store) -> None:
    with store.read_session() as session:
        assert repos.get_rule_version(session, "SW-R-0001", 1) is None


def test_publishing_the_same_content_again_is_a_no_op(store: Store) -> None:
    _publish(store, "a" * 64)
    _publish(store, "a" * 64, title="changed", published_at=T0 + timedelta(days=1))
    with store.read_session() as session:
        stored = repos.get_rule_version(session, "SW-R-0001", 1)
    assert stored is not None
    assert (stored.title, stored.first_published_at) == ("未持牌使用金融字样", T0)


def test_publishing_different_content_under_a_published_version_is_a_conflict(
    store: Store,
) -> None:
    _publish(store, "a" * 64)
    with pytest.raises(Conflict, match="SW-R-0001@1 is already published"):
        _publish(store, "b" * 64)


def test_a_new_version_may_have_new_content(store: Store) -> None:
    _publish(store, "a" * 64)
    _publish(store, "b" * 64, version=2)
    with store.read_session() as session:
        stored = repos.get_rule_version(session, "SW-R-0001", 2)
    assert stored is not None
    assert stored.content_hash == "b" * 64
