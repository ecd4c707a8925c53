"""Value parsing over whole arrays agrees with the value types, one value at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.ingest.values import (
    ScalarParser,
    check_phone,
    check_uscc,
    clean_adcode,
    clean_text,
    fold_width_array,
    parse_distinct,
)
from smokewatch.model.tables import Column, ColumnType
from smokewatch.model.types import ValueTypeError, clean_phone, clean_uscc, fold_width
from smokewatch.model.types.uscc import ALPHABET
from tests.ingest.builders import uscc

TEXT = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x20, 0x7F)]
        + [chr(c) for c in range(0xFF00, 0xFF62)]
        + ["\u3000", "\u3001", "\u3002", "中", "芜", "（", "）", "😀", "\u00a0"]
    ),
    max_size=12,
)


@given(st.lists(st.none() | TEXT, max_size=25), st.integers(0, 3))
def test_folding_an_array_folds_every_value_like_fold_width(
    values: list[str | None], offset: int
) -> None:
    array = pa.array(values, pa.string()).slice(min(offset, len(values)))
    expected = [None if v is None else fold_width(v) for v in array.to_pylist()]
    assert fold_width_array(array).to_pylist() == expected


def test_clean_text_folds_trims_and_empties_to_null() -> None:
    array = pa.array(["  芜湖（镜湖）　", "", "   ", None, "ＡＢＣ１２３"])
    assert clean_text(array).to_pylist() == ["芜湖(镜湖)", None, None, None, "ABC123"]


USCC_LIKE = st.text(alphabet=ALPHABET + "IOSVZ-a ", min_size=16, max_size=19)


def _clean_or_none(text: str) -> str | None:
    try:
        return clean_uscc(text)
    except ValueTypeError:
        return None


@given(st.lists(USCC_LIKE | st.integers(0, 10**7 - 1).map(uscc), max_size=30))
def test_uscc_check_over_an_array_agrees_with_clean_uscc(codes: list[str]) -> None:
    canon, reasons = check_uscc(pa.array(codes, pa.string()))
    for row, code in enumerate(codes):
        expected = _clean_or_none(code)
        if expected is None:
            assert row in reasons
        else:
            assert row not in reasons
            assert canon[row].as_py() == expected


def test_an_invalid_uscc_is_explained_in_plain_words() -> None:
    good = uscc(42)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    _, reasons = check_uscc(pa.array([good, bad, "12345"]))
    assert reasons == {
        1: f"USCC check character is {bad[-1]!r} but should be {good[-1]!r}",
        2: "USCC must have 18 characters, got 5",
    }


PHONE_LIKE = st.text(alphabet="0123456789+-() ", max_size=17)


@given(st.lists(PHONE_LIKE, max_size=30))
def test_phone_cleaning_over_an_array_agrees_with_clean_phone(phones: list[str]) -> None:
    canon, reasons = check_phone(pa.array(phones, pa.string()))
    for row, phone in enumerate(phones):
        try:
            expected: str | None = clean_phone(phone)
        except ValueTypeError:
            expected = None
        assert canon[row].as_py() == expected
        assert (row in reasons) == (expected is None)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("340202", "340202"),
        ("340202001", "340202001"),
        ("340202000000", "340202"),
        ("340202001000", "340202001"),
        ("340202001203", "340202001"),
    ],
)
def test_division_codes_keep_six_or_nine_digits(raw: str, code: str) -> None:
    assert clean_adcode(raw) == code


def test_a_division_code_must_be_digits() -> None:
    with pytest.raises(ValueTypeError, match="not a division code"):
        clean_adcode("34020A")


def test_each_distinct_text_is_parsed_once() -> None:
    seen: list[str] = []

    def parse(text: str) -> str:
        seen.append(text)
        return text.upper()

    parsed = parse_distinct(pa.array(["a", "b", "a", None, "b", "a"]), parse)
    assert sorted(seen) == ["a", "b"]
    assert parsed.take(pa.array(parsed.values)).to_pylist() == ["A", "B", "A", None, "B", "A"]


def test_rows_whose_text_fails_carry_the_reason() -> None:
    parser = ScalarParser(Column("established_on", ColumnType.DATE))
    parsed = parse_distinct(pa.array(["2019-05-06", "昨天", "2019-05-06", "昨天"]), parser)
    assert parsed.failed_rows() == {1: "not a date: '昨天'", 3: "not a date: '昨天'"}


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        (ColumnType.INT64, "1,234", 1234),
        (ColumnType.INT64, "12.0", 12),
        (ColumnType.FLOAT64, "3.5", 3.5),
        (ColumnType.BOOL, "是", True),
        (ColumnType.BOOL, "N", False),
        (ColumnType.DATE, "2019年5月6日", date(2019, 5, 6)),
        (ColumnType.DATE, "长期", None),
        (ColumnType.LIST_STRING, "甲公司；乙公司、 丙公司", ["甲公司", "乙公司", "丙公司"]),
        (ColumnType.LIST_STRING, "甲,公司\x1f乙公司", ["甲,公司", "乙公司"]),
    ],
)
def test_scalar_parsing_by_column_type(kind: ColumnType, text: str, value: object) -> None:
    assert ScalarParser(Column("x", kind))(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2017-01-05T00:00:00Z", datetime(2017, 1, 5, tzinfo=UTC)),
        ("2017-01-05T09:30:00+08:00", datetime(2017, 1, 5, 1, 30, tzinfo=UTC)),
        ("2017/1/5 09:30:00", datetime(2017, 1, 5, 9, 30, tzinfo=UTC)),
        ("2017年1月5日 9时30分", datetime(2017, 1, 5, 9, 30, tzinfo=UTC)),
        ("20170105", datetime(2017, 1, 5, tzinfo=UTC)),
        ("20170105093001", datetime(2017, 1, 5, 9, 30, 1, tzinfo=UTC)),
    ],
)
def test_bank_statement_timestamps_are_read(text: str, value: datetime) -> None:
    assert ScalarParser(Column("booked_at", ColumnType.TIMESTAMP))(text) == value


@pytest.mark.parametrize("text", ["2017-02-30 10:00", "20171305", "昨天下午"])
def test_impossible_or_unreadable_timestamps_are_refused(text: str) -> None:
    with pytest.raises(ValueTypeError, match=r"timestamp|calendar"):
        ScalarParser(Column("booked_at", ColumnType.TIMESTAMP))(text)


def test_amounts_that_do_not_fit_decimal_20_2_are_refused() -> None:
    parser = ScalarParser(Column("registered_capital", ColumnType.DECIMAL))
    with pytest.raises(ValueTypeError, match="amount too large"):
        parser("100000000000亿")
