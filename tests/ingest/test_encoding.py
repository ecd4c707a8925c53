"""Which codec decodes a file: whole files, and files read line by line with corrupt lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput
from smokewatch.ingest.encoding import (
    detect_encoding,
    detect_line_encoding,
    open_lines,
    undecodable_at,
)

CORRUPT = b"\xff\xfe\xfd"  # neither UTF-8 nor GB18030


def _lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_a_whole_file_refusal_names_how_to_declare_the_encoding(tmp_path: Path) -> None:
    path = _lines(tmp_path / "x.txt", [CORRUPT])
    with pytest.raises(InvalidInput, match=r"; set encoding in source.yml \(e\.g\. big5"):
        detect_encoding(path, "auto")
    with pytest.raises(InvalidInput, match=r"; name it with --encoding \(e\.g\. big5"):
        detect_encoding(path, "auto", how_to_declare="name it with --encoding")


@pytest.mark.parametrize(("codec", "detected"), [("utf-8", "utf-8"), ("gbk", "gb18030")])
def test_one_corrupt_line_does_not_decide_the_encoding(
    tmp_path: Path, codec: str, detected: str
) -> None:
    good = ["保本保息，年化20%".encode(codec), "稳赚不赔".encode(codec), b"plain"]
    path = _lines(tmp_path / "x.txt", [good[0], CORRUPT, *good[1:]])
    with pytest.raises(InvalidInput):
        detect_encoding(path, "auto")
    assert detect_line_encoding(path, "auto", how_to_declare="-") == detected


def test_a_bom_is_kept_when_utf8_wins_over_a_corrupt_line(tmp_path: Path) -> None:
    path = _lines(tmp_path / "x.txt", [b"\xef\xbb\xbf" + "保本".encode(), CORRUPT, b"ok"])
    assert detect_line_encoding(path, "auto", how_to_declare="-") == "utf-8-sig"


def test_a_declared_encoding_with_a_corrupt_line_is_kept(tmp_path: Path) -> None:
    path = _lines(tmp_path / "x.txt", ["保本".encode("gbk"), CORRUPT, "年化".encode("gbk")])
    assert detect_line_encoding(path, "gbk", how_to_declare="-") == "gbk"


def test_a_file_mostly_undecodable_is_another_encoding_and_refused(tmp_path: Path) -> None:
    path = _lines(tmp_path / "x.txt", [CORRUPT, CORRUPT, "保本".encode()])
    with pytest.raises(InvalidInput, match=r"decodes neither as UTF-8 .* pass it"):
        detect_line_encoding(path, "auto", how_to_declare="pass it")


def test_undecodable_bytes_are_found_where_they_are_in_the_line(tmp_path: Path) -> None:
    path = _lines(tmp_path / "x.txt", ["保本".encode() + CORRUPT + b"x", "年化".encode()])
    with open_lines(path, "utf-8") as fh:
        first, second = fh.read().splitlines()
    assert (undecodable_at(first), undecodable_at(second)) == (2, None)
