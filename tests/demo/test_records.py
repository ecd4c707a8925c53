from __future__ import annotations

from datetime import date

from smokewatch.demo.records import (
    REGISTRY_HEADERS,
    EnterpriseRecord,
    LicenceRecord,
    format_capital,
)


def test_capital_is_written_in_wan_yuan_renminbi() -> None:
    assert format_capital(10_000) == "10000万元人民币"


def test_an_enterprise_renders_every_registry_header() -> None:
    record = EnterpriseRecord(
        uscc="91340202MA2N0XXX0Y",
        name="芜湖鑫源财富管理有限公司",
        legal_representative="王伟",
        established_on=date(2020, 5, 6),
        registered_address="安徽省芜湖市镜湖区中山路1号",
        former_names=("芜湖鑫源建材有限公司", "芜湖鑫源商贸有限公司"),
        staff_count=0,
    )
    row = record.to_row()
    assert tuple(row) == REGISTRY_HEADERS
    assert row["曾用名"] == "芜湖鑫源建材有限公司；芜湖鑫源商贸有限公司"
    assert row["参保人数"] == "0"
    assert row["实缴资本"] is None


def test_an_open_ended_licence_reads_long_term() -> None:
    licence = LicenceRecord(
        holder_name="芜湖鑫源私募基金管理有限公司",
        holder_uscc=None,
        kind="private_fund_manager",
        number="P1012345",
        issuer="中国证券投资基金业协会",
        valid_from=date(2021, 1, 4),
        valid_to=None,
    )
    assert licence.to_row()["有效期至"] == "长期"
    assert licence.to_row()["牌照类型"] == "private_fund_manager"
