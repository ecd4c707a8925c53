"""HTML → title, visible text and links, with the standard library's tolerant parser.

No JavaScript runs: what a patrol reads is what the server sent. Text inside ``script``,
``style``, ``noscript``, ``template`` and ``svg`` is dropped; block elements end a line, so
the text detectors see sentences rather than one run-on line. Links are resolved against the
page URL (or ``<base href>``) without their fragments. ``<meta name="robots"
content="nofollow">`` is reported so the crawler does not follow the page's links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_BLOCK = frozenset(
    {
        "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
        "section", "article", "header", "footer", "nav", "aside", "table", "ul", "ol",
        "dl", "dt", "dd", "blockquote", "pre", "form", "hr", "main", "figure", "figcaption",
    }
)  # fmt: skip
_LINKS = {"a": "href", "area": "href", "iframe": "src", "frame": "src"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a page says and where it points."""

    title: str | None
    text: str
    links: tuple[str, ...]
    """Absolute http(s) URLs, in page order, without duplicates or fragments."""
    description: str | None = None
    nofollow: bool = False


class _Reader(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.parts: list[str] = []
        self.title: list[str] = []
        self.links: dict[str, None] = {}
        self.skip_depth = 0
        self.in_title = False
        self.description: str | None = None
        self.nofollow = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "title":
            self.in_title = True
        elif tag == "body":
            self.skip_depth = 0  # a page that never closes <head> still has a body
        elif tag in _SKIP:
            self.skip_depth += 1
        elif tag == "base" and values.get("href"):
            self.base = urljoin(self.base, values["href"])
        elif tag == "meta":
            self._meta(values)
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag in _LINKS and values.get(_LINKS[tag]):
            link = urldefrag(urljoin(self.base, values[_LINKS[tag]].strip())).url
            if link.startswith(("http://", "https://")):
                self.links.setdefault(link)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif self.skip_depth == 0:
            self.parts.append(data)

    def _meta(self, values: dict[str, str]) -> None:
        name = values.get("name", "").lower()
        if name == "description":
            self.description = _clean_line(values.get("content", "")) or None
        elif name == "robots" and "nofollow" in values.get("content", "").lower():
            self.nofollow = True


def _clean_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def clean_text(raw: str) -> str:
    """Collapse spaces within lines and drop empty lines."""
    lines = (_clean_line(line) for line in raw.splitlines())
    return "\n".join(line for line in lines if line)


def extract_html(html: str, url: str) -> Extracted:
    """Title, text, links, description and nofollow of an HTML page fetched from ``url``."""
    reader = _Reader(url)
    reader.feed(html)
    reader.close()
    title = _clean_line("".join(reader.title)) or None
    return Extracted(
        title=title,
        text=clean_text("".join(reader.parts)),
        links=tuple(reader.links),
        description=reader.description,
        nofollow=reader.nofollow,
    )


def extract(text: str, url: str, media_type: str | None) -> Extracted:
    """Extract an HTML page, or take a plain-text body as it is."""
    if media_type == "text/plain":
        return Extracted(title=None, text=clean_text(text), links=())
    return extract_html(text, url)


__all__ = ["Extracted", "clean_text", "extract", "extract_html"]
