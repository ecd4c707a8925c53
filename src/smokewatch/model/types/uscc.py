"""统一社会信用代码 (unified social credit code, GB 32100-2015).

Eighteen characters from a 31-symbol alphabet (digits and capitals without I, O, S, V, Z):
registration authority, organisation type, 6-digit division code, 9-character organisation
code, and a check character computed from the first seventeen.
"""

from __future__ import annotations

from smokewatch.model.types.base import ValueTypeError
from smokewatch.model.types.text import fold_width

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 symbols, in value order (0-30)."""

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
"""Weight of each of the first 17 positions: 3^i mod 31."""

REGISTRATION_AUTHORITIES = frozenset("123456789ABCDEFGY")
"""First character: the registering authority (1 = 机构编制, 9 = 工商/市场监管, …)."""


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a USCC.

    Examples:
        >>> uscc_check_char("91340200MA2N0XXX0")
        'Y'
    """
    if len(first17) != 17 or any(ch not in _VALUE for ch in first17):
        raise ValueTypeError(f"not 17 USCC characters: {first17!r}")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def clean_uscc(raw: str) -> str:
    """Canonical form of a USCC (upper case, half width, no spaces) or a reject reason.

    Examples:
        >>> clean_uscc(" 91340200ma2n0xxx0y ")
        '91340200MA2N0XXX0Y'
        >>> clean_uscc("91340200MA2N0XXX01")
        Traceback (most recent call last):
        ...
        smokewatch.model.types.base.ValueTypeError: USCC check character is '1' but should be 'Y'
    """
    code = fold_width(raw).replace(" ", "").replace("-", "").upper()
    if len(code) != 18:
        raise ValueTypeError(f"USCC must have 18 characters, got {len(code)}")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        raise ValueTypeError(f"USCC contains characters outside the code alphabet: {''.join(bad)}")
    if code[0] not in REGISTRATION_AUTHORITIES:
        raise ValueTypeError(f"USCC registration-authority character {code[0]!r} is not defined")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValueTypeError(f"USCC check character is {code[17]!r} but should be {expected!r}")
    return code


__all__ = ["ALPHABET", "REGISTRATION_AUTHORITIES", "WEIGHTS", "clean_uscc", "uscc_check_char"]
