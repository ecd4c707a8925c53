"""Decoding page bytes: BOM, header, meta, detection, GBK/GB2312, truncation, gzip."""

from __future__ import annotations

import gzip

from smokewatch.patrol.decode import decode_body

TEXT = "年化收益高达18%，保本保息"


def decode(body: bytes, content_type: str | None = None, coding: str | None = None):
    return decode_body(body, content_type=content_type, content_encoding=coding, max_bytes=1 << 20)


def test_a_meta_charset_decides_when_the_header_has_none() -> None:
    body = f'<meta charset="gbk"><p>{TEXT}</p>'.encode("gbk")
    decoded = decode(body, "text/html")
    assert TEXT in decoded.text
    assert (decoded.encoding, decoded.decided_by) == ("gb18030", "meta")


def test_an_http_equiv_meta_charset_is_read() -> None:
    body = (
        f'<meta http-equiv="Content-Type" content="text/html; charset=GB2312"><p>{TEXT}</p>'
    ).encode("gbk")
    assert TEXT in decode(body).text


def test_the_header_charset_wins_over_the_meta_charset() -> None:
    body = f'<meta charset="utf-8"><p>{TEXT}</p>'.encode("gbk")
    decoded = decode(body, "text/html; charset=gbk")
    assert decoded.decided_by == "header"
    assert TEXT in decoded.text


def test_gb2312_labelled_pages_with_gbk_only_characters_decode() -> None:
    body = "<p>鎔基金 — 镕</p>".encode("gbk")  # 镕 is in GBK but not in GB2312
    decoded = decode(body, "text/html; charset=gb2312")
    assert "镕" in decoded.text
    assert decoded.decided_by == "header"


def test_a_wrongly_declared_charset_is_overruled_by_detection() -> None:
    body = f"<p>{TEXT}</p>".encode("gbk")
    decoded = decode(body, "text/html; charset=utf-8")
    assert TEXT in decoded.text
    assert (decoded.encoding, decoded.decided_by, decoded.declared) == (
        "gb18030",
        "detected",
        "utf-8",
    )


def test_undeclared_utf8_and_gbk_are_both_detected() -> None:
    assert decode(TEXT.encode("utf-8")).encoding == "utf-8"
    assert decode(TEXT.encode("gbk")).encoding == "gb18030"
    assert decode(TEXT.encode("gbk")).text == TEXT


def test_a_byte_order_mark_wins() -> None:
    decoded = decode(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "text/html; charset=gbk")
    assert (decoded.text, decoded.decided_by) == (TEXT, "bom")


def test_a_body_cut_inside_a_character_loses_only_that_character() -> None:
    body = TEXT.encode("utf-8")[:-1]
    decoded = decode(body, "text/html; charset=utf-8")
    assert decoded.text == TEXT[:-1]
    assert decoded.decided_by == "header"


def test_gzip_bodies_are_decompressed() -> None:
    assert decode(gzip.compress(TEXT.encode("utf-8")), None, "gzip").text == TEXT


def test_bytes_no_codec_decodes_are_replaced_and_flagged_lossy() -> None:
    decoded = decode(
        TEXT.encode("utf-8") + b"\x80\xff" + TEXT.encode("utf-8"), "text/html; charset=utf-8"
    )
    assert decoded.decided_by == "lossy"
    assert TEXT in decoded.text
