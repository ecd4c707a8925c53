"""Fill the zh-CN catalog from a JSON object {english id: Chinese}: after `make messages`.

Plural messages are keyed by their singular id (Chinese has one form).

    python contrib/translate.py translations.json

Only ids present in the catalog are filled (run `make messages` first); others are reported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = (
    Path(__file__).resolve().parents[1]
    / "src/smokewatch/webkit/locale/zh_CN/LC_MESSAGES/messages.po"
)


def main(source: str) -> int:
    """Fill the catalog; print ids that are not in it."""
    wanted: dict[str, str] = json.loads(Path(source).read_text(encoding="utf-8"))
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            if message.id in wanted:
                message.string = wanted.pop(message.id)
        elif message.id[0] in wanted:  # plural: Chinese has one form, keyed by the singular
            message.string = (wanted.pop(message.id[0]),)
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=100, no_location=True)
    for missing in wanted:
        print(f"not in the catalog (run `make messages`): {missing!r}", file=sys.stderr)
    return 1 if wanted else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
