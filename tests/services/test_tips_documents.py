"""Tips become complaint documents of the workspace: exported as a source, ingested as any other."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from smokewatch.services import tips, tips_inbox
from smokewatch.services.detect import detect
from smokewatch.services.ingest import ingest
from smokewatch.services.scores import score
from smokewatch.services.tips_documents import (
    SOURCE_ID,
    document_id,
    export_tip_documents,
    tips_of_documents,
)
from smokewatch.services.workspace import init_workspace, open_engine
from smokewatch.settings import Settings, load_settings
from smokewatch.store.db import Store
from smokewatch.store.orm import Run, Score
from tests.api.world import ROOT
from tests.model.builders import typed_table

STORY = "该公司承诺年化18%，保本保息，推荐朋友投资还有返佣金，现在已经无法提现。"


def _tip(store: Store, folder: Path, name: str, story: str = STORY, **fields: str) -> str:
    form = tips.TipForm(name, story, consent=True, **fields)
    return tips.submit_tip(store, form, files_dir=folder, home_adcode="340200").tip_id


def test_reported_tips_are_exported_as_complaints_and_ingested(tmp_path: Path) -> None:
    workspace = init_workspace(tmp_path / "ws")
    settings = Settings(workspace=workspace.root)
    store = Store(settings.store_url)
    store.upgrade()
    folder = workspace.root / "tips"
    kept = _tip(
        store,
        folder,
        "芜湖鑫源财富管理有限公司",
        target_address="芜湖市镜湖区中山路8号",
        contact="13912345678",
    )
    _tip(store, folder, "广告", "点击 http://a.cn http://b.cn http://c.cn http://d.cn 赚钱")  # spam
    dismissed = _tip(
        store,
        folder,
        "芜湖宏达建材有限公司",
        "这家建材店卖的瓷砖以次充好，售后也不理人，希望有人管管。",
    )
    tips_inbox.act(store, ROOT, dismissed, "dismiss", note="不属于金融领域")
    _tip(store, folder, "芜湖聚宝农业专业合作社", target_address="芜湖市鸠江区")  # new: unseen
    assert export_tip_documents(store, workspace.root).documents == 0  # nobody accepted one yet
    tips_inbox.act(store, ROOT, kept, "triage")
    exported = export_tip_documents(store, workspace.root)
    assert exported.documents == 1
    rows = [
        json.loads(line)
        for line in (exported.source_dir / "data" / "tips.jsonl").open(encoding="utf-8")
    ]
    assert rows == [
        {
            "reference": kept,
            "kind": "complaint",
            "title": f"举报{kept}：芜湖鑫源财富管理有限公司",
            "text": STORY,
            "url": None,
            "outlet": "公众举报平台",
            "published_on": rows[0]["published_on"],
            "subject_name": "芜湖鑫源财富管理有限公司",
            "adcode": "340202",
            "adcode_source": "address",
        }
    ]
    assert "13912345678" not in (exported.source_dir / "data" / "tips.jsonl").read_text(
        encoding="utf-8"
    )
    (summary,) = ingest(settings, [SOURCE_ID])
    assert (summary.table, summary.rows_loaded, summary.rows_rejected) == ("document", 1, 0)
    assert export_tip_documents(store, workspace.root).documents == 1  # a snapshot, replaced
    store.dispose()


@pytest.mark.slow
def test_accepted_tips_reach_the_smoke_index_on_the_next_detect_run(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200")
    settings = load_settings(root)
    name = "芜湖鑫源财富管理有限公司"
    enterprise = {"id": "e1", "name": name, "adcode": "340202", "industry_code": "J6620"}
    with open_engine(settings) as engine:
        engine.replace_tables({"enterprise": typed_table("enterprise", [enterprise])})
    store = Store(settings.store_url)
    store.upgrade()
    folder = root / "tips"
    stories = (STORY, "鑫源财富的业务员天天打电话让我投资养老项目，说月息2分，到期还本，我不敢投。")
    accepted = [
        _tip(store, folder, name, story, target_address="芜湖市镜湖区") for story in stories
    ]
    unseen = _tip(store, folder, name, "鑫源财富在小区门口发传单，说存十万送一桶油，年底分红。")
    for tip_id in accepted:
        tips_inbox.act(store, ROOT, tip_id, "triage")

    first = detect(settings, as_of=date.today())
    assert first.tip_documents is not None  # no export, no ingest by hand
    with open_engine(settings) as engine:
        findings = engine.table("finding").to_pyarrow().to_pylist()
    (complaints,) = [f for f in findings if f["rule_id"] == "SW-R-0105"]
    assert complaints["subject_id"] == "e1" and complaints["band"] == "several"
    cited = {item["value"] for item in json.loads(complaints["evidence"])}
    assert tips_of_documents(store, cited) == {document_id(t): t for t in accepted}
    assert document_id(unseen) not in cited

    score(settings, as_of=date.today())
    with store.unit_of_work() as session:
        (scored,) = session.scalars(sa.select(Score).where(Score.subject_id == "e1")).all()
        (line,) = [c for c in scored.contributions if c["component"] == "complaints"]
    assert line["points"] == 8 and complaints["id"] in line["evidence"]

    again = detect(settings, as_of=date.today())
    with store.unit_of_work() as session:
        run = session.get(Run, again.tip_documents)
        assert run is not None and run.status == "unchanged"  # idempotent: nothing re-read
    store.dispose()
