from __future__ import annotations

import numpy as np
import pytest

from smokewatch.demo.uscc import MAX_INDEX, ascii_matrix, make_uscc, make_usccs
from smokewatch.errors import InvalidInput
from smokewatch.model.types import clean_uscc

_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _gb11714_valid(code9: str) -> bool:
    """Independent check of a 9-character organisation code (GB 11714)."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in code9[:8]]
    check = 11 - sum(v * w for v, w in zip(values, _GB11714_WEIGHTS, strict=True)) % 11
    expected = {10: "X", 11: "0"}.get(check, str(check))
    return code9[8] == expected


def _codes(n: int, *, seed: int = 3, modern_every: int = 2) -> list[str]:
    index = np.arange(n, dtype=np.int64)
    return make_usccs(
        index,
        county_codes=ascii_matrix(["340202"] * n, 6),
        org_types=np.full(n, ord("1"), dtype=np.uint8),
        modern=index % modern_every == 0,
        seed=seed,
    ).to_pylist()


def test_generated_codes_pass_the_uscc_check() -> None:
    codes = _codes(5_000)
    assert [clean_uscc(c) for c in codes] == codes


def test_generated_organisation_codes_pass_the_gb11714_check() -> None:
    assert all(_gb11714_valid(c[8:17]) for c in _codes(5_000))


def test_distinct_indexes_give_distinct_codes() -> None:
    assert len(set(_codes(200_000))) == 200_000


def test_codes_start_with_authority_type_and_county() -> None:
    assert {c[:8] for c in _codes(100)} == {"91340202"}


def test_modern_codes_use_ma_organisation_codes_and_old_ones_digits() -> None:
    codes = _codes(100)
    assert all(c[8:10] == "MA" for c in codes[0::2])
    assert all(c[8:16].isdigit() for c in codes[1::2])


def test_the_seed_changes_the_codes() -> None:
    assert set(_codes(100, seed=1)).isdisjoint(_codes(100, seed=2))


def test_one_code_matches_the_array_version() -> None:
    code = make_uscc(4, county_code="340202", org_type="1", modern=True, seed=3)
    assert code == _codes(5)[4]


def test_indexes_beyond_the_code_space_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="indexes"):
        make_uscc(MAX_INDEX, county_code="340202", org_type="1", modern=True, seed=3)


def test_ascii_matrix_rejects_values_of_the_wrong_width() -> None:
    with pytest.raises(InvalidInput, match="exactly 6"):
        ascii_matrix(["34020"], 6)
