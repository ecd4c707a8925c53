"""Build the text reader's start-up tables, shipped in ``src/smokewatch/text/data/``.

* ``address_keywords.json.gz``: the address resolver's keyword table, derived from the shipped
  division table (``src/smokewatch/model/data/divisions.csv.gz``; rerun this script after
  ``contrib/build_divisions.py``);
* ``jieba_dictionary.bin.gz``: jieba's prefix dictionary and part-of-speech table, built by
  jieba's own code from the installed jieba's ``dict.txt`` (MIT licence, see
  ``text/data/SOURCE.md``).

Both are reproducible byte for byte, and tests fail when a shipped file differs from what this
script would write.

Usage: python contrib/build_text_tables.py
"""

from __future__ import annotations

from pathlib import Path

from smokewatch.model.divisions import load_divisions
from smokewatch.text import address_table, jieba_dictionary

OUT = Path(__file__).resolve().parents[1] / "src/smokewatch/text/data"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    tables = {
        address_table.TABLE_FILE: address_table.build_keyword_table(load_divisions()),
        jieba_dictionary.TABLE_FILE: jieba_dictionary.build_jieba_table(),
    }
    for name, data in tables.items():
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT / name} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
