"""A small planted company graph: one family of shells, one stranger, a layered holding."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from smokewatch.engine import Engine
from tests.model.builders import typed_table


def _rows(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    return typed_table(table, rows)


def _ent(ident: str, name: str, rep: str, phone: str | None, address: str) -> dict[str, Any]:
    return {"id": ident, "name": name, "legal_representative": rep, "phone": phone,
            "registered_address": address, "adcode": "340202"}  # fmt: skip


ENTERPRISES = [
    # a family: e1-e2 share a legal representative, e2-e3 a phone, e3-e4 an address
    _ent("e1", "芜湖鑫源投资管理有限公司", "张三", "13900000001", "芜湖市镜湖区北京路1号"),
    _ent("e2", "芜湖鑫源财富管理有限公司", "张三", "13900000002", "芜湖市镜湖区北京路2号"),
    _ent("e3", "芜湖汇通资产管理有限公司", "李四", "13900000002", "芜湖市镜湖区北京路3号"),
    _ent("e4", "芜湖汇盈信息咨询有限公司", "王五", "13900000004", "芜湖市镜湖区北京路3号"),
    # a stranger
    _ent("e5", "芜湖康达家具有限公司", "赵六", "13900000005", "芜湖市镜湖区中山路9号"),
    # layered ownership: 钱七 → h1 (80 %) → h2 (60 %) → e1 (50 %); h2 ↔ h3 cycle
    _ent("h1", "芜湖顶层控股有限公司", "钱七", None, "芜湖市镜湖区长江路1号"),
    _ent("h2", "芜湖中层投资有限公司", "钱七", None, "芜湖市镜湖区长江路2号"),
    _ent("h3", "芜湖环形投资有限公司", "孙八", None, "芜湖市镜湖区长江路3号"),
]


def _hold(target: str, holder: str, kind: str, share: float, name: str) -> dict[str, Any]:
    return {"id": f"{target}-{holder}", "enterprise_id": target, "holder_id": holder,
            "holder_name": name, "holder_kind": kind, "share": share}  # fmt: skip


SHAREHOLDINGS = [
    _hold("e1", "h2", "enterprise", 0.5, "芜湖中层投资有限公司"),
    _hold("e1", "pz", "person", 0.5, "周九"),
    _hold("h2", "h1", "enterprise", 0.6, "芜湖顶层控股有限公司"),
    _hold("h2", "h3", "enterprise", 0.4, "芜湖环形投资有限公司"),
    _hold("h3", "h2", "enterprise", 1.0, "芜湖中层投资有限公司"),
    _hold("h1", "pq", "person", 0.8, "钱七"),
    _hold("h1", "pw", "person", 0.2, "吴十"),
]


@pytest.fixture
def planted(engine: Engine) -> Engine:
    engine.replace_tables(
        {
            "enterprise": _rows("enterprise", ENTERPRISES),
            "shareholding": _rows("shareholding", SHAREHOLDINGS),
        }
    )
    return engine
