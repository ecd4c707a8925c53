"""统一社会信用代码: the check character, cleaning and its reject reasons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.model.types import ValueTypeError, clean_uscc, uscc_check_char
from smokewatch.model.types.uscc import ALPHABET, REGISTRATION_AUTHORITIES

first17 = st.builds(
    lambda head, rest: head + rest,
    st.sampled_from(sorted(REGISTRATION_AUTHORITIES)),
    st.text(alphabet=ALPHABET, min_size=16, max_size=16),
)


@given(first17)
def test_a_code_with_its_check_character_cleans_to_itself(body: str) -> None:
    code = body + uscc_check_char(body)
    assert clean_uscc(code) == code


@given(first17, st.sampled_from(ALPHABET))
def test_any_other_check_character_is_rejected(body: str, wrong: str) -> None:
    right = uscc_check_char(body)
    if wrong == right:
        return
    with pytest.raises(ValueTypeError, match="check character"):
        clean_uscc(body + wrong)


@given(first17)
def test_case_width_and_spaces_do_not_matter(body: str) -> None:
    code = body + uscc_check_char(body)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    assert clean_uscc(f" {full_width[:9]} {full_width[9:]} ") == code


def test_the_check_character_is_31_minus_the_weighted_sum_mod_31() -> None:
    # Worked by hand: weights 3^i mod 31, values from the 31-symbol alphabet.
    body = "91340200MA2N0XXX0"
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    assert uscc_check_char(body) == ALPHABET[(31 - total % 31) % 31] == "Y"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("9134020", "18 characters"),
        ("91340200MA2N0XXXOY", "outside the code alphabet: O"),
        ("Z1340200MA2N0XXX0Y", "outside the code alphabet: Z"),
        ("H1340200MA2N0XXX0Y", "registration-authority"),
    ],
)
def test_reject_reasons_say_what_is_wrong(raw: str, reason: str) -> None:
    with pytest.raises(ValueTypeError, match=reason):
        clean_uscc(raw)
