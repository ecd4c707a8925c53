from __future__ import annotations

from datetime import date

import numpy as np

from smokewatch.demo.places import CityMap, day_number, make_person_names, make_phones
from smokewatch.demo.pools import load_pools
from smokewatch.model.types import clean_phone

POOLS = load_pools()
CITY = CityMap.build(POOLS)


def test_townships_are_drawn_within_their_county() -> None:
    county = np.repeat(np.arange(len(POOLS.counties)), 50)
    township = CITY.draw_townships(np.random.default_rng(1), county)
    codes = np.array(CITY.township_codes)[township]
    expected = np.array(CITY.county_codes)[county]
    assert all(t.startswith(c) for t, c in zip(codes, expected, strict=True))


def test_older_enterprises_keep_the_former_county_code_in_their_uscc() -> None:
    wanzhi = CITY.county_codes.index("340210")
    county = np.array([wanzhi, wanzhi])
    established = np.array([day_number(date(2010, 1, 1)), day_number(date(2024, 1, 1))])
    codes = CITY.uscc_county_bytes(county, established)
    assert [bytes(row).decode() for row in codes] == ["340221", "340210"]


def test_phones_are_mobiles_or_local_landlines() -> None:
    phones = [p for p in make_phones(np.random.default_rng(1), POOLS, 500).to_pylist() if p]
    assert all(clean_phone(p) == p for p in phones)
    assert any(p.startswith("0553-") for p in phones)


def test_person_names_have_two_or_three_characters() -> None:
    names = make_person_names(np.random.default_rng(1), POOLS, 500).to_pylist()
    assert {len(n) for n in names} == {2, 3}
    assert all(n[0] in POOLS.surnames for n in names)
