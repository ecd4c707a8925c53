"""Vectorised drawing of counties, townships, addresses, phones and person names.

Every function takes a numpy ``Generator`` and returns whole Arrow arrays, so a block of a
hundred thousand enterprises costs a handful of Arrow kernels rather than a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.demo.pools import Pools
from smokewatch.demo.uscc import ascii_matrix

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

EPOCH = date(1970, 1, 1)
_MOBILE_PREFIXES = np.array(
    [
        *range(130, 140),
        150,
        151,
        152,
        153,
        155,
        156,
        157,
        158,
        159,
        166,
        173,
        175,
        176,
        177,
        178,
        *range(180, 190),
        191,
        193,
        195,
        198,
        199,
    ],
    dtype=np.int64,
)


def day_number(value: date) -> int:
    """Days since 1970-01-01 (the Arrow ``date32`` representation)."""
    return (value - EPOCH).days


def probabilities(weights: list[float] | tuple[float, ...] | FloatArray) -> FloatArray:
    """Weights normalised to probabilities."""
    array = np.asarray(weights, dtype=np.float64)
    return np.asarray(array / array.sum(), dtype=np.float64)


def choose(rng: np.random.Generator, n: int, weights: FloatArray) -> IntArray:
    """``n`` indexes drawn with the given (normalised) probabilities."""
    return np.asarray(rng.choice(weights.shape[0], size=n, p=weights), dtype=np.int64)


def strings(values: list[str] | tuple[str, ...]) -> pa.StringArray:
    """A Python sequence of strings as an Arrow array."""
    return pa.array(list(values), type=pa.string())


def take(pool: pa.Array, indexes: IntArray) -> pa.Array:
    """``pool[indexes]`` as an Arrow array."""
    return pc.take(pool, pa.array(indexes, type=pa.int64()))


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of arrays and constant strings (null if any part is null)."""
    return pc.binary_join_element_wise(*parts, "")


def numbers(values: IntArray) -> pa.Array:
    """Integers as their decimal text."""
    return pc.cast(pa.array(values, type=pa.int64()), pa.string())


def dates(days: IntArray) -> pa.Array:
    """Day numbers as ISO dates (``2019-05-06``)."""
    return pc.cast(pa.array(days.astype(np.int32), type=pa.int32()).cast(pa.date32()), pa.string())


@dataclass(frozen=True, slots=True)
class CityMap:
    """The city's counties and townships as flat arrays for vectorised drawing."""

    county_codes: tuple[str, ...]
    county_names: pa.StringArray
    county_weights: FloatArray
    rural_weights: FloatArray
    county_code_bytes: npt.NDArray[np.uint8]
    former_code_bytes: npt.NDArray[np.uint8]
    former_until: IntArray
    township_start: IntArray
    township_count: IntArray
    township_codes: tuple[str, ...]
    township_names: pa.StringArray
    township_is_town: BoolArray

    @classmethod
    def build(cls, pools: Pools) -> CityMap:
        """Flatten the counties of ``pools``."""
        counties = pools.counties
        townships = [t for c in counties for t in c.townships]
        counts = np.array([len(c.townships) for c in counties], dtype=np.int64)
        weights = np.array([c.weight for c in counties])
        rural = np.array([c.weight if c.has_towns else 0.0 for c in counties])
        never = np.iinfo(np.int64).min
        return cls(
            county_codes=tuple(c.code for c in counties),
            county_names=strings([c.name for c in counties]),
            county_weights=probabilities(weights),
            rural_weights=probabilities(rural),
            county_code_bytes=ascii_matrix([c.code for c in counties], 6),
            former_code_bytes=ascii_matrix([c.former_code or c.code for c in counties], 6),
            former_until=np.array(
                [day_number(c.former_until) if c.former_until else never for c in counties],
                dtype=np.int64,
            ),
            township_start=np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64),
            township_count=counts,
            township_codes=tuple(t.code for t in townships),
            township_names=strings([t.name for t in townships]),
            township_is_town=np.array([t.is_town for t in townships], dtype=np.bool_),
        )

    def draw_townships(self, rng: np.random.Generator, county: IntArray) -> IntArray:
        """One township (flat index) per row, uniformly within the row's county."""
        offset = np.floor(rng.random(county.shape[0]) * self.township_count[county])
        return np.asarray(self.township_start[county] + offset.astype(np.int64), dtype=np.int64)

    def uscc_county_bytes(self, county: IntArray, established: IntArray) -> npt.NDArray[np.uint8]:
        """County codes for USCCs: the pre-reorganisation code for older enterprises."""
        old = established < self.former_until[county]
        codes = self.county_code_bytes[county].copy()
        codes[old] = self.former_code_bytes[county[old]]
        return codes


def _urban_tail(rng: np.random.Generator, pools: Pools, n: int) -> pa.Array:
    street = take(strings(pools.streets), rng.integers(0, len(pools.streets), n))
    number = numbers(np.minimum(rng.geometric(0.012, n), 999))
    room = numbers(rng.integers(1, 31, n) * 100 + rng.integers(1, 21, n))
    extras = [
        pa.array([""] * n, type=pa.string()),
        join(
            take(strings(pools.estates), rng.integers(0, len(pools.estates), n)),
            numbers(rng.integers(1, 41, n)),
            "栋",
            room,
            "室",
        ),
        join(take(strings(pools.towers), rng.integers(0, len(pools.towers), n)), room, "室"),
        join(
            take(strings(pools.parks), rng.integers(0, len(pools.parks), n)),
            numbers(rng.integers(1, 25, n)),
            "号厂房",
        ),
    ]
    pick = pa.array(choose(rng, n, probabilities([40, 25, 20, 15])).astype(np.int8))
    return join(street, number, "号", pc.choose(pick, *extras))


def _rural_tail(rng: np.random.Generator, pools: Pools, n: int) -> pa.Array:
    village = take(strings(pools.villages), rng.integers(0, len(pools.villages), n))
    group = numbers(rng.integers(1, 16, n))
    number = numbers(rng.integers(1, 120, n))
    with_group = pa.array(rng.random(n) < 0.6)
    return join(village, pc.if_else(with_group, join(group, "组"), ""), number, "号")


def make_addresses(
    rng: np.random.Generator, pools: Pools, city: CityMap, county: IntArray, township: IntArray
) -> pa.Array:
    """Registered addresses: ``安徽省芜湖市{county}{township}{street or village}…号…``.

    The county name is always present, so ingest can derive the division from the address;
    about one row in twelve omits the township.
    """
    n = county.shape[0]
    head = take(
        strings([f"{pools.province_name}{pools.city_name}", pools.city_name]),
        choose(rng, n, probabilities([70, 30])),
    )
    with_township = rng.random(n) >= 0.08
    town_name = pc.if_else(pa.array(with_township), take(city.township_names, township), "")
    rural = pa.array(with_township & city.township_is_town[township] & (rng.random(n) < 0.7))
    tail = pc.if_else(rural, _rural_tail(rng, pools, n), _urban_tail(rng, pools, n))
    return join(head, take(city.county_names, county), town_name, tail)


def make_phones(rng: np.random.Generator, pools: Pools, n: int) -> pa.Array:
    """Contact phones: mobiles, ``0553-`` landlines, and about one in ten empty."""
    mobile = numbers(
        _MOBILE_PREFIXES[rng.integers(0, _MOBILE_PREFIXES.shape[0], n)] * 10**8
        + rng.integers(0, 10**8, n)
    )
    landline = join(f"{pools.area_code}-", numbers(rng.integers(2_000_000, 9_000_000, n)))
    pick = choose(rng, n, probabilities([62, 28, 10]))
    phone = pc.if_else(pa.array(pick == 0), mobile, landline)
    return pc.if_else(pa.array(pick == 2), pa.scalar(None, pa.string()), phone)


def make_person_names(rng: np.random.Generator, pools: Pools, n: int) -> pa.Array:
    """Person names: a surname (by frequency) and one or two given-name characters."""
    surname = take(strings(pools.surnames), choose(rng, n, probabilities(pools.surname_weights)))
    given = strings(pools.given_chars)
    first = take(given, rng.integers(0, len(given), n))
    second = take(given, rng.integers(0, len(given), n))
    return join(surname, first, pc.if_else(pa.array(rng.random(n) < 0.72), second, ""))


__all__ = [
    "EPOCH",
    "CityMap",
    "choose",
    "dates",
    "day_number",
    "join",
    "make_addresses",
    "make_person_names",
    "make_phones",
    "numbers",
    "probabilities",
    "strings",
    "take",
]
