"""Numbers as Chinese texts write them: 12, 1.2万, 十二, 一点五, 两万五, 十万元, 贰拾万元.

Used by :mod:`smokewatch.text.returns` to read rates and amounts. Every result is an exact
:class:`~decimal.Decimal`: Arabic digits are read as written, Chinese numerals through
``cn2an`` (integer part) and a digit table (decimals after 点), never through ``float``.
Full-width digits must be folded first (:func:`smokewatch.model.types.text.fold_width`).

Examples:
    >>> parse_number("1.2万")
    Decimal('12000.0')
    >>> parse_number("两万五")
    Decimal('25000')
    >>> parse_number("一点五")
    Decimal('1.5')
    >>> parse_amount("十万元")
    Decimal('100000')
    >>> parse_amount("贰拾万元整")
    Decimal('200000')
    >>> parse_amount("1万2"), parse_amount("2.6w"), parse_amount("1000USDT")
    (Decimal('12000'), Decimal('26000.0'), Decimal('1000'))
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from smokewatch.errors import InvalidInput

CN_DIGITS = "零〇一二两三四五六七八九"
"""Chinese digits, 两 and 〇 included."""

CN_CAPITALS = "壹贰叁肆伍陆柒捌玖拾佰仟"
"""The financial (大写) numerals of contracts and IOUs: 贰拾万元 = 200,000, 肆仟元 = 4,000."""

CN_NUMERAL_CHARS = CN_DIGITS + "十百千万亿" + CN_CAPITALS
"""Characters of a Chinese numeral (without the decimal point 点), capitals included."""

_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_MULTIPLIER = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}
_LATIN_MULTIPLIER = {"w": "万", "W": "万", "k": "千", "K": "千"}
"""Chat shorthand: 2w is 2万, 5k is 5千."""
_ARABIC = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*([十百千万亿]*|[wWkK])")
_ARABIC_TAIL = re.compile(r"(\d+)([万千])(\d)")
"""1万2 = 12,000 and 3千6 = 3,600: one digit after 万 or 千 is a tenth of it."""
_AMOUNT_SUFFIX = re.compile(r"\s*(?:元|块钱|块|USDT|usdt|U|u)?(?:整)?(?:人民币)?$")


def parse_number(text: str) -> Decimal:
    """Read one number written with Arabic digits, Chinese numerals or both.

    Accepted: ``12``, ``12.5``, ``1,000``, Arabic digits followed by multipliers (``1.2万``,
    ``10万``, ``3千``, ``2亿``, and in chat ``2w`` = 2万, ``5k`` = 5千), a digit after 万 or 千
    (``1万2`` = 12,000, ``3千6`` = 3,600), and Chinese numerals with an optional decimal part
    (``十二``, ``两``, ``一百二十``, ``一万二`` = 12,000, ``两万五`` = 25,000, ``零点三``,
    ``一点二万`` = 12,000), financial capitals included (``贰拾万``, ``肆仟``). Digits must be
    half-width.

    Raises:
        InvalidInput: the text is not one number.

    Examples:
        >>> parse_number("1,000")
        Decimal('1000')
        >>> parse_number("十二")
        Decimal('12')
        >>> parse_number("零点三")
        Decimal('0.3')
    """
    text = text.strip()
    if not text:
        raise InvalidInput("not a number: empty text")
    arabic = _ARABIC.fullmatch(text)
    if arabic is not None:
        value = Decimal(arabic.group(1).replace(",", ""))
        for char in arabic.group(2):
            value *= _MULTIPLIER[_LATIN_MULTIPLIER.get(char, char)]
        return value
    tail = _ARABIC_TAIL.fullmatch(text)
    if tail is not None:
        unit = _MULTIPLIER[tail.group(2)]
        return Decimal(tail.group(1)) * unit + Decimal(tail.group(3)) * unit / 10
    return _parse_chinese(text)


@lru_cache(maxsize=4096)
def _parse_chinese(text: str) -> Decimal:
    """A Chinese numeral; cached, as the same few numerals recur across millions of texts."""
    integer, point, fraction = text.partition("点")
    multiplier = Decimal(1)
    if point:
        # 一点二万: the multiplier ends the fraction and scales the whole number.
        while fraction and fraction[-1] in _MULTIPLIER:
            multiplier *= _MULTIPLIER[fraction[-1]]
            fraction = fraction[:-1]
        if not fraction or any(c not in _DIGIT_VALUE for c in fraction):
            raise InvalidInput(f"not a number: {text!r}")
    if not integer or any(c not in CN_NUMERAL_CHARS for c in integer):
        raise InvalidInput(f"not a number: {text!r}")
    import cn2an  # noqa: PLC0415 - builds its converters on import: only once a numeral is read

    try:
        whole = cn2an.cn2an(integer, "normal")
    except (ValueError, KeyError, IndexError) as exc:
        raise InvalidInput(f"not a number: {text!r}") from exc
    if not isinstance(whole, int):  # cn2an gives floats only for decimals, excluded above
        raise InvalidInput(f"not a number: {text!r}")
    value = Decimal(whole)
    if fraction:
        value += Decimal("0." + "".join(str(_DIGIT_VALUE[c]) for c in fraction))
    return value * multiplier


def parse_amount(text: str) -> Decimal:
    """Read an amount of money in yuan: ``300元``, ``1.2万元``, ``十万``, ``两千块``, ``2w``.

    The currency word (元, 块, 块钱, 人民币; USDT or U in crypto schemes, read as units of
    money like yuan, since a rate compares two amounts in the same coin) and the 整 of
    contracts (贰拾万元整) are optional; 万 and 亿 scale the number. A bare ``万元`` (as in
    每万元) is 10,000.

    Raises:
        InvalidInput: the text is not an amount.

    Examples:
        >>> parse_amount("1.2万元")
        Decimal('12000.0')
        >>> parse_amount("万元")
        Decimal('10000')
    """
    body = _AMOUNT_SUFFIX.sub("", text.strip())
    if body in {"万", "千", "百", "亿"}:
        return Decimal(_MULTIPLIER[body])
    return parse_number(body)


__all__ = ["CN_CAPITALS", "CN_DIGITS", "CN_NUMERAL_CHARS", "parse_amount", "parse_number"]
