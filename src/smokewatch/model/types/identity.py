"""Identity numbers of listed persons and enterprises: validation, exchange hash, keyed hash, mask.

A resident ID number (居民身份证号码, GB 11643-1999) has 17 digits and a MOD 11-2 check character
and embeds a birth date; 15-digit numbers of the first generation are widened to 18. A USCC is
validated by :func:`~smokewatch.model.types.uscc.clean_uscc`.

Two hashes, for two purposes:

* the **exchange hash** — ``sha256`` of the canonical number, lower-case hex — is what loan
  books carry (``loan.borrower_hash``) and what another agency can compute from the same number;
  on its own it can be reversed by trying every plausible ID number;
* the **subject key** — HMAC-SHA256 of the exchange hash under the workspace's secret key — is
  what smokewatch stores. Without the key it cannot be recomputed from a guessed number; with
  it, any exchange hash (from a book, or given pre-hashed in a list) maps to the same key, so
  matching never needs the clear number.

:func:`identity_key` is the two in one step, and the only keyed hash of an identity number in
smokewatch: the untrustworthy-borrower list stores it (``blacklist_entry.subject_key``) and
entity resolution keys ID numbers with it
(:func:`smokewatch.resolve.keys.id_number_key`), so the same number under the same secret is
the same key on both paths.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

from smokewatch.model.types.base import ValueTypeError
from smokewatch.model.types.text import fold_width
from smokewatch.model.types.uscc import clean_uscc

_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63"}
    | {"64", "65", "71", "81", "82", "83", "91"}
)
_HEX64 = re.compile(r"[0-9a-f]{64}")


def id_number_check_char(first17: str) -> str:
    """Check character of an 18-character resident ID number (GB 11643, MOD 11-2).

    Examples:
        >>> id_number_check_char("11010519491231002")
        'X'
    """
    if not re.fullmatch(r"\d{17}", first17):
        raise ValueTypeError("an ID number starts with 17 digits")
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _compact(raw: str) -> str:
    return re.sub(r"[\s\-]", "", fold_width(raw)).upper()


def clean_id_number(raw: str, *, today: date | None = None) -> str:
    """The 18-character form of a resident ID number, validated (check, birth date, province).

    Examples:
        >>> clean_id_number("11010519491231002x")
        '11010519491231002X'
        >>> clean_id_number("110105491231002")
        '11010519491231002X'
    """
    number = _compact(raw)
    if re.fullmatch(r"\d{15}", number):
        first17 = f"{number[:6]}19{number[6:]}"
        number = first17 + id_number_check_char(first17)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValueTypeError("an ID number has 18 characters (17 digits and a digit or X)")
    if number[:2] not in _PROVINCES:
        raise ValueTypeError(f"the ID number's region {number[:6]} is not in a province")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValueTypeError("the ID number's birth date is not a calendar date") from exc
    if not date(1900, 1, 1) <= born <= (today or date.today()):
        raise ValueTypeError("the ID number's birth date is out of range")
    expected = id_number_check_char(number[:17])
    if number[17] != expected:
        raise ValueTypeError(f"ID number check character is {number[17]!r}, not {expected!r}")
    return number


def classify_identifier(raw: str) -> tuple[str, str]:
    """``("person", ID number)`` or ``("enterprise", USCC)`` from a number of either kind.

    Raises :class:`ValueTypeError` naming both failures when the text is neither.

    Examples:
        >>> classify_identifier("91340200MA2N0XXX0Y")
        ('enterprise', '91340200MA2N0XXX0Y')
        >>> classify_identifier("11010519491231002X")
        ('person', '11010519491231002X')
    """
    text = _compact(raw)
    if re.fullmatch(r"\d{15}|\d{17}[\dX]", text):
        try:
            return "person", clean_id_number(text)
        except ValueTypeError as person_error:
            try:
                return "enterprise", clean_uscc(text)
            except ValueTypeError:
                raise person_error from None
    return "enterprise", clean_uscc(text)


def exchange_hash(number: str) -> str:
    """``sha256`` of a canonical ID number or USCC, lower-case hex (as loan books carry it).

    Examples:
        >>> exchange_hash("11010519491231002X")[:12]
        '426695a0efdb'
    """
    return hashlib.sha256(number.encode("ascii")).hexdigest()


def clean_exchange_hash(raw: str) -> str:
    """A given exchange hash, checked: 64 hexadecimal characters, returned in lower case."""
    text = fold_width(raw).strip().lower()
    if not _HEX64.fullmatch(text):
        raise ValueTypeError("a hashed identifier is 64 hexadecimal characters (sha256)")
    return text


def subject_key(secret: bytes, exchange: str) -> str:
    """The stored key of an identity: HMAC-SHA256 of its exchange hash under ``secret``.

    Examples:
        >>> len(subject_key(b"k", exchange_hash("11010519491231002X")))
        64
    """
    if not secret:
        raise ValueTypeError("hashing an identifier needs a non-empty secret key")
    return hmac.new(secret, exchange.encode("ascii"), hashlib.sha256).hexdigest()


def identity_key(secret: bytes, number: str) -> str:
    """The keyed hash of a canonical ID number or USCC: ``subject_key(exchange_hash(number))``.

    Examples:
        >>> number = "11010519491231002X"
        >>> identity_key(b"k", number) == subject_key(b"k", exchange_hash(number))
        True
    """
    return subject_key(secret, exchange_hash(number))


def key_fingerprint(secret: bytes) -> str:
    """A short public fingerprint of a secret key (tells keys apart, reveals nothing)."""
    return hashlib.sha256(b"smokewatch-key-id|" + secret).hexdigest()[:16]


def mask_identifier(number: str) -> str:
    """Region (or authority and region) and the last four shown: ``110105********002X``.

    Examples:
        >>> mask_identifier("91340200MA2N0XXX0Y")
        '913402********XX0Y'
    """
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_person_name(name: str) -> str:
    """A person's name with the surname kept: ``张*``, ``欧**娜`` … (names of one character: ``*``).

    Examples:
        >>> mask_person_name("张三"), mask_person_name("欧阳娜娜"), mask_person_name("李")
        ('张*', '欧阳**', '*')
    """
    if len(name) <= 1:
        return "*" * len(name)
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


__all__ = [
    "classify_identifier",
    "clean_exchange_hash",
    "clean_id_number",
    "exchange_hash",
    "id_number_check_char",
    "identity_key",
    "key_fingerprint",
    "mask_identifier",
    "mask_person_name",
    "subject_key",
]
