"""``smokewatch patrol``: run, verify (exit 1 when tampered), changes, list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from smokewatch.services.workspace import init_workspace
from tests.cli.conftest import Run
from tests.patrol.site import FakeSite, Page, html, serve


@pytest.fixture
def site() -> Iterator[FakeSite]:
    fake = FakeSite()
    fake.routes["/"] = Page(html("<p>年化收益高达18%，保本保息。</p>", title="鑫源财富"))
    with serve(fake) as served:
        yield served


@pytest.fixture
def ws(tmp_path: Path, site: FakeSite) -> Path:
    root = tmp_path / "ws"
    init_workspace(root)
    (root / "patrol").mkdir()
    spec = {
        "id": "wealth",
        "title": "理财网站",
        "sites": [{"name": "鑫源", "seeds": [site.url("/")], "min_interval_s": 0}],
        "fetch": {"retries": 0},
    }
    (root / "patrol" / "wealth.yml").write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
    return root


def test_run_then_verify_then_changes(sw: Run, ws: Path) -> None:
    ran = sw("patrol", "run", "wealth", "-w", str(ws), "--json")
    assert ran.code == 0, ran.err
    summary = ran.json()
    assert (summary["pages_ok"], summary["documents_loaded"]) == (1, 1)
    verified = sw("patrol", "verify", summary["run_id"], "-w", str(ws))
    assert verified.code == 0
    assert verified.out.startswith("evidence intact: ")
    changes = sw("patrol", "changes", summary["run_id"], "-w", str(ws), "--json").json()
    assert [c["change"] for c in changes["changes"]] == ["new"]


def test_verify_exits_1_when_the_manifest_was_edited(sw: Run, ws: Path) -> None:
    run_id = sw("patrol", "run", "wealth", "-w", str(ws), "--json").json()["run_id"]
    manifest = next(ws.glob(f"evidence/patrol/wealth/{run_id}/manifest.jsonl"))
    manifest.write_text(manifest.read_text("utf-8").replace("鑫源财富", "某某公司"), "utf-8")
    verified = sw("patrol", "verify", run_id, "-w", str(ws))
    assert verified.code == 1
    assert "content does not match its hash" in verified.err


def test_list_shows_the_patrols_and_their_runs(sw: Run, ws: Path) -> None:
    run_id = sw("patrol", "run", "wealth", "-w", str(ws), "--json").json()["run_id"]
    (listed,) = sw("patrol", "list", "-w", str(ws), "--json").json()
    assert {k: listed[k] for k in ("patrol_id", "title", "sites", "runs")} == {
        "patrol_id": "wealth",
        "title": "理财网站",
        "sites": 1,
        "runs": [run_id],
    }
    assert (listed["schedule"]["every_hours"], listed["schedule"]["due"]) == (None, False)


def test_run_due_runs_the_scheduled_patrols(sw: Run, ws: Path) -> None:
    spec_path = ws / "patrol" / "wealth.yml"
    spec = json.loads(spec_path.read_text("utf-8")) | {"schedule": {"every_hours": 6}}
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
    first = sw("patrol", "run", "--due", "-w", str(ws))
    assert first.code == 0, first.err
    assert "1 patrols ran, 0 failed, 0 not due" in first.out
    second = sw("patrol", "run", "--due", "-w", str(ws), "--json").json()
    assert (second["ran"], [d["patrol_id"] for d in second["not_due"]]) == ([], ["wealth"])


def test_run_wants_a_patrol_or_due_but_not_both(sw: Run, ws: Path) -> None:
    assert sw("patrol", "run", "-w", str(ws)).code != 0
    assert sw("patrol", "run", "wealth", "--due", "-w", str(ws)).code != 0


def test_an_unknown_patrol_is_a_domain_failure(sw: Run, ws: Path) -> None:
    result = sw("patrol", "run", "nope", "-w", str(ws))
    assert result.code == 1
    assert "known patrols: wealth" in result.err
