"""Identity numbers: validation, the exchange hash books carry, the keyed hash we store, masks."""

from __future__ import annotations

import doctest
import hashlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.model.types import ValueTypeError, identity
from smokewatch.model.types.identity import (
    classify_identifier,
    clean_exchange_hash,
    clean_id_number,
    exchange_hash,
    id_number_check_char,
    identity_key,
    key_fingerprint,
    mask_identifier,
    mask_person_name,
    subject_key,
)


def test_the_examples_in_the_docstrings_hold() -> None:
    assert doctest.testmod(identity).failed == 0


@given(
    region=st.sampled_from(["110105", "340202", "440305", "650102"]),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    serial=st.integers(min_value=0, max_value=999),
)
def test_every_well_formed_number_validates_and_a_changed_check_is_refused(
    region: str, born: date, serial: int
) -> None:
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    number = first17 + id_number_check_char(first17)
    assert clean_id_number(number.lower()) == number
    assert classify_identifier(number) == ("person", number)
    wrong = "0" if number[-1] != "0" else "1"
    with pytest.raises(ValueTypeError, match="check character"):
        clean_id_number(first17 + wrong)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1101051949123100", "18 characters"),
        ("99010519491231002X", "province"),
        ("11010519491331002X", "calendar date"),
        ("11010520991231002X", "out of range"),
    ],
)
def test_malformed_numbers_say_why(raw: str, reason: str) -> None:
    with pytest.raises(ValueTypeError, match=reason):
        clean_id_number(raw)


def test_a_uscc_is_an_enterprise_and_anything_else_is_refused() -> None:
    assert classify_identifier(" 91340200ma2n0xxx0y ") == ("enterprise", "91340200MA2N0XXX0Y")
    with pytest.raises(ValueTypeError):
        classify_identifier("hello")


def test_the_exchange_hash_is_plain_sha256_and_the_stored_key_needs_the_secret() -> None:
    number = "11010519491231002X"
    assert exchange_hash(number) == hashlib.sha256(number.encode()).hexdigest()
    assert clean_exchange_hash(exchange_hash(number).upper()) == exchange_hash(number)
    with pytest.raises(ValueTypeError):
        clean_exchange_hash("abc")
    key = subject_key(b"a", exchange_hash(number))
    assert key != subject_key(b"b", exchange_hash(number))
    assert key != exchange_hash(number) and len(key) == 64
    with pytest.raises(ValueTypeError):
        subject_key(b"", exchange_hash(number))
    assert key_fingerprint(b"a") != key_fingerprint(b"b")


def test_masks_hide_the_birth_date_and_the_given_name() -> None:
    assert mask_identifier("11010519491231002X") == "110105********002X"
    assert mask_person_name("张三丰") == "张**"
    assert mask_person_name("") == ""


@given(
    region=st.sampled_from(["110105", "340202"]),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    serial=st.integers(min_value=0, max_value=999),
    secret=st.binary(min_size=1, max_size=32),
)
def test_the_identity_key_is_the_subject_key_of_the_exchange_hash(
    region: str, born: date, serial: int, secret: bytes
) -> None:
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    number = first17 + id_number_check_char(first17)
    key = identity_key(secret, number)
    assert key == subject_key(secret, exchange_hash(number))
