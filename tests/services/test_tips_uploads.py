"""Evidence uploads of the public: only JPEG, PNG and PDF that are nothing else, stored by hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput
from smokewatch.services.tips_uploads import (
    MAX_FILES,
    Upload,
    check_upload,
    check_uploads,
    safe_name,
    store_file,
    stored_path,
)
from tests.portal.files import jpeg, pdf, png

ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"PK\x05\x06" + b"\x00" * 18


@pytest.mark.parametrize(
    ("content", "kind"),
    [(png(), "image/png"), (jpeg(), "image/jpeg"), (pdf(), "application/pdf")],
    ids=["png", "jpeg", "pdf"],
)
def test_real_images_and_pdfs_are_accepted_with_the_type_their_bytes_say(
    content: bytes, kind: str
) -> None:
    checked = check_upload(Upload("证据.bin", content))
    assert (checked.media_type, checked.sha256) == (kind, hashlib.sha256(content).hexdigest())


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.jpg", b"", "empty"),
        ("page.html", b"<!doctype html><script>alert(1)</script>", "only JPEG, PNG and PDF"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "only JPEG"),
        ("x.png", b"\xef\xbb\xbf<svg onload=alert(1)>", "only JPEG"),
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, "only JPEG"),
        ("run.jpg", b"#!/bin/sh\nrm -rf /\n", "only JPEG"),
        ("archive.pdf", ZIP, "only JPEG"),
        ("gif.png", b"GIF89a\x01\x00\x01\x00", "only JPEG"),
        ("cut.png", png()[:-12], "does not end"),
        ("cut.pdf", pdf().replace(b"%%EOF", b"%%EO"), "does not end"),
    ],
    ids=["empty", "html", "svg", "svg-bom", "exe", "script", "zip", "gif", "png-cut", "pdf-cut"],
)
def test_other_types_and_broken_files_are_refused(name: str, content: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        check_upload(Upload(name, content))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (png() + b"<html><script>alert(1)</script></html>", "does not end"),
        (jpeg() + ZIP, "does not end"),
        (jpeg()[:-2] + b"<script>alert(1)</script>\xff\xd9", "markup"),
        (png()[:33] + b"\x00\x00\x00\x10tEXt<svg onload=x>" + png()[33:], "markup"),
        (jpeg()[:-2] + ZIP + b"\xff\xd9", "archive"),
        (
            pdf().replace(
                b"<< /Type /Catalog",
                b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> /Type /Catalog",
            ),
            "scripts",
        ),
        (
            pdf().replace(b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /EmbeddedFile 9 0 R"),
            "scripts",
        ),
    ],
    ids=[
        "png+html",
        "jpeg+zip",
        "jpeg-inner-script",
        "png-svg-chunk",
        "jpeg-inner-zip",
        "pdf-js",
        "pdf-embedded",
    ],
)
def test_polyglots_are_refused(content: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        check_upload(Upload("photo.jpg", content))


def test_a_file_over_the_limit_is_refused_before_it_is_read_as_anything() -> None:
    big = png() + b"\x00" * 100
    with pytest.raises(InvalidInput, match="larger than"):
        check_upload(Upload("big.png", big), max_bytes=len(big) - 1)


def test_at_most_five_files_a_submission_and_empty_fields_do_not_count() -> None:
    assert check_uploads([Upload("", b"")] * 3) == []
    with pytest.raises(InvalidInput, match=f"at most {MAX_FILES}"):
        check_uploads([Upload(f"{i}.png", png()) for i in range(MAX_FILES + 1)])


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/var/www/shell.php.png", "shell.php.png"),
        ("evil\x00.png", "evil.png"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("..", "file"),
        ("收据 2026.jpg", "收据 2026.jpg"),
    ],
)
def test_a_name_is_only_a_label_never_a_path(name: str, label: str) -> None:
    assert safe_name(name) == label


def test_files_are_stored_under_their_hash_read_only_whatever_their_name(tmp_path: Path) -> None:
    checked = check_upload(Upload("../../../../tmp/escape.png", png()))
    path = store_file(tmp_path / "tips", checked)
    assert path == tmp_path / "tips" / checked.sha256[:2] / checked.sha256
    assert path.read_bytes() == png() and not (path.stat().st_mode & 0o222)
    assert store_file(tmp_path / "tips", checked) == path  # once
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [checked.sha256]
    with pytest.raises(InvalidInput):
        stored_path(tmp_path, "../" + "0" * 61)
