"""Valid, unique 统一社会信用代码 for synthetic enterprises, computed for whole arrays at once.

A code is registration authority ``9`` (market regulation), the organisation type (``1``
enterprise, ``2`` individual business, ``3`` farmer cooperative), the 6-digit county code, a
9-character organisation code (8 body characters and a GB 11714 check character) and the
USCC check character (GB 32100). The organisation-code body is a keyed permutation of the
row's global index, so distinct indexes always give distinct codes. Enterprises registered
since the USCC reform get ``MA`` + 6 characters, older ones an 8-digit organisation code.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from smokewatch.errors import InvalidInput
from smokewatch.model.types.uscc import ALPHABET, WEIGHTS

MAX_INDEX = 10**8
"""Global indexes must stay below this bound (the numeric organisation-code space)."""

_MODERN_SPACE = 31**6
_NUMERIC_SPACE = 10**8
# Multipliers are coprime with their space (31^6 and 10^8), so index → body is a bijection.
_MODERN_MULT = 387_420_489
_NUMERIC_MULT = 48_271_009
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
_USCC_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)

U8Array = npt.NDArray[np.uint8]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _value_table(values: dict[str, int]) -> IntArray:
    table = np.full(128, -1, dtype=np.int64)
    for char, value in values.items():
        table[ord(char)] = value
    return table


# GB 11714 reads digits as 0-9 and letters A-Z as 10-35; GB 32100 uses the 31-symbol alphabet.
_ORG_VALUE = _value_table(
    {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}}
)
_USCC_VALUE = _value_table({ch: i for i, ch in enumerate(ALPHABET)})


def _offsets(seed: int) -> tuple[int, int]:
    mixed = np.random.default_rng([seed, 0x05CC]).integers(0, 2**62, size=2)
    return int(mixed[0]) % _MODERN_SPACE, int(mixed[1]) % _NUMERIC_SPACE


def _digits(values: IntArray, base: int, width: int) -> IntArray:
    out = np.empty((values.shape[0], width), dtype=np.int64)
    rest = values.copy()
    for pos in range(width - 1, -1, -1):
        out[:, pos] = rest % base
        rest //= base
    return out


def organisation_bodies(indexes: IntArray, modern: BoolArray, seed: int) -> U8Array:
    """The 8-character organisation-code bodies (ASCII bytes, one row per index)."""
    if indexes.size and (int(indexes.min()) < 0 or int(indexes.max()) >= MAX_INDEX):
        raise InvalidInput(f"USCC indexes must lie in [0, {MAX_INDEX})")
    modern_offset, numeric_offset = _offsets(seed)
    bodies = np.empty((indexes.shape[0], 8), dtype=np.uint8)
    new = (indexes * _MODERN_MULT + modern_offset) % _MODERN_SPACE
    bodies[:, :2] = np.frombuffer(b"MA", dtype=np.uint8)
    new_bodies = _ALPHABET_BYTES[_digits(new, 31, 6)]
    old = (indexes * _NUMERIC_MULT + numeric_offset) % _NUMERIC_SPACE
    old_bodies = (_digits(old, 10, 8) + ord("0")).astype(np.uint8)
    bodies[:, 2:] = new_bodies
    bodies[~modern] = old_bodies[~modern]
    return bodies


def organisation_check(bodies: U8Array) -> U8Array:
    """GB 11714 check characters for 8-character bodies: 11 - Σ(w·v) mod 11; 10→X, 11→0."""
    total = _ORG_VALUE[bodies] @ _ORG_WEIGHTS
    check = 11 - total % 11
    out = (check % 11 + ord("0")).astype(np.uint8)
    out[check == 10] = ord("X")
    return out


def uscc_check(first17: U8Array) -> U8Array:
    """GB 32100 check characters for rows of 17 USCC characters."""
    total = _USCC_VALUE[first17] @ _USCC_WEIGHTS
    result: U8Array = _ALPHABET_BYTES[(31 - total % 31) % 31]
    return result


def make_usccs(
    indexes: IntArray, *, county_codes: U8Array, org_types: U8Array, modern: BoolArray, seed: int
) -> pa.StringArray:
    """USCCs for whole arrays.

    Args:
        indexes: global row indexes, distinct per enterprise, in ``[0, MAX_INDEX)``.
        county_codes: ``(n, 6)`` ASCII bytes of the 6-digit county codes.
        org_types: ``(n,)`` ASCII bytes of the organisation-type digit (``1``, ``2``, ``3``).
        modern: whether each enterprise gets an ``MA`` organisation code.
        seed: varies the permutation, so different seeds give different codes.

    Returns:
        An Arrow string array of 18-character codes with valid check characters.
    """
    n = indexes.shape[0]
    codes = np.empty((n, 18), dtype=np.uint8)
    codes[:, 0] = ord("9")
    codes[:, 1] = org_types
    codes[:, 2:8] = county_codes
    bodies = organisation_bodies(indexes, modern, seed)
    codes[:, 8:16] = bodies
    codes[:, 16] = organisation_check(bodies)
    codes[:, 17] = uscc_check(codes[:, :17])
    buffer = pa.py_buffer(np.ascontiguousarray(codes).tobytes())
    fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(18), n, [None, buffer])
    return fixed.cast(pa.string())


def make_uscc(index: int, *, county_code: str, org_type: str, modern: bool, seed: int) -> str:
    """One USCC (see :func:`make_usccs`).

    Examples:
        >>> from smokewatch.model.types import clean_uscc
        >>> code = make_uscc(7, county_code="340202", org_type="1", modern=True, seed=1)
        >>> clean_uscc(code) == code and code.startswith("91340202MA")
        True
    """
    array = make_usccs(
        np.array([index], dtype=np.int64),
        county_codes=np.frombuffer(county_code.encode("ascii"), dtype=np.uint8).reshape(1, 6),
        org_types=np.frombuffer(org_type.encode("ascii"), dtype=np.uint8),
        modern=np.array([modern]),
        seed=seed,
    )
    return str(array[0].as_py())


def ascii_matrix(values: list[str] | tuple[str, ...], width: int) -> U8Array:
    """Fixed-width ASCII strings as an ``(n, width)`` byte matrix (for lookup tables)."""
    raw = b"".join(v.encode("ascii") for v in values)
    if len(raw) != width * len(values):
        raise InvalidInput(f"every value must have exactly {width} ASCII characters")
    return np.frombuffer(raw, dtype=np.uint8).reshape(len(values), width)


__all__ = [
    "MAX_INDEX",
    "ascii_matrix",
    "make_uscc",
    "make_usccs",
    "organisation_bodies",
    "organisation_check",
    "uscc_check",
]
