"""Dates as Chinese registries write them."""

from __future__ import annotations

import re
from datetime import date, datetime

from smokewatch.model.types.base import ValueTypeError
from smokewatch.model.types.text import fold_width

_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_LONG_TERM = {"长期", "永久", "无固定期限", "不约定期限", "9999-12-31"}


def clean_date(raw: str | date | datetime) -> date | None:
    """Parse 2019-05-06, 2019/5/6, 2019.5.6, 2019年5月6日, 20190506 (time parts ignored).

    Returns ``None`` for open-ended terms (长期, 永久, 无固定期限).

    Examples:
        >>> clean_date("2019年5月6日")
        datetime.date(2019, 5, 6)
        >>> clean_date("长期") is None
        True
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = fold_width(raw).strip()
    if text in _LONG_TERM:
        return None
    match = _YMD.match(text) or _COMPACT.match(text)
    if not match:
        raise ValueTypeError(f"not a date: {raw!r}")
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueTypeError(f"not a calendar date: {raw!r} ({exc})") from exc


__all__ = ["clean_date"]
