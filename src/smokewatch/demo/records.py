"""Export layouts of the demo files and the records planters build.

The registry export carries the Chinese column headers of a real registry download; the
licence register those of a regulator's list; the document export the keys of a monitoring
system's JSON lines. ``REGISTRY_COLUMNS``, ``LICENCE_COLUMNS`` and ``DOCUMENT_COLUMNS`` map
each header to the column of the typed table it feeds (the contract of ``source.yml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

REGISTRY_COLUMNS: Mapping[str, str] = {
    "统一社会信用代码": "uscc",
    "企业名称": "name",
    "曾用名": "former_names",
    "名称变更日期": "name_changed_on",
    "法定代表人": "legal_representative",
    "注册资本": "registered_capital",
    "实缴资本": "paid_in_capital",
    "成立日期": "established_on",
    "登记状态": "status",
    "企业类型": "enterprise_type",
    "行业代码": "industry_code",
    "经营范围": "business_scope",
    "经营范围变更日期": "scope_changed_on",
    "住所": "registered_address",
    "所属区划": "adcode",
    "联系电话": "phone",
    "参保人数": "staff_count",
}
"""Registry export header → column of the ``enterprise`` table, in file order."""

LICENCE_COLUMNS: Mapping[str, str] = {
    "持牌机构名称": "holder_name",
    "统一社会信用代码": "holder_uscc",
    "牌照类型": "kind",
    "许可证编号": "number",
    "发证机关": "issuer",
    "有效期起": "valid_from",
    "有效期至": "valid_to",
    "状态": "status",
}
"""Licence register header → column of the ``licence`` table, in file order."""

DOCUMENT_COLUMNS: Mapping[str, str] = {
    "编号": "reference",
    "类型": "kind",
    "标题": "title",
    "正文": "text",
    "链接": "url",
    "发布渠道": "outlet",
    "发布日期": "published_on",
    "相关主体": "subject_name",
    "主体信用代码": "subject_uscc",
    "区划代码": "adcode",
}
"""Document export key → column of the ``document`` table, in file order."""

REGISTRY_HEADERS: tuple[str, ...] = tuple(REGISTRY_COLUMNS)
LICENCE_HEADERS: tuple[str, ...] = tuple(LICENCE_COLUMNS)
DOCUMENT_HEADERS: tuple[str, ...] = tuple(DOCUMENT_COLUMNS)
FORMER_NAME_SEPARATOR = "；"
"""Separator of several former names in 曾用名 (oldest first)."""

OPEN_ENDED = "长期"
"""How the licence register writes a licence without an end date."""

Row = Mapping[str, str | None]


def registry_schema() -> pa.Schema:
    """Arrow schema of the registry export: every column is text, as in the file."""
    return pa.schema([pa.field(h, pa.string()) for h in REGISTRY_HEADERS])


def licence_schema() -> pa.Schema:
    """Arrow schema of the licence register export (text columns)."""
    return pa.schema([pa.field(h, pa.string()) for h in LICENCE_HEADERS])


def document_schema() -> pa.Schema:
    """Arrow schema of the document export (text columns)."""
    return pa.schema([pa.field(h, pa.string()) for h in DOCUMENT_HEADERS])


def format_capital(wan: int | None, currency: str = "人民币") -> str | None:
    """Registered or paid-in capital as registries write it, e.g. ``500万元人民币``.

    Examples:
        >>> format_capital(500)
        '500万元人民币'
        >>> format_capital(None) is None
        True
    """
    if wan is None:
        return None
    return f"{wan}万元{currency}"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class EnterpriseRecord:
    """One enterprise as a planter builds it; :meth:`to_row` renders the export row.

    Capitals are in 万元 (10,000 CNY), as registries state them.
    """

    uscc: str
    name: str
    legal_representative: str
    established_on: date
    registered_address: str
    status: str = "存续"
    enterprise_type: str = "有限责任公司(自然人投资或控股)"
    industry_code: str = "L7243"
    business_scope: str = ""
    registered_capital_wan: int | None = 100
    paid_in_capital_wan: int | None = None
    former_names: tuple[str, ...] = ()
    name_changed_on: date | None = None
    scope_changed_on: date | None = None
    adcode: str | None = None
    phone: str | None = None
    staff_count: int | None = None

    def to_row(self) -> dict[str, str | None]:
        """The registry export row (Chinese headers, text values, ``None`` for empty)."""
        values = (
            self.uscc,
            self.name,
            FORMER_NAME_SEPARATOR.join(self.former_names) or None,
            _iso(self.name_changed_on),
            self.legal_representative,
            format_capital(self.registered_capital_wan),
            format_capital(self.paid_in_capital_wan),
            self.established_on.isoformat(),
            self.status,
            self.enterprise_type,
            self.industry_code,
            self.business_scope,
            _iso(self.scope_changed_on),
            self.registered_address,
            self.adcode,
            self.phone,
            None if self.staff_count is None else str(self.staff_count),
        )
        return dict(zip(REGISTRY_HEADERS, values, strict=True))


@dataclass(frozen=True, slots=True)
class LicenceRecord:
    """One entry of the licence register; ``kind`` and ``status`` are vocabulary ids."""

    holder_name: str
    holder_uscc: str | None
    kind: str
    number: str
    issuer: str
    valid_from: date
    valid_to: date | None
    status: str = "active"
    wording: str = field(default="", compare=False)
    status_wording: str = field(default="", compare=False)

    def to_row(self) -> dict[str, str | None]:
        """The register export row; open-ended licences read 长期 in 有效期至."""
        values = (
            self.holder_name,
            self.holder_uscc,
            self.wording or self.kind,
            self.number,
            self.issuer,
            self.valid_from.isoformat(),
            self.valid_to.isoformat() if self.valid_to is not None else OPEN_ENDED,
            self.status_wording or self.status,
        )
        return dict(zip(LICENCE_HEADERS, values, strict=True))


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """One text document as a planter builds it; :meth:`to_row` renders the export row.

    ``kind`` is a ``document_kind`` term; ``wording`` is how the export writes it (广告, 公众号,
    举报 …), which ingest maps through the vocabulary's synonyms.
    """

    reference: str
    kind: str
    wording: str
    text: str
    published_on: date
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    subject_name: str | None = None
    subject_uscc: str | None = None
    adcode: str | None = None

    @property
    def label(self) -> str:
        """The title, or the opening words of the text (how a case names the document)."""
        if self.title:
            return self.title
        return self.text if len(self.text) <= 24 else self.text[:24] + "…"

    def to_row(self) -> dict[str, str | None]:
        """The export row (Chinese keys, text values, ``None`` for empty)."""
        values = (
            self.reference,
            self.wording,
            self.title,
            self.text,
            self.url,
            self.outlet,
            self.published_on.isoformat(),
            self.subject_name,
            self.subject_uscc,
            self.adcode,
        )
        return dict(zip(DOCUMENT_HEADERS, values, strict=True))


def rows_to_table(rows: list[dict[str, str | None]], schema: pa.Schema) -> pa.Table:
    """Text rows (header → value) as an Arrow table with ``schema``."""
    return pa.Table.from_pylist(rows, schema=schema)


__all__ = [
    "DOCUMENT_COLUMNS",
    "DOCUMENT_HEADERS",
    "FORMER_NAME_SEPARATOR",
    "LICENCE_COLUMNS",
    "LICENCE_HEADERS",
    "OPEN_ENDED",
    "REGISTRY_COLUMNS",
    "REGISTRY_HEADERS",
    "DocumentRecord",
    "EnterpriseRecord",
    "LicenceRecord",
    "Row",
    "document_schema",
    "format_capital",
    "licence_schema",
    "registry_schema",
    "rows_to_table",
]
