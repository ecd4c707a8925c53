"""The patrol service end to end: a fake platform site on loopback, two runs, a takedown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from smokewatch.errors import NotFound
from smokewatch.patrol.evidence import ObjectStore, read_manifest
from smokewatch.services.detect import detect
from smokewatch.services.patrol import list_patrols, patrol_changes, run_patrol, verify_patrol_run
from smokewatch.services.queries import list_findings
from smokewatch.services.workspace import init_workspace, open_engine, open_store
from smokewatch.settings import Settings, load_settings
from smokewatch.store import repos
from tests.patrol.site import FakeClock, FakeSite, Page, html, serve

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def platform() -> Iterator[FakeSite]:
    """鑫源财富: a home page, a GBK product page promising 18 %, an about page, a private area."""
    site = FakeSite()
    site.routes["/robots.txt"] = Page(
        b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain"
    )
    site.routes["/"] = Page(
        html(
            '<h1>鑫源财富</h1><a href="/product/1">稳健一号</a><a href="/about">关于</a>'
            '<a href="/admin/users">后台</a><a href="/old">旧链接</a>',
            title="鑫源财富",
        )
    )
    site.routes["/product/1"] = Page(
        html(
            "<p>稳健一号：年化收益高达18%，保本保息，推荐好友再返1%。</p>",
            title="稳健一号",
            charset="gbk",
            meta=True,
        ),
        content_type="text/html",
    )
    site.routes["/about"] = Page(
        html(
            "<p>芜湖鑫源财富管理有限公司，成立于2019年。</p>"
            "<p>统一社会信用代码：91340200MA2N0XXX0Y 客服：139-1234-5678 京ICP备12345678号-1</p>",
            title="关于我们",
        )
    )
    site.routes["/old"] = Page(status=301, content_type=None, headers={"Location": "/about"})
    with serve(site) as served:
        yield served


@pytest.fixture
def ws(tmp_path: Path, platform: FakeSite) -> Settings:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200", as_of=date(2026, 11, 1))
    (root / "patrol").mkdir()
    spec = {
        "id": "wealth",
        "title": "芜湖理财网站巡查",
        "sites": [
            {
                "name": "鑫源财富",
                "seeds": [platform.url("/")],
                "kind": "web_page",
                "subject_name": "芜湖鑫源财富管理有限公司",
                "adcode": "340202",
            }
        ],
        "fetch": {"retries": 0},
    }
    (root / "patrol" / "wealth.yml").write_text(
        json.dumps(spec, ensure_ascii=False), encoding="utf-8"
    )
    return load_settings(root)


def patrol(ws: Settings):
    return run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: NOW)


def test_a_run_fetches_the_site_politely_and_seals_its_evidence(
    ws: Settings, platform: FakeSite
) -> None:
    summary = patrol(ws)
    assert (summary.pages, summary.pages_ok, summary.refused, summary.robots) == (4, 4, 1, 1)
    assert "/admin/users" not in platform.paths()
    check = verify_patrol_run(ws, summary.run_id)
    assert check.intact
    assert check.head == summary.head


def test_pages_become_documents_and_the_text_rules_find_the_promise(ws: Settings) -> None:
    summary = patrol(ws)
    assert (summary.documents, summary.documents_loaded, summary.documents_rejected) == (3, 3, 0)
    detect(ws, rule_ids=["SW-R-0101"])
    with open_store(ws) as store:
        findings = list_findings(store, rule_id="SW-R-0101").items
    assert len(findings) == 1
    assert "18%" in findings[0]["reason_zh"]
    with open_engine(ws) as engine:
        rows = engine.to_arrow(engine.table("document"), step="read").to_pylist()
    product = next(r for r in rows if r["url"].endswith("/product/1"))
    assert (product["kind"], product["outlet"], product["source"]) == (
        "web_page",
        "鑫源财富",
        "patrol_wealth",
    )
    assert product["subject_name"] == "芜湖鑫源财富管理有限公司"


def test_a_site_fetched_from_a_mirror_is_documented_under_its_own_url_with_the_fetch_recorded(
    ws: Settings, platform: FakeSite
) -> None:
    # The same pages, fetched from the same server, as www.xinyuan.example.cn's mirror: the
    # documents (and their ids) do not depend on where the copy was served.
    path = ws.workspace / "patrol" / "wealth.yml"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec["sites"][0] |= {"seeds": ["http://www.xinyuan.example.cn/"], "mirror": platform.base}
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    summary = patrol(ws)
    assert (summary.pages_ok, summary.refused, summary.documents_loaded) == (4, 1, 3)
    with open_engine(ws) as engine:
        rows = engine.to_arrow(engine.table("document"), step="read").to_pylist()
    assert sorted(r["url"] for r in rows) == [
        "http://www.xinyuan.example.cn/",
        "http://www.xinyuan.example.cn/about",
        "http://www.xinyuan.example.cn/product/1",
    ]
    entries = list(read_manifest(summary.manifest))
    assert entries[0]["mirrors"] == {"http://www.xinyuan.example.cn": platform.base}
    old = next(e for e in entries if e.get("url") == "http://www.xinyuan.example.cn/old")
    assert old["final_url"] == "http://www.xinyuan.example.cn/about"
    assert old["fetched_url"] == platform.url("/about")  # what was actually requested
    assert verify_patrol_run(ws, summary.run_id).intact


def test_contacts_and_identities_on_pages_are_loaded_as_evidence_linked_facts(
    ws: Settings,
) -> None:
    summary = patrol(ws)
    assert (summary.facts, summary.facts_rejected) == (summary.facts_loaded, 0)
    with open_engine(ws) as engine:
        facts = engine.to_arrow(engine.table("web_fact"), step="read").to_pylist()
        documents = engine.to_arrow(engine.table("document"), step="read").to_pylist()
    about = {(f["kind"], f["value"]): f for f in facts if f["page_url"].endswith("/about")}
    assert set(about) >= {
        ("uscc", "91340200MA2N0XXX0Y"),
        ("phone", "13912345678"),
        ("icp", "京ICP备12345678号"),
        ("organisation", "芜湖鑫源财富管理有限公司"),
    }
    icp = about[("icp", "京ICP备12345678号")]
    assert icp["surface"] == "京ICP备12345678号-1"
    line = next(e for e in read_manifest(summary.manifest) if e.get("seq") == icp["evidence_seq"])
    assert line["artefacts"]["text"]["sha256"] == icp["text_sha256"]
    text = ObjectStore(ws.workspace / "evidence" / "objects").get(icp["text_sha256"]).decode()
    assert text[icp["position"] :].startswith(icp["surface"])
    page = next(d for d in documents if d["url"].endswith("/about"))
    assert page["subject_uscc"] == "91340200MA2N0XXX0Y"  # the page named its operator


def test_a_second_run_reports_a_raised_rate_and_a_takedown(
    ws: Settings, platform: FakeSite
) -> None:
    first = patrol(ws)
    platform.routes["/product/1"] = Page(
        html("<p>稳健一号：年化收益高达24%，保本保息，推荐好友再返1%。</p>", title="稳健一号")
    )
    del platform.routes["/about"]
    second = patrol(ws)
    assert second.changes.before_run == first.run_id
    by_url = {c.url.rsplit("/", 1)[1] or "/": c for c in second.changes.changes}
    assert {k: c.change for k, c in by_url.items()} == {
        "1": "changed",
        "about": "gone",
        "old": "gone",  # it redirected to /about
    }
    assert by_url["1"].added == ("稳健一号：年化收益高达24%，保本保息，推荐好友再返1%。",)
    assert by_url["about"].status == 404
    assert patrol_changes(ws, second.run_id).counts == second.changes.counts


def test_a_taken_down_page_keeps_its_document(ws: Settings, platform: FakeSite) -> None:
    patrol(ws)
    del platform.routes["/about"]
    patrol(ws)
    with open_engine(ws) as engine:
        urls = [
            r["url"] for r in engine.to_arrow(engine.table("document"), step="read").to_pylist()
        ]
    assert sum(u.endswith("/about") for u in urls) == 1


def test_tampering_with_a_stored_page_is_reported(ws: Settings) -> None:
    summary = patrol(ws)
    entry = next(
        e for e in read_manifest(summary.manifest) if str(e.get("url")).endswith("/product/1")
    )
    stored = ObjectStore(ws.workspace / "evidence" / "objects").path(
        entry["artefacts"]["text"]["sha256"]
    )
    stored.write_text(stored.read_text(encoding="utf-8").replace("18%", "8%"), encoding="utf-8")
    check = verify_patrol_run(ws, summary.run_id)
    assert check.problems == (
        f"line {entry['seq']}: text artefact {stored.name[:12]}… was altered",
    )


def test_a_run_is_recorded_as_a_patrol_run_of_its_document_source(ws: Settings) -> None:
    summary = patrol(ws)
    with open_store(ws) as store, store.unit_of_work() as session:
        (run,) = repos.list_runs(session, kind="patrol")
        assert (run.id, run.status, run.source_id) == (summary.run_id, "succeeded", "patrol_wealth")
        assert run.stats["head"] == summary.head
        assert repos.list_runs(session, kind="ingest") == []
    assert summary.run_id.startswith("pat-")


def test_a_run_is_signed_with_the_workspace_key(ws: Settings) -> None:
    summary = patrol(ws)
    signature = summary.manifest.parent / "manifest.sig"
    assert json.loads(signature.read_text("utf-8"))["head"] == summary.head
    assert (ws.workspace / "secrets" / "pii.key").is_file()
    other = verify_patrol_run(ws, summary.run_id, secret=b"another workspace's key")
    assert len(other.problems) == 1 and "another workspace key" in other.problems[0]
    signature.unlink()
    assert verify_patrol_run(ws, summary.run_id).problems == (
        "manifest is not signed (no manifest.sig)",
    )


def test_patrols_are_listed_with_their_runs(ws: Settings) -> None:
    summary = patrol(ws)
    (info,) = list_patrols(ws)
    assert (info.patrol_id, info.sites, info.runs) == ("wealth", 1, (summary.run_id,))


def test_verifying_an_unknown_run_is_not_found(ws: Settings) -> None:
    with pytest.raises(NotFound):
        verify_patrol_run(ws, "pat-20260101-000000-0000")
