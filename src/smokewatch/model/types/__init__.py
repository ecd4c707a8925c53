"""Value types: cleaning and validation of identifiers, money, dates and phones.

Each ``clean_*`` function returns the canonical form or raises :class:`ValueTypeError`
whose message says, in plain words, what is wrong; ingest turns that message into a
row-level reject reason.
"""

from __future__ import annotations

from smokewatch.model.types.base import ValueTypeError
from smokewatch.model.types.dates import clean_date
from smokewatch.model.types.money import Money, clean_money
from smokewatch.model.types.phone import clean_phone
from smokewatch.model.types.text import fold_width, normalise_text
from smokewatch.model.types.uscc import clean_uscc, uscc_check_char

__all__ = [
    "Money",
    "ValueTypeError",
    "clean_date",
    "clean_money",
    "clean_phone",
    "clean_uscc",
    "fold_width",
    "normalise_text",
    "uscc_check_char",
]
