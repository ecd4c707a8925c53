"""Deterministic keys: identifiers are validated, personal ones hashed and masked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.model.types import ValueTypeError, uscc_check_char
from smokewatch.model.types.identity import exchange_hash, subject_key
from smokewatch.resolve.keys import (
    address_key,
    bank_account_key,
    clean_id_number,
    domain_key,
    email_key,
    embedded_org_code,
    icp_key,
    id_number_check_char,
    id_number_key,
    org_code_check_char,
    organisation_code_key,
    phone_key,
    registration_number_key,
    uscc_key,
)

births = st.dates(min_value=date(1930, 1, 1), max_value=date.today() - timedelta(days=1))
regions = st.sampled_from(["340202", "110105", "440304", "310115"])
sequence = st.integers(min_value=0, max_value=999)


def _id(region: str, born: date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + id_number_check_char(first17)


@given(regions, births, sequence)
def test_a_valid_id_number_is_hashed_and_masked(region: str, born: date, seq: int) -> None:
    number = _id(region, born, seq)
    key = id_number_key(number, b"workspace secret")
    assert number not in key.value and len(key.value) == 64
    assert key.display == f"{region}********{number[-4:]}"
    assert id_number_key(number.lower(), b"workspace secret") == key
    assert id_number_key(number, b"another secret").value != key.value


@given(regions, births, sequence, st.binary(min_size=1, max_size=32))
def test_an_id_number_key_is_the_key_the_blacklist_stores(
    region: str, born: date, seq: int, secret: bytes
) -> None:
    number = _id(region, born, seq)
    # The blacklist keys a listing by subject_key(secret, sha256 of the number), also when the
    # list gives only the exchange hash: resolution must land on the same key.
    assert id_number_key(number, secret).value == subject_key(secret, exchange_hash(number))


@given(regions, births, sequence, st.integers(min_value=0, max_value=16), st.integers(1, 9))
def test_one_wrong_digit_in_an_id_number_is_caught(
    region: str, born: date, seq: int, at: int, delta: int
) -> None:
    number = _id(region, born, seq)
    wrong = number[:at] + str((int(number[at]) + delta) % 10) + number[at + 1 :]
    with pytest.raises(ValueTypeError):
        clean_id_number(wrong)


def test_a_fifteen_digit_id_number_is_widened() -> None:
    assert clean_id_number("110105491231002") == "11010519491231002X"


def test_the_standards_examples_check() -> None:
    assert id_number_check_char("11010519491231002") == "X"  # GB 11643
    assert org_code_check_char("D2143569") == "X"  # GB 11714
    assert organisation_code_key("D2143569-X").value == "D2143569X"
    with pytest.raises(ValueTypeError, match="check character"):
        organisation_code_key("D2143569-1")


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8))
def test_a_uscc_built_on_an_organisation_code_gives_it_back(first8: str) -> None:
    org = first8.replace("A", "0") + org_code_check_char(first8.replace("A", "0"))
    first17 = f"91340200{org}"
    code = first17 + uscc_check_char(first17)
    assert uscc_key(code.lower()).value == code
    assert embedded_org_code(code) == org


def test_registration_numbers_carry_a_mod_11_10_check_digit() -> None:
    assert registration_number_key("440301103097413").value == "440301103097413"
    with pytest.raises(ValueTypeError, match="check digit"):
        registration_number_key("440301103097414")


def test_phones_bank_accounts_and_emails_are_normalised() -> None:
    assert phone_key("+86 139-1234-5678").value == "13912345678"
    account = bank_account_key("6222 0212 3456 7890 128")
    assert (account.value, account.display) == ("6222021234567890128", "****0128")
    with pytest.raises(ValueTypeError, match="Luhn"):
        bank_account_key("6222021234567890127")
    assert email_key(" Boss@Example.COM ").value == "boss@example.com"


@pytest.mark.parametrize(
    ("raw", "domain"),
    [
        ("https://www.Example.com.cn/path?x=1", "example.com.cn"),
        ("m.lu.com", "lu.com"),
        ("HTTP://WWW.EXAMPLE.COM:8080", "example.com"),
        ("app.xinyuan.sh.cn", "xinyuan.sh.cn"),
    ],
)
def test_urls_reduce_to_their_registrable_domain(raw: str, domain: str) -> None:
    assert domain_key(raw).value == domain


def test_an_ip_address_is_no_domain() -> None:
    with pytest.raises(ValueTypeError):
        domain_key("http://10.0.0.1/")


def test_icp_records_drop_the_site_suffix() -> None:
    assert icp_key("京ＩＣＰ备12345678号-1").value == icp_key("京ICP备12345678号").value


def test_addresses_written_with_and_without_the_province_share_a_key() -> None:
    full = address_key("安徽省芜湖市镜湖区北京路8号")
    short = address_key("芜湖 镜湖区 北京路８号")
    assert full.value == short.value == "340202|北京路8号"
    assert address_key("芜湖市镜湖区北京路9号").value != full.value
