"""The mapping: raw text → typed rows of the target table, or rejects with reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from smokewatch.ingest.mapping import MappedBatch, Mapper, MappingContext
from smokewatch.ingest.raw import RawBatch
from smokewatch.ingest.spec import SourceSpec, parse_source_spec
from smokewatch.model.ids import make_id
from smokewatch.model.tables import get_table
from smokewatch.text.address import get_address_resolver
from tests.ingest.builders import (
    NOW,
    REGISTRY_COLUMNS,
    bad_uscc,
    registry_row,
    registry_spec,
    uscc,
)


def _raw(rows: Sequence[Mapping[str, str | None]], first: int = 2) -> RawBatch:
    header = list(dict.fromkeys(k for row in rows for k in row))
    data = pa.RecordBatch.from_pydict(
        {h: pa.array([row.get(h) for row in rows], pa.string()) for h in header}
    )
    return RawBatch(data, pa.array(range(first, first + len(rows)), pa.int64()))


def _map(
    rows: Sequence[Mapping[str, str | None]], spec: SourceSpec | None = None, **context: Any
) -> MappedBatch:
    spec = spec or registry_spec()
    resolver = get_address_resolver()
    ctx = MappingContext(spec.id, "run-1", NOW, context.get("within"), resolver)
    return Mapper(spec, ctx).map(_raw(rows))


def _only(batch: MappedBatch) -> dict[str, Any]:
    [row] = batch.rows.to_pylist()
    return row


def _reasons(batch: MappedBatch) -> list[tuple[int, str | None, str]]:
    return [(r.row_number, r.column, r.reason) for r in batch.rejects]


def test_rows_come_out_in_the_exact_schema_of_the_table() -> None:
    batch = _map([registry_row(1)])
    assert batch.rows.schema.equals(get_table("enterprise").arrow_schema())


def test_a_registry_row_is_parsed_into_typed_values() -> None:
    row = _only(_map([registry_row(1)]))
    assert row["uscc"] == uscc(1)
    assert row["registered_capital"] == Decimal("10000000.00")
    assert row["registered_capital_currency"] == "CNY"
    assert row["established_on"] == date(2019, 5, 6)
    assert row["status"] == "active"


def test_provenance_columns_say_where_the_row_came_from() -> None:
    row = _only(_map([registry_row(1)]))
    assert (row["source"], row["run_id"], row["source_row"]) == ("registry", "run-1", 2)
    assert row["first_seen"] == row["last_seen"] == NOW


def test_the_id_hashes_the_prefix_the_alternative_and_its_values() -> None:
    row = _only(_map([registry_row(1)]))
    assert row["id"] == make_id("ent", "uscc", uscc(1))


def test_without_a_uscc_the_next_key_alternative_is_used() -> None:
    row = _only(_map([registry_row(1, 统一社会信用代码="")]))
    expected = make_id("ent", "name+registered_address", row["name"], row["registered_address"])
    assert row["id"] == expected


def test_a_row_without_any_usable_key_is_rejected() -> None:
    batch = _map([registry_row(1, 统一社会信用代码="", 住所="")])
    assert _reasons(batch) == [
        (
            2,
            None,
            "no key: every key alternative has an empty column (uscc | name+registered_address)",
        )
    ]


def test_a_bad_check_character_rejects_the_row() -> None:
    batch = _map([registry_row(1, 统一社会信用代码=bad_uscc(1))])
    assert batch.rows.num_rows == 0
    [(row, column, reason)] = _reasons(batch)
    assert (row, column) == (2, "uscc")
    assert reason.startswith("USCC check character is")


def test_a_uscc_is_canonicalised_before_it_is_checked() -> None:
    spaced = " ".join([uscc(1)[:9], uscc(1)[9:].lower()])
    assert _only(_map([registry_row(1, 统一社会信用代码=spaced)]))["uscc"] == uscc(1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2019-05-06", date(2019, 5, 6)),
        ("2019/5/6", date(2019, 5, 6)),
        ("2019年5月6日", date(2019, 5, 6)),
        ("20190506", date(2019, 5, 6)),
        ("长期", None),
    ],
)
def test_dates_are_read_as_registries_write_them(text: str, value: date | None) -> None:
    assert _only(_map([registry_row(1, 成立日期=text)]))["established_on"] == value


def test_a_bad_date_rejects_the_row_with_its_reason() -> None:
    batch = _map([registry_row(1), registry_row(2, 成立日期="2019-02-30")])
    assert _reasons(batch) == [
        (3, "established_on", "not a calendar date: '2019-02-30' (day is out of range for month)")
    ]
    assert batch.rows.num_rows == 1


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("1000万元人民币", "10000000.00", "CNY"),
        ("500万美元", "5000000.00", "USD"),
        ("1.2亿", "120000000.00", "CNY"),
        ("50", "500000.00", "CNY"),
        ("", None, "CNY"),
    ],
)
def test_amounts_take_their_unit_and_currency(text: str, amount: str | None, currency: str) -> None:
    row = _only(_map([registry_row(1, 注册资本=text)]))
    assert row["registered_capital"] == (Decimal(amount) if amount else None)
    assert row["registered_capital_currency"] == currency


@pytest.mark.parametrize(
    "wording", ["存续", "在营", "存续（在营、开业、在册）", "active", "ACTIVE"]
)
def test_status_wording_maps_through_the_vocabulary(wording: str) -> None:
    assert _only(_map([registry_row(1, 登记状态=wording)]))["status"] == "active"


def test_lookups_apply_before_the_vocabulary_even_in_full_width() -> None:
    assert _only(_map([registry_row(1, 登记状态="在营(开业)企业")]))["status"] == "active"


def test_an_unknown_status_rejects_the_row() -> None:
    batch = _map([registry_row(1, 登记状态="待核实")])
    assert _reasons(batch) == [(2, "status", "unknown enterprise_status value '待核实'")]


def test_with_on_error_null_a_bad_value_becomes_null_and_is_counted() -> None:
    columns = REGISTRY_COLUMNS | {"phone": {"column": "联系电话", "on_error": "null"}}
    spec = registry_spec(columns=columns)
    batch = _map([registry_row(1, 联系电话="123"), registry_row(2, 联系电话="(0553)1234567")], spec)
    assert [r["phone"] for r in batch.rows.to_pylist()] == [None, "0553-1234567"]
    assert batch.nulls_coerced == {"phone": 1}
    assert batch.rejects == ()


def test_a_bad_phone_rejects_the_row_by_default() -> None:
    spec = registry_spec(columns=REGISTRY_COLUMNS | {"phone": "联系电话"})
    batch = _map([registry_row(1, 联系电话="123")], spec)
    assert _reasons(batch) == [(2, "phone", "not a Chinese phone number: '123'")]


def test_a_missing_required_value_rejects_the_row() -> None:
    batch = _map([registry_row(1, 企业名称="  ")])
    assert _reasons(batch) == [(2, "name", "missing required value")]


def test_every_failing_column_of_a_row_is_reported() -> None:
    batch = _map([registry_row(1, 成立日期="昨天", 登记状态="待核实")])
    assert [(c, r) for _, c, r in _reasons(batch)] == [
        ("established_on", "not a date: '昨天'"),
        ("status", "unknown enterprise_status value '待核实'"),
    ]


def test_a_reject_carries_the_raw_row_as_json() -> None:
    batch = _map([registry_row(1, 登记状态="待核实")])
    assert '"登记状态": "待核实"' in batch.rejects[0].raw


def test_defaults_fill_empty_values() -> None:
    spec = registry_spec(
        columns=REGISTRY_COLUMNS | {"industry_code": "行业代码"},
        defaults={"industry_code": "J6620"},
    )
    batch = _map([registry_row(1, 行业代码=""), registry_row(2, 行业代码="L7212")], spec)
    assert [r["industry_code"] for r in batch.rows.to_pylist()] == ["J6620", "L7212"]


def test_former_names_are_split_into_a_list() -> None:
    spec = registry_spec(columns=REGISTRY_COLUMNS | {"former_names": {"column": "曾用名"}})
    row = _only(_map([registry_row(1, 曾用名="芜湖甲公司；芜湖乙公司")], spec))
    assert row["former_names"] == ["芜湖甲公司", "芜湖乙公司"]


def test_text_is_width_folded_and_trimmed() -> None:
    row = _only(_map([registry_row(1, 企业名称="  芜湖Ｐ２Ｐ（网贷）有限公司　")]))
    assert row["name"] == "芜湖P2P(网贷)有限公司"


def test_the_division_is_derived_from_the_address() -> None:
    row = _only(_map([registry_row(1, 住所="安徽省芜湖市镜湖区北京路8号")]))
    assert (row["adcode"], row["adcode_source"]) == ("340202", "address")


def test_a_given_division_code_is_kept() -> None:
    spec = registry_spec(columns=REGISTRY_COLUMNS | {"adcode": "所属区划"})
    row = _only(_map([registry_row(1, 所属区划="340207000000")], spec))
    assert (row["adcode"], row["adcode_source"]) == ("340207", "given")


def test_the_workspace_division_breaks_ties_between_same_named_places() -> None:
    row = _only(_map([registry_row(1, 住所="鼓楼区中山路1号")], within="320100"))
    assert row["adcode"] == "320106"


def test_an_address_without_a_known_place_leaves_the_division_empty() -> None:
    row = _only(_map([registry_row(1, 住所="某某大厦15层")]))
    assert (row["adcode"], row["adcode_source"]) == (None, None)


def test_the_record_hash_follows_the_typed_content() -> None:
    first = _map([registry_row(1), registry_row(2), registry_row(1, 注册资本="1000万")])
    hashes = [r["record_hash"] for r in first.rows.to_pylist()]
    assert hashes[0] == hashes[2]  # 1000万 and 1000万元人民币 are the same amount
    assert hashes[0] != hashes[1]


def test_amounts_too_large_to_store_reject_the_row() -> None:
    batch = _map([registry_row(1, 注册资本="100000000000亿")])
    assert _reasons(batch) == [
        (2, "registered_capital", "amount too large to store: '100000000000亿'")
    ]


def _report_spec() -> SourceSpec:
    return parse_source_spec(
        {
            "id": "reports",
            "title": {"zh": "监管报表", "en": "Reports"},
            "publisher": "芜湖市地方金融管理局",
            "licence": "internal",
            "pii": "none",
            "table": "org_report",
            "location": "reports.csv",
            "id_prefix": "rep",
            "key": [["org_uscc", "period_end"]],
            "columns": {
                "org_uscc": "机构信用代码",
                "period_end": "报告期末",
                "outstanding_balance": "业务余额",
                "net_assets": "净资产",
                "net_profit": "净利润",
            },
        }
    )


def _report(**changes: str) -> dict[str, str]:
    row = {"机构信用代码": uscc(1), "报告期末": "2025-03-31", "业务余额": "1,000,000.00"}
    return row | {"净资产": "500,000", "净利润": "12,000"} | changes


@pytest.mark.parametrize(
    ("text", "amount"),
    [("-1,234.50", "-1234.50"), ("（1,234.50）", "-1234.50"), ("负5万", "-50000.00")],
)
def test_a_loss_loads_into_a_signed_column(text: str, amount: str) -> None:
    row = _only(_map([_report(净利润=text, 净资产=text)], _report_spec()))
    assert row["net_profit"] == row["net_assets"] == Decimal(amount)


def test_a_negative_amount_in_an_unsigned_column_rejects_the_row_with_its_reason() -> None:
    batch = _map([_report(业务余额="-1,000")], _report_spec())
    assert _reasons(batch) == [
        (
            2,
            "outstanding_balance",
            "negative amount where only amounts of zero or more fit: '-1,000'",
        )
    ]
