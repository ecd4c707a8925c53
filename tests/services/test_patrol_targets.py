"""Targets suggested from the workspace's data, imported into a spec only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput
from smokewatch.patrol.spec import load_patrol_spec
from smokewatch.services import patrol_targets, tips
from smokewatch.services.patrol_targets import import_targets, suggest_targets
from smokewatch.services.workspace import init_workspace, open_engine, open_store
from smokewatch.settings import Settings, load_settings
from tests.api.world import populate
from tests.model.builders import typed_table


@pytest.fixture
def ws(tmp_path: Path) -> Settings:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200")
    settings = load_settings(root)
    platform = {"id": "p1", "name": "鑫汇财富", "company_name": "芜湖鑫汇财富咨询有限公司",
                "website": "https://www.xinhui-wealth.cn/"}  # fmt: skip
    news = {"id": "d1", "kind": "news", "source": "news",
            "text": "据报道，聚宝理财(m.jubao-licai.com/app)已无法提现。"}  # fmt: skip
    own_page = {
        "id": "d2",
        "kind": "web_page",
        "text": "访问 www.own-site.cn",
        "source": "patrol_x",
    }
    fact = {"id": "f1", "page_url": "http://www.xinhui-wealth.cn/about", "kind": "email",
            "value": "kf@xinhui-service.cn", "evidence_run": "pat-1", "evidence_seq": 3,
            "text_sha256": "0" * 64}  # fmt: skip
    webmail = {**fact, "id": "f2", "value": "xinhui@qq.com"}
    with open_engine(settings) as engine:
        engine.replace_tables(
            {
                "platform": typed_table("platform", [platform]),
                "document": typed_table("document", [news, own_page]),
                "web_fact": typed_table("web_fact", [fact, webmail]),
            }
        )
    with open_store(settings) as store:
        populate(store)
        tips.submit_tip(
            store,
            tips.TipForm(
                target_name="聚宝理财",
                description="他们的网站承诺年化18%，保本保息，现在无法提现。",
                consent=True,
                target_url="http://www.jubao-licai.com/invest",
            ),
            files_dir=tmp_path / "tips",
            home_adcode="340200",
        )
    return settings


def test_platforms_tips_news_and_page_emails_become_targets_with_provenance(
    ws: Settings,
) -> None:
    targets = {t.domain: t for t in suggest_targets(ws)}
    assert set(targets) == {"xinhui-wealth.cn", "jubao-licai.com", "xinhui-service.cn"}
    jubao = targets["jubao-licai.com"]
    assert sorted(lead.origin for lead in jubao.leads) == ["document", "tip"]
    assert jubao.seed == "http://www.jubao-licai.com/"  # the tip's URL before the news text's
    assert targets["xinhui-wealth.cn"].subject_name == "芜湖鑫汇财富咨询有限公司"


def test_importing_writes_sites_with_provenance_and_runs_nothing(ws: Settings) -> None:
    path = import_targets(ws, "leads", ["jubao-licai.com", "xinhui-wealth.cn"], title="线索巡查")
    spec = load_patrol_spec(path.parent, "leads")
    assert [s.name for s in spec.sites] == ["jubao-licai.com", "xinhui-wealth.cn"]
    assert spec.sites[0].hosts == ("jubao-licai.com", "*.jubao-licai.com")
    assert any(p.startswith("tip TIP-") for p in spec.sites[0].provenance)
    assert spec.sites[0].robots_override is None  # robots.txt is obeyed like any site's
    assert not (ws.workspace / "evidence").exists()  # nothing was fetched
    assert [t.domain for t in suggest_targets(ws)] == ["xinhui-service.cn"]  # now covered
    import_targets(ws, "leads", ["xinhui-service.cn"])
    assert len(load_patrol_spec(path.parent, "leads").sites) == 3  # an existing spec grows


def test_a_domain_not_suggested_is_refused(ws: Settings) -> None:
    with pytest.raises(InvalidInput, match=r"example\.com"):
        import_targets(ws, "leads", ["example.com"])


def test_past_the_document_limit_the_documents_read_are_the_first_by_id(
    ws: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stored out of id order: an unordered limit would read d9 (the engine's first row).
    later = {"id": "d9", "kind": "news", "source": "news", "text": "详见 www.later-licai.com"}
    first = {"id": "d0", "kind": "news", "source": "news", "text": "详见 www.first-licai.com"}
    with open_engine(ws) as engine:
        engine.replace_tables({"document": typed_table("document", [later, first])})
    monkeypatch.setattr(patrol_targets, "DOCUMENT_LIMIT", 1)
    domains = {t.domain for t in suggest_targets(ws)}
    assert "first-licai.com" in domains and "later-licai.com" not in domains
