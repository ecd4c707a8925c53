"""Chinese phone numbers: mobiles (1[3-9]x, 11 digits) and landlines with area codes."""

from __future__ import annotations

import re

from smokewatch.model.types.base import ValueTypeError
from smokewatch.model.types.text import fold_width

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})(\d{7,8})$")
_SERVICE = re.compile(r"^(400|800)\d{7}$")


def clean_phone(raw: str) -> str:
    """Normalise to ``13912345678``, ``0553-1234567`` or ``400xxxxxxx``.

    Examples:
        >>> clean_phone("+86 139-1234-5678")
        '13912345678'
        >>> clean_phone("(0553)1234567")
        '0553-1234567'
    """
    digits = re.sub(r"\D", "", fold_width(raw))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if _MOBILE.match(digits) or _SERVICE.match(digits):
        return digits
    landline = _LANDLINE.match(digits)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    raise ValueTypeError(f"not a Chinese phone number: {raw!r}")


__all__ = ["clean_phone"]
