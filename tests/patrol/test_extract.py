"""HTML extraction: title, visible text in lines, absolute links, nofollow."""

from __future__ import annotations

from smokewatch.patrol.extract import extract, extract_html

PAGE = """<html><head><title> 鑫源财富 | 稳健理财 </title>
<meta name="description" content="年化18%">
<script>var rate = "年化99%";</script><style>p {color: red}</style></head>
<body><div>年化收益高达18%</div><p>保本&nbsp;保息</p><noscript>开启脚本</noscript>
<a href="/products?id=1#terms">产品</a> <a href="https://other.cn/x">外站</a>
<a href="mailto:a@b.cn">邮件</a> <a href="/products?id=1">再次</a></body></html>"""


def test_title_and_visible_text_exclude_scripts_styles_and_noscript() -> None:
    page = extract_html(PAGE, "http://wealth.example.cn/index.html")
    assert page.title == "鑫源财富 | 稳健理财"
    assert "年化99%" not in page.text
    assert "color" not in page.text
    assert "开启脚本" not in page.text


def test_block_elements_end_lines() -> None:
    page = extract_html(PAGE, "http://wealth.example.cn/")
    assert page.text.splitlines()[:2] == ["年化收益高达18%", "保本 保息"]


def test_links_are_absolute_http_without_fragments_or_duplicates() -> None:
    page = extract_html(PAGE, "http://wealth.example.cn/dir/index.html")
    assert page.links == ("http://wealth.example.cn/products?id=1", "https://other.cn/x")


def test_base_href_changes_how_links_resolve() -> None:
    page = extract_html(
        '<base href="http://cdn.example.cn/a/"><a href="b.html">b</a>', "http://x.cn/"
    )
    assert page.links == ("http://cdn.example.cn/a/b.html",)


def test_meta_robots_nofollow_is_reported() -> None:
    page = extract_html(
        '<meta name="robots" content="noindex, nofollow"><a href="/a">a</a>', "http://x.cn/"
    )
    assert page.nofollow


def test_a_page_that_never_closes_head_still_has_its_body_read() -> None:
    page = extract_html("<html><head><title>t</title><body><p>正文</p>", "http://x.cn/")
    assert page.text == "正文"


def test_plain_text_bodies_are_taken_as_they_are() -> None:
    page = extract("第一行\n\n  第二行  ", "http://x.cn/a.txt", "text/plain")
    assert (page.title, page.text, page.links) == (None, "第一行\n第二行", ())
