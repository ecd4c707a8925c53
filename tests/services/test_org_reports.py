"""Periodic reports from files: a loss or negative net assets loads and the ratings see it."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from smokewatch.services.detect import detect
from smokewatch.services.ingest import ingest
from smokewatch.services.workspace import init_workspace, open_engine
from smokewatch.settings import Settings, load_settings
from tests.ingest.builders import uscc

AS_OF = date(2025, 6, 30)
REGISTER = ("机构名称", "统一社会信用代码", "机构类型", "监管状态")
REPORTS = ("机构信用代码", "报告期末", "业务余额", "净资产", "净利润")


@pytest.fixture
def ws(tmp_path: Path) -> Settings:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200")
    return load_settings(root)


def _source(settings: Settings, source_id: str, table: str, spec: dict[str, Any]) -> Path:
    folder = settings.workspace / "sources" / source_id
    folder.mkdir(parents=True)
    base = {
        "id": source_id,
        "title": {"zh": source_id, "en": source_id},
        "publisher": "芜湖市地方金融管理局",
        "licence": "internal",
        "pii": "none",
        "table": table,
        "location": f"{source_id}.csv",
        "format": "csv",
        "mode": "snapshot",
    }
    (folder / "source.yml").write_text(
        yaml.safe_dump(base | spec, allow_unicode=True), encoding="utf-8"
    )
    return folder / f"{source_id}.csv"


def _write_csv(
    path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]], encoding: str = "utf-8"
) -> None:
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    path.write_bytes(text.getvalue().encode(encoding))


def _load(settings: Settings, reports: list[tuple[str, ...]]) -> dict[str, int]:
    register = _source(
        settings,
        "orgs",
        "local_org",
        {
            "id_prefix": "lo",
            "key": ["uscc"],
            "columns": {"name": "机构名称", "uscc": "统一社会信用代码"}
            | {"kind": "机构类型", "status": "监管状态"},
            "lookups": {
                "kind": {"小额贷款公司": "microcredit"},
                "status": {"正常经营": "operating"},
            },
        },
    )
    _write_csv(
        register,
        REGISTER,
        [
            ("芜湖甲小额贷款有限公司", uscc(1), "小额贷款公司", "正常经营"),
            ("芜湖乙小额贷款有限公司", uscc(2), "小额贷款公司", "正常经营"),
        ],
    )
    report_file = _source(
        settings,
        "reports",
        "org_report",
        {
            "id_prefix": "rep",
            "key": [["org_uscc", "period_end"]],
            "encoding": "gb18030",
            "columns": {"org_uscc": "机构信用代码", "period_end": "报告期末"}
            | {"outstanding_balance": "业务余额", "net_assets": "净资产"}
            | {"net_profit": "净利润"},
        },
    )
    _write_csv(report_file, REPORTS, reports, encoding="gb18030")
    return {s.source_id: s.rows_loaded for s in ingest(settings)}


def _findings(settings: Settings, rule_ids: list[str]) -> dict[tuple[str, str], str]:
    detect(settings, rule_ids=rule_ids, as_of=AS_OF)
    with open_engine(settings) as engine:
        rows = engine.to_arrow(engine.table("finding")).to_pylist()
    return {(r["rule_id"], r["subject_name"]): r["band"] for r in rows}


def test_a_report_file_with_a_loss_loads_and_sw_r_0408_fires(ws: Settings) -> None:
    loaded = _load(
        ws,
        [
            (uscc(1), "2025-05-31", "10,000,000", "5,000,000", "（1,000,000.00）"),
            (uscc(2), "2025-05-31", "10,000,000", "5,000,000", "120,000"),
        ],
    )
    assert loaded == {"orgs": 2, "reports": 2}
    findings = _findings(ws, ["SW-R-0408"])
    assert findings == {("SW-R-0408", "芜湖甲小额贷款有限公司"): "deep_loss"}


def test_negative_net_assets_from_a_file_reach_the_negative_capital_band(ws: Settings) -> None:
    _load(ws, [(uscc(1), "2025-05-31", "10,000,000", "-500,000", "-2,000,000")])
    findings = _findings(ws, ["SW-R-0406", "SW-R-0408"])
    assert findings[("SW-R-0406", "芜湖甲小额贷款有限公司")] == "negative"
    assert findings[("SW-R-0408", "芜湖甲小额贷款有限公司")] == "no_equity"


def test_a_negative_balance_is_still_rejected(ws: Settings) -> None:
    loaded = _load(ws, [(uscc(1), "2025-05-31", "-10,000,000", "5,000,000", "0")])
    assert loaded == {"orgs": 2, "reports": 0}
