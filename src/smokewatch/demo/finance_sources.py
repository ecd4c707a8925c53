"""The demo's supervisory files and the registry's shareholder and key-personnel exports.

Each export is written the way a local financial regulator keeps it — Chinese headers, amounts
in 元 (or 万元 where the portal publishes them so), kinds and statuses in words — and comes with
its ``source.yml`` (the contract of ``docs/sources.md``). Wordings a vocabulary does not resolve
by itself get a lookup computed from the vocabulary, as for the registry.

==================  =================  ======================================  ==========
source              table              file                                    format
==================  =================  ======================================  ==========
local_orgs          local_org          data/地方金融组织名录.xlsx               XLSX
org_reports         org_report         data/监管报表.csv                        CSV GB18030
loans               loan               data/贷款台账.csv                        CSV UTF-8
loan_flows          loan_flow          data/贷款资金流水.csv                    CSV UTF-8
platforms           platform           data/网贷机构档案.xlsx                   XLSX
platform_metrics    platform_metric    data/网贷机构月度数据.csv                CSV UTF-8
platform_events     platform_event     data/问题平台事件.csv                    CSV UTF-8
shareholders        shareholding       data/股东及出资信息.csv                  CSV GB18030
officers            officer            data/主要人员.csv                        CSV GB18030
==================  =================  ======================================  ==========

The two registry exports name the enterprise by its USCC (the graph finds the enterprise by
it); a person is identified by a hash of the ID number (证件标识), a corporate shareholder by
its USCC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from smokewatch.demo.sources import _dumper, _lookups
from smokewatch.model.vocab import get_vocabulary

LOCAL_ORG_COLUMNS: Mapping[str, str] = {
    "name": "机构名称",
    "uscc": "统一社会信用代码",
    "kind": "机构类型",
    "licence_number": "许可证号",
    "regulator": "监管部门",
    "adcode": "行政区划代码",
    "licensed_on": "批设日期",
    "registered_capital": "注册资本（万元）",
    "status": "监管状态",
}
ORG_REPORT_COLUMNS: Mapping[str, str] = {
    "org_name": "机构名称",
    "org_uscc": "机构信用代码",
    "period_end": "报告期末",
    "outstanding_balance": "业务余额（元）",
    "overdue_balance": "逾期余额（元）",
    "new_business": "本期发生额（元）",
    "borrowers": "借款人数",
    "lenders": "出借人数",
    "largest_client_balance": "最大单户余额（元）",
    "net_assets": "净资产（元）",
    "bank_borrowings": "融入资金余额（元）",
    "guarantee_liability": "在保余额（元）",
    "provisions": "拨备余额（元）",
    "revenue": "营业收入（元）",
    "net_profit": "净利润（元）",
    "cash": "货币资金（元）",
    "repaid_to_lenders": "累计兑付金额（元）",
    "lenders_repaid": "已兑付出借人数",
}
LOAN_COLUMNS: Mapping[str, str] = {
    "lender_uscc": "放贷机构信用代码",
    "lender_name": "放贷机构",
    "contract_number": "合同编号",
    "borrower_hash": "借款人标识",
    "borrower_name": "借款人",
    "principal": "合同金额",
    "contract_date": "合同日期",
    "maturity_date": "到期日",
    "nominal_rate": "合同年利率",
    "collateral": "担保方式",
    "status": "贷款状态",
}
LOAN_FLOW_COLUMNS: Mapping[str, str] = {
    "lender_uscc": "放贷机构信用代码",
    "contract_number": "合同编号",
    "flow_number": "流水号",
    "flow_date": "发生日期",
    "kind": "类型",
    "amount": "金额",
    "payee": "收款方",
}
PLATFORM_COLUMNS: Mapping[str, str] = {
    "name": "平台名称",
    "provider_id": "平台编号",
    "company_name": "运营公司",
    "website": "网址",
    "online_date": "上线日期",
    "province": "所在省份",
    "city": "所在城市",
    "address": "办公地址",
    "adcode": "行政区划代码",
    "registered_capital": "注册资本（万元）",
    "paid_in_capital": "实缴资本（万元）",
    "backer": "平台背景",
    "bank_custody": "银行存管",
    "custody_bank": "存管银行",
    "custody_note": "存管说明",
    "payment_escrow": "第三方支付托管",
    "association_member": "协会会员",
    "icp_filing": "ICP备案号",
    "icp_licence": "ICP经营许可证",
    "risk_reserve": "风险准备金",
    "protection": "保障模式",
    "protection_note": "投资保障说明",
    "advertised_return": "宣传收益率",
}
PLATFORM_METRIC_COLUMNS: Mapping[str, str] = {
    "platform_name": "平台名称",
    "provider_id": "平台编号",
    "month": "月份",
    "volume_wan": "成交量（万元）",
    "rate_pct": "平均收益率（%）",
    "loan_term_months": "平均借款期限（月）",
    "investors": "投资人数",
    "borrowers": "借款人数",
    "loans": "借款笔数",
    "net_inflow_30d_wan": "近30日资金净流入（万元）",
    "outstanding_wan": "待还余额（万元）",
    "top10_borrower_share_pct": "前十大借款人待还占比（%）",
    "top10_investor_share_pct": "前十大投资人待收占比（%）",
    "avg_investment_wan": "人均投资金额（万元）",
    "avg_borrowing_wan": "人均借款金额（万元）",
    "months_online": "运营月数",
}
PLATFORM_EVENT_COLUMNS: Mapping[str, str] = {
    "platform_name": "平台名称",
    "provider_id": "平台编号",
    "province": "所在省份",
    "online_date": "上线日期",
    "event_date": "出问题日期",
    "kind": "问题类型",
    "registered_capital": "注册资本（万元）",
}
SHAREHOLDING_COLUMNS: Mapping[str, str] = {
    "enterprise_id": "企业统一社会信用代码",
    "holder_name": "股东名称",
    "holder_kind": "股东类型",
    "holder_uscc": "股东统一社会信用代码",
    "holder_id": "股东证件标识",
    "share": "持股比例",
}
OFFICER_COLUMNS: Mapping[str, str] = {
    "enterprise_id": "企业统一社会信用代码",
    "person_name": "姓名",
    "person_id": "证件标识",
    "role": "职务",
}


def _labels(vocab: str) -> dict[str, str]:
    """The vocabulary's Chinese labels → term (a register writes 小额贷款公司, not a synonym)."""
    return {term.label_zh: term_id for term_id, term in get_vocabulary(vocab).terms.items()}


_WAN = ("registered_capital", "paid_in_capital")
"""Columns published in 万元 (converted to yuan on ingest)."""


@dataclass(frozen=True, slots=True)
class FinanceSource:
    """One supervisory export of the demo: where it goes and how it is read."""

    source_id: str
    table: str
    file: str
    """File name under ``sources/<source_id>/data/``."""
    columns: Mapping[str, str]
    """Column of the typed table → header of the export."""
    key: tuple[str, ...]
    id_prefix: str
    title_zh: str
    title_en: str
    publisher: str
    encoding: str = "utf-8"
    sheet: str | None = None
    """Sheet name of an XLSX export (``None``: a CSV file)."""
    pii: str = "none"
    vocab: Mapping[str, tuple[str, tuple[str, ...]]] | None = None
    """Column → (vocabulary, the wordings the export uses) for the lookups."""

    @property
    def headers(self) -> tuple[str, ...]:
        """The export's headers, in file order."""
        return tuple(self.columns.values())

    def spec(self) -> dict[str, Any]:
        """The ``source.yml`` as a mapping."""
        location = f"data/{self.file}"
        spec: dict[str, Any] = {
            "id": self.source_id,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "publisher": self.publisher,
            "licence": "CC0-1.0 (synthetic demo data generated by smokewatch)",
            "pii": self.pii,
            "table": self.table,
            "location": location,
        }
        if self.sheet is None:
            spec |= {"format": "csv", "encoding": self.encoding, "header_row": 1}
        else:
            spec |= {"format": "xlsx", "sheet": self.sheet, "header_row": 1}
        key: list[Any] = [self.key[0]] if len(self.key) == 1 else [list(self.key)]
        spec |= {"id_prefix": self.id_prefix, "key": key, "mode": "snapshot"}
        spec["columns"] = {
            target: {"column": header, "unit": "万元"} if target in _WAN else header
            for target, header in self.columns.items()
        }
        lookups = {
            column: found
            for column, (vocab, wordings) in sorted((self.vocab or {}).items())
            if (found := _lookups(vocab, wordings, _labels(vocab)))
        }
        if lookups:
            spec["lookups"] = lookups
        if self.table == "org_report":
            spec["defaults"] = {"frequency": "monthly"}
        return spec

    def yaml(self) -> str:
        """The ``source.yml`` text."""
        header = (
            "# Demo source written by smokewatch.demo (synthetic data, seeded). "
            "See docs/sources.md.\n"
        )
        body = yaml.dump(
            self.spec(), Dumper=_dumper(), allow_unicode=True, sort_keys=False, width=100
        )
        return header + body


_REGULATOR = "芜湖市地方金融管理局（演示数据，由 smokewatch 合成）"
_REGISTRY = "芜湖市市场监督管理局（演示数据，由 smokewatch 合成）"


def finance_sources(
    wordings: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[FinanceSource, ...]:
    """The seven supervisory sources and the two registry detail exports, in ingest order.

    ``wordings`` maps ``table.column`` to the wordings the export uses in a vocabulary column
    (机构类型, 监管状态, 类型 …): those the vocabulary does not resolve get a lookup.
    """
    said = dict(wordings or {})

    def vocab(table: str, **columns: str) -> dict[str, tuple[str, tuple[str, ...]]]:
        return {c: (v, said.get(f"{table}.{c}", ())) for c, v in columns.items()}

    return (
        FinanceSource(
            "local_orgs",
            "local_org",
            "地方金融组织名录.xlsx",
            LOCAL_ORG_COLUMNS,
            ("uscc",),
            "lo",
            "芜湖市地方金融组织名录（演示）",
            "Wuhu register of local financial organisations (demo)",
            _REGULATOR,
            sheet="地方金融组织名录",
            vocab=vocab("local_org", kind="local_org_kind", status="local_org_status"),
        ),
        FinanceSource(
            "org_reports",
            "org_report",
            "监管报表.csv",
            ORG_REPORT_COLUMNS,
            ("org_uscc", "period_end"),
            "rep",
            "地方金融组织月度监管报表（演示）",
            "Monthly reports of local financial organisations (demo)",
            _REGULATOR,
            encoding="gb18030",
        ),
        FinanceSource(
            "loans",
            "loan",
            "贷款台账.csv",
            LOAN_COLUMNS,
            ("lender_uscc", "contract_number"),
            "loan",
            "小额贷款公司贷款台账（演示）",
            "Loan books of microcredit companies (demo)",
            _REGULATOR,
            pii="personal",
            vocab=vocab("loan", status="loan_status"),
        ),
        FinanceSource(
            "loan_flows",
            "loan_flow",
            "贷款资金流水.csv",
            LOAN_FLOW_COLUMNS,
            ("lender_uscc", "contract_number", "flow_number"),
            "flow",
            "小额贷款公司贷款资金流水（演示）",
            "Loan cash flows of microcredit companies (demo)",
            _REGULATOR,
            vocab=vocab("loan_flow", kind="loan_flow_kind"),
        ),
        FinanceSource(
            "platforms",
            "platform",
            "网贷机构档案.xlsx",
            PLATFORM_COLUMNS,
            ("provider_id",),
            "p2p",
            "网络借贷信息中介机构档案（演示）",
            "Online lending platforms (demo)",
            _REGULATOR,
            sheet="网贷机构档案",
            vocab=vocab("platform", backer="platform_backer"),
        ),
        FinanceSource(
            "platform_metrics",
            "platform_metric",
            "网贷机构月度数据.csv",
            PLATFORM_METRIC_COLUMNS,
            ("provider_id", "month"),
            "p2pm",
            "网络借贷信息中介机构月度运营数据（演示）",
            "Online lending platforms' monthly figures (demo)",
            _REGULATOR,
        ),
        FinanceSource(
            "platform_events",
            "platform_event",
            "问题平台事件.csv",
            PLATFORM_EVENT_COLUMNS,
            ("provider_id", "event_date"),
            "p2pe",
            "网络借贷问题平台事件（演示）",
            "Online lending problem events (demo)",
            _REGULATOR,
            vocab=vocab("platform_event", kind="platform_event_kind"),
        ),
        FinanceSource(
            "shareholders",
            "shareholding",
            "股东及出资信息.csv",
            SHAREHOLDING_COLUMNS,
            ("enterprise_id", "holder_name"),
            "sh",
            "企业股东及出资信息（演示）",
            "Shareholders of enterprises (demo)",
            _REGISTRY,
            encoding="gb18030",
            pii="personal",
            vocab=vocab("shareholding", holder_kind="holder_kind"),
        ),
        FinanceSource(
            "officers",
            "officer",
            "主要人员.csv",
            OFFICER_COLUMNS,
            ("enterprise_id", "person_name", "role"),
            "off",
            "企业主要人员（演示）",
            "Key personnel of enterprises (demo)",
            _REGISTRY,
            encoding="gb18030",
            pii="personal",
            vocab=vocab("officer", role="officer_role"),
        ),
    )


FINANCE_TABLES: tuple[str, ...] = tuple(s.table for s in finance_sources())
"""The typed tables the supervisory exports feed, in ingest order."""


__all__ = [
    "FINANCE_TABLES",
    "LOAN_COLUMNS",
    "LOAN_FLOW_COLUMNS",
    "LOCAL_ORG_COLUMNS",
    "OFFICER_COLUMNS",
    "ORG_REPORT_COLUMNS",
    "PLATFORM_COLUMNS",
    "PLATFORM_EVENT_COLUMNS",
    "PLATFORM_METRIC_COLUMNS",
    "SHAREHOLDING_COLUMNS",
    "FinanceSource",
    "finance_sources",
]
