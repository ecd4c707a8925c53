"""Tips become complaint documents of the workspace: exported as a source, ingested as any other."""

from __future__ import annotations

import json
from pathlib import Path

from smokewatch.services import tips, tips_inbox
from smokewatch.services.ingest import ingest
from smokewatch.services.tips_documents import SOURCE_ID, export_tip_documents
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from tests.api.world import ROOT

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
            "title": "举报：芜湖鑫源财富管理有限公司",
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
