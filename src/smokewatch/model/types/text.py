"""Width folding and whitespace normalisation that keep character positions stable."""

from __future__ import annotations

import re

_FULL_TO_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULL_TO_HALF[0x3000] = 0x20  # ideographic space
_WS = re.compile(r"\s+")


def fold_width(text: str) -> str:
    """Map full-width ASCII (ＡＢＣ１２３（）) to half-width, one character for one.

    The result has the same length as the input, so positions found in the folded text
    point at the same characters in the original.

    Examples:
        >>> fold_width("Ｐ２Ｐ（芜湖）")
        'P2P(芜湖)'
    """
    return text.translate(_FULL_TO_HALF)


def normalise_text(text: str) -> str:
    """Fold width, trim and collapse runs of whitespace to one space."""
    return _WS.sub(" ", fold_width(text)).strip()


__all__ = ["fold_width", "normalise_text"]
