"""Deterministic keys: identifiers that make two records one organisation or person outright.

Each ``*_key`` function returns a :class:`Key` — the kind, the canonical value two records must
share, and what may be shown on screen — or raises
:class:`~smokewatch.model.types.ValueTypeError` with a reason that ingest turns into a
row-level reject. Check characters are verified wherever the standard defines one:

* USCC (GB 32100-2015; the embedded organisation code, GB 11714, too), the old 15-digit
  registration number (注册号, GB/T 17710 MOD 11,10), the 9-character organisation code;
* resident ID numbers (GB 11643-1999: 18 characters with a MOD 11-2 check, a valid birth
  date; 15-digit numbers are widened). An ID number is personal data: its key is the keyed
  hash every part of smokewatch uses (:func:`~smokewatch.model.types.identity.identity_key`,
  HMAC-SHA256 under the workspace's secret of the number's sha256, as the untrustworthy-borrower
  list stores it) and its display is masked (340202********123X);
* phones (mobile, landline, 400/800), bank accounts (digits; card numbers of 16–19 digits
  starting with 62 pass the Luhn check; displayed with the last four digits only), e-mail;
* addresses: the division code (from the shipped adcode table) and the rest of the address
  cleaned, so 安徽省芜湖市镜湖区北京路8号 and 芜湖镜湖区北京路8号 give one key;
* URLs and domains: the registrable domain (www.Example.com.cn/path → example.com.cn), and
  ICP record numbers (京ICP备12345678号-1 → 京ICP备12345678号).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from smokewatch.model.types import ValueTypeError, clean_phone, clean_uscc, fold_width
from smokewatch.model.types.identity import (
    clean_id_number,
    id_number_check_char,
    identity_key,
    mask_identifier,
)
from smokewatch.resolve.names import clean_name
from smokewatch.text.address import get_address_resolver


@dataclass(frozen=True, slots=True)
class Key:
    """A deterministic key: records sharing ``kind`` and ``value`` are one entity."""

    kind: str
    value: str
    display: str


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def org_code_check_char(first8: str) -> str:
    """Check character of a 组织机构代码 (GB 11714): 11 - Σ value·weight mod 11; 10 → X.

    Examples:
        >>> org_code_check_char("D2143569")  # the standard's example, D2143569-X
        'X'
    """
    if len(first8) != 8 or any(ch not in _ORG_ALPHABET for ch in first8):
        raise ValueTypeError(f"not 8 organisation-code characters: {first8!r}")
    total = sum(_ORG_ALPHABET.index(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _compact(raw: str) -> str:
    return re.sub(r"[\s\-－]", "", fold_width(raw)).upper()


def organisation_code_key(raw: str) -> Key:
    """A 9-character 组织机构代码 (``D2143569-1`` or ``D21435691``)."""
    code = _compact(raw)
    if len(code) != 9:
        raise ValueTypeError(f"an organisation code has 9 characters, got {len(code)}")
    expected = org_code_check_char(code[:8])
    if code[8] != expected:
        raise ValueTypeError(f"organisation code check character is {code[8]!r}, not {expected!r}")
    return Key("org_code", code, f"{code[:8]}-{code[8]}")


def uscc_key(raw: str) -> Key:
    """A unified social credit code, validated by its check character.

    Examples:
        >>> uscc_key(" 91340200ma2n0xxx0y ").value
        '91340200MA2N0XXX0Y'
    """
    code = clean_uscc(raw)
    return Key("uscc", code, code)


def embedded_org_code(uscc: str) -> str | None:
    """The 组织机构代码 inside a USCC (characters 9–17) when its own check holds, else None.

    It links a company's USCC to records that still carry the old organisation code.
    """
    embedded = clean_uscc(uscc)[8:17]
    if any(ch not in _ORG_ALPHABET for ch in embedded[:8]):
        return None
    return embedded if org_code_check_char(embedded[:8]) == embedded[8] else None


def registration_number_key(raw: str) -> Key:
    """A 15-digit 工商注册号 with its GB/T 17710 (ISO 7064 MOD 11,10) check digit."""
    digits = _compact(raw)
    if not re.fullmatch(r"\d{15}", digits):
        raise ValueTypeError("a registration number has 15 digits")
    product = 10
    for ch in digits[:14]:
        total = (product + int(ch)) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    if int(digits[14]) != check:
        raise ValueTypeError(f"registration number check digit is {digits[14]}, not {check}")
    return Key("reg_no", digits, digits)


def mask_id_number(number: str) -> str:
    """Region and last four shown, birth date hidden: ``340202********123X``."""
    return mask_identifier(number)


def id_number_key(raw: str, secret: bytes) -> Key:
    """A resident ID number as a keyed hash (never stored in clear) with a masked display.

    ``secret`` is the workspace's key: without it the hash cannot be recomputed from a
    guessed number (the space of ID numbers is small enough to enumerate). The value is
    :func:`~smokewatch.model.types.identity.identity_key`, the key the untrustworthy-borrower
    list stores, so a resolved person and a listed one with the same number share it.

    Examples:
        >>> key = id_number_key("11010519491231002X", b"k")
        >>> key.display, len(key.value)
        ('110105********002X', 64)
    """
    if not secret:
        raise ValueTypeError("hashing an ID number needs a non-empty secret")
    number = clean_id_number(raw)
    return Key("id_number", identity_key(secret, number), mask_id_number(number))


def phone_key(raw: str) -> Key:
    """A phone number in the model's canonical form (13912345678, 0553-1234567)."""
    phone = clean_phone(raw)
    return Key("phone", phone, phone)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def bank_account_key(raw: str) -> Key:
    """A bank account or card number: digits only; UnionPay card numbers pass Luhn."""
    digits = _compact(raw)
    if not re.fullmatch(r"\d{9,30}", digits):
        raise ValueTypeError("a bank account has 9 to 30 digits")
    if digits.startswith("62") and 16 <= len(digits) <= 19 and not _luhn_ok(digits):
        raise ValueTypeError("card number fails the Luhn check")
    return Key("bank_account", digits, f"****{digits[-4:]}")


def email_key(raw: str) -> Key:
    """An e-mail address, lower-cased."""
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z0-9-]{2,}", text):
        raise ValueTypeError(f"not an e-mail address: {raw!r}")
    return Key("email", text, text)


_SECOND_LEVEL = frozenset(
    [
        "com",
        "net",
        "org",
        "gov",
        "edu",
        "ac",
        "mil",
        "ah",
        "bj",
        "cq",
        "fj",
        "gd",
        "gs",
        "gx",
        "gz",
        "ha",
        "hb",
        "he",
        "hi",
        "hk",
        "hl",
        "hn",
        "jl",
        "js",
        "jx",
        "ln",
        "mo",
        "nm",
        "nx",
        "qh",
        "sc",
        "sd",
        "sh",
        "sn",
        "sx",
        "tj",
        "tw",
        "xj",
        "xz",
        "yn",
        "zj",
        "co",
    ]
)


def domain_key(raw: str) -> Key:
    """The registrable domain of a URL or host (www.a.com.cn/x → a.com.cn), IDN as punycode."""
    text = unicodedata.normalize("NFKC", raw).strip()
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    try:
        host = host.encode("idna").decode("ascii").lower().rstrip(".")
    except UnicodeError as exc:
        raise ValueTypeError(f"not a domain name: {raw!r}") from exc
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2 or re.fullmatch(r"[\d.]+", host):
        raise ValueTypeError(f"not a domain name: {raw!r}")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    domain = ".".join(labels[-keep:])
    return Key("domain", domain, domain)


_ICP = re.compile(r"([\u4e00-\u9fff])ICP(备|证)(\d{6,10})号?")


def icp_key(raw: str) -> Key:
    """An ICP record (京ICP备12345678号-1) without its site suffix."""
    found = _ICP.search(fold_width(raw).upper().replace(" ", ""))
    if found is None:
        raise ValueTypeError(f"not an ICP record number: {raw!r}")
    value = f"{found.group(1)}ICP{found.group(2)}{found.group(3)}号"
    return Key("icp", value, value)


def address_key(raw: str) -> Key:
    """The division code and the rest of the address, cleaned (see the module docstring)."""
    text = clean_name(raw)
    if not text:
        raise ValueTypeError("empty address")
    match = get_address_resolver().resolve(text)
    if match is None:
        raise ValueTypeError(f"no division found in address: {raw!r}")
    rest = text[match.end :] if match.end < len(text) else ""
    return Key("address", f"{match.code}|{rest}", raw.strip())


__all__ = [
    "Key",
    "address_key",
    "bank_account_key",
    "clean_id_number",
    "domain_key",
    "email_key",
    "embedded_org_code",
    "icp_key",
    "id_number_check_char",
    "id_number_key",
    "mask_id_number",
    "org_code_check_char",
    "organisation_code_key",
    "phone_key",
    "registration_number_key",
    "uscc_key",
]
