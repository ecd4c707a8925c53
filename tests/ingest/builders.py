"""Builders for ingest tests: valid USCCs, registry rows, files in every format, specs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from smokewatch.ingest.spec import SourceSpec, parse_source_spec
from smokewatch.model.types import uscc_check_char

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
LATER = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)

REGISTRY_HEADER = ("统一社会信用代码", "企业名称", "注册资本", "成立日期", "登记状态", "住所")


def uscc(serial: int, *, region: str = "340202") -> str:
    """A valid 18-character USCC (check character computed) for a serial number."""
    body = f"91{region}MA{serial:07d}"
    return body + uscc_check_char(body)


def bad_uscc(serial: int) -> str:
    """A USCC whose check character is wrong."""
    good = uscc(serial)
    wrong = "0" if good[-1] != "0" else "1"
    return good[:-1] + wrong


def registry_row(serial: int, **changes: str) -> dict[str, str]:
    """One realistic registry export row (header → text)."""
    row = {
        "统一社会信用代码": uscc(serial),
        "企业名称": f"芜湖市第{serial}号财富管理有限公司",
        "注册资本": "1000万元人民币",
        "成立日期": "2019-05-06",
        "登记状态": "存续",
        "住所": "安徽省芜湖市镜湖区北京路8号",
    }
    row.update(changes)
    return row


def csv_text(rows: Iterable[Mapping[str, str] | Sequence[str]], header: Sequence[str]) -> str:
    """CSV text: a header line then one line per row (sequences are written as given)."""
    lines = [",".join(header)]
    for row in rows:
        fields = [row.get(h, "") for h in header] if isinstance(row, Mapping) else list(row)
        lines.append(",".join(fields))
    return "\r\n".join(lines) + "\r\n"


def write_csv(
    path: Path,
    rows: Iterable[Mapping[str, str] | Sequence[str]],
    *,
    header: Sequence[str] = REGISTRY_HEADER,
    encoding: str = "utf-8",
) -> Path:
    """Write a registry CSV in ``encoding`` (use ``utf-8-sig`` for a BOM)."""
    path.write_bytes(csv_text(rows, header).encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, sheet: str = "Sheet1") -> Path:
    """Write rows (the first is the header) to one sheet of a new workbook."""
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = sheet
    for row in rows:
        first.append(list(row))
    book.save(path)
    return path


def write_parquet(path: Path, table: pa.Table) -> Path:
    """Write an Arrow table as Parquet."""
    pq.write_table(table, path)
    return path


def write_jsonl(path: Path, lines: Iterable[Mapping[str, Any] | str]) -> Path:
    """Write JSON lines; strings are written verbatim (to make broken lines)."""
    text = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path


REGISTRY_COLUMNS: dict[str, Any] = {
    "uscc": "统一社会信用代码",
    "name": "企业名称",
    "registered_capital": {
        "column": "注册资本",
        "unit": "万元",
        "currency_column": "registered_capital_currency",
    },
    "established_on": "成立日期",
    "status": "登记状态",
    "registered_address": "住所",
}


def registry_spec_data(**changes: Any) -> dict[str, Any]:
    """A registry ``source.yml`` as a mapping, with top-level ``changes``."""
    data: dict[str, Any] = {
        "id": "registry",
        "title": {"zh": "芜湖市企业登记信息", "en": "Wuhu enterprise registry"},
        "publisher": "芜湖市市场监督管理局",
        "licence": "internal",
        "pii": "personal",
        "table": "enterprise",
        "location": "enterprises.csv",
        "id_prefix": "ent",
        "key": ["uscc", ["name", "registered_address"]],
        "mode": "snapshot",
        "columns": dict(REGISTRY_COLUMNS),
        "lookups": {"status": {"在营（开业）企业": "active"}},
        "defaults": {"registered_capital_currency": "CNY"},
    }
    data.update(changes)
    return data


def registry_spec(folder: Path | None = None, **changes: Any) -> SourceSpec:
    """A validated registry spec whose ``location`` is relative to ``folder``."""
    return parse_source_spec(registry_spec_data(**changes), folder=folder)


def licence_spec(folder: Path | None = None, **changes: Any) -> SourceSpec:
    """A validated licence-register spec reading an XLSX workbook."""
    data: dict[str, Any] = {
        "id": "licences",
        "title": {"zh": "金融牌照登记", "en": "Licence register"},
        "publisher": "芜湖市地方金融管理局",
        "licence": "internal",
        "pii": "none",
        "table": "licence",
        "location": "licences.xlsx",
        "sheet": "牌照",
        "id_prefix": "lic",
        "key": [["kind", "number"]],
        "columns": {
            "holder_name": "持牌机构名称",
            "holder_uscc": "统一社会信用代码",
            "kind": "牌照类型",
            "number": "许可证编号",
            "valid_from": "有效期起",
            "valid_to": "有效期至",
            "status": "状态",
        },
        "lookups": {"kind": {"私募基金管理人登记": "private_fund_manager"}},
    }
    data.update(changes)
    return parse_source_spec(data, folder=folder)
