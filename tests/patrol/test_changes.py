"""Changes between runs: new, changed (with the lines), gone and not reached."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smokewatch.patrol.changes import compare_runs
from smokewatch.patrol.evidence import ObjectStore


def page(objects: ObjectStore, url: str, text: str | None, status: int = 200) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": "page",
        "site": "s",
        "url": url,
        "status": status,
        "title": url,
    }
    if text is not None:
        entry["artefacts"] = {"text": objects.put(text.encode()).as_dict()}
    return entry


def test_each_kind_of_change_is_found(tmp_path: Path) -> None:
    objects = ObjectStore(tmp_path)
    before = {
        "u/same": page(objects, "u/same", "不变"),
        "u/rate": page(objects, "u/rate", "标题\n年化12%\n保本"),
        "u/down": page(objects, "u/down", "年化15%"),
        "u/skip": page(objects, "u/skip", "旧页"),
    }
    after = {
        "u/same": page(objects, "u/same", "不变"),
        "u/rate": page(objects, "u/rate", "标题\n年化18%\n保本"),
        "u/down": page(objects, "u/down", None, status=404),
        "u/new": page(objects, "u/new", "新产品"),
    }
    result = compare_runs(before, after, objects, before_run="r1", after_run="r2")
    kinds = {c.url: c.change for c in result.changes}
    assert kinds == {"u/rate": "changed", "u/down": "gone", "u/new": "new", "u/skip": "not_reached"}
    assert result.unchanged == 1
    assert dict(result.counts) == {"new": 1, "changed": 1, "gone": 1, "not_reached": 1}


def test_a_changed_page_lists_the_lines_added_and_removed(tmp_path: Path) -> None:
    objects = ObjectStore(tmp_path)
    before = {"u": page(objects, "u", "标题\n年化12%\n保本")}
    after = {"u": page(objects, "u", "标题\n年化18%\n保本\n推荐返1%")}
    (change,) = compare_runs(before, after, objects, before_run="r1", after_run="r2").changes
    assert (change.lines_added, change.lines_removed) == (2, 1)
    assert change.added == ("年化18%", "推荐返1%")
    assert change.removed == ("年化12%",)


def test_a_gone_page_carries_the_later_status(tmp_path: Path) -> None:
    objects = ObjectStore(tmp_path)
    before = {"u": page(objects, "u", "年化15%")}
    after = {"u": page(objects, "u", None, status=410)}
    (change,) = compare_runs(before, after, objects, before_run="r1", after_run="r2").changes
    assert (change.change, change.status) == ("gone", 410)


def test_every_page_of_a_first_run_is_new(tmp_path: Path) -> None:
    objects = ObjectStore(tmp_path)
    after = {"a": page(objects, "a", "x"), "b": page(objects, "b", "y")}
    result = compare_runs({}, after, objects, before_run=None, after_run="r1")
    assert [c.change for c in result.changes] == ["new", "new"]
