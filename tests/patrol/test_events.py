"""A run's page changes become operator events: new pages, raised rates, guarantees, takedowns."""

from __future__ import annotations

from pathlib import Path

from smokewatch.patrol.changes import PageChange, RunChanges
from smokewatch.patrol.events import change_events, event_id
from smokewatch.patrol.evidence import ObjectStore

SITE = "鑫源财富"


def _objects(tmp_path: Path, *texts: str) -> tuple[ObjectStore, list[str]]:
    objects = ObjectStore(tmp_path / "objects")
    return objects, [objects.put(t.encode("utf-8")).sha256 for t in texts]


def _page(status: int = 200, site: str = SITE) -> dict[str, object]:
    return {"kind": "page", "site": site, "status": status}


def test_a_raised_rate_and_a_new_guarantee_are_events_beside_the_change(tmp_path: Path) -> None:
    objects, (old, new) = _objects(
        tmp_path, "稳健一号：年化收益12%。", "稳健一号：年化收益高达24%，保本保息。"
    )
    change = PageChange("changed", "http://x.cn/p/1", SITE, "稳健一号", before=old, after=new)
    events = change_events(RunChanges("r1", "r2", (change,)), objects, [_page()])
    by_kind = {e.kind: e for e in events}
    assert set(by_kind) == {"page_changed", "promise_raised", "guarantee_added"}
    raised = by_kind["promise_raised"]
    assert (
        raised.detail["rate_before"]["annual_rate"],
        raised.detail["rate_after"]["annual_rate"],
    ) == (12.0, 24.0)
    assert raised.summary_en.startswith("Promised return raised from 12% to 24%")
    assert by_kind["guarantee_added"].detail["terms"] == ["保本保息"]
    assert raised.detail["text_before"] == old and raised.detail["before_run"] == "r1"


def test_a_lowered_rate_is_a_change_but_no_raised_promise(tmp_path: Path) -> None:
    objects, (old, new) = _objects(tmp_path, "年化收益24%。", "年化收益6%。")
    change = PageChange("changed", "http://x.cn/p/1", SITE, before=old, after=new)
    kinds = [e.kind for e in change_events(RunChanges("r1", "r2", (change,)), objects, [_page()])]
    assert kinds == ["page_changed"]


def test_a_site_whose_pages_are_all_gone_is_taken_down(tmp_path: Path) -> None:
    objects, (old,) = _objects(tmp_path, "年化收益24%。")
    gone = [PageChange("gone", f"http://x.cn/{n}", SITE, status=404, before=old) for n in "ab"]
    events = change_events(RunChanges("r1", "r2", tuple(gone)), objects, [_page(404), _page(404)])
    assert [e.kind for e in events] == ["page_gone", "page_gone", "site_gone"]
    assert events[-1].detail["pages"] == ["http://x.cn/a", "http://x.cn/b"]
    still_up = change_events(RunChanges("r1", "r2", tuple(gone)), objects, [_page(404), _page(200)])
    assert [e.kind for e in still_up] == ["page_gone", "page_gone"]


def test_the_same_change_of_the_same_run_has_the_same_id(tmp_path: Path) -> None:
    objects, (new,) = _objects(tmp_path, "新品上线")
    change = PageChange("new", "http://x.cn/n", SITE, after=new)
    first = change_events(RunChanges("r1", "r2", (change,)), objects, [_page()])
    again = change_events(RunChanges("r1", "r2", (change,)), objects, [_page()])
    assert (
        [e.id for e in first]
        == [e.id for e in again]
        == [event_id("r2", "page_new", SITE, "http://x.cn/n")]
    )
    assert event_id("r3", "page_new", SITE, "http://x.cn/n") != first[0].id
