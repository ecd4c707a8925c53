"""Gettext catalogs for the browser edges (dashboard and tip portal), zh-CN and English.

Message ids are English; ``locale/zh_CN/LC_MESSAGES/messages.po`` translates them. The ``.po``
files are the only source: they are compiled in memory when first used, so no ``.mo`` build
step exists to forget. ``make messages`` extracts new ids from templates and Python into both
catalogs (``tests/webkit/test_i18n.py`` fails while an id lacks its Chinese translation).

The locale of a request is chosen by :func:`negotiate` (the ``lang`` cookie, then the
browser's ``Accept-Language``; Chinese when nothing says otherwise) and held in a context
variable, so templates and code call plain ``_()`` without passing it around.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib.resources import files
from typing import Final, Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Locale = Literal["zh_CN", "en"]
LOCALES: Final[tuple[Locale, ...]] = ("zh_CN", "en")
DEFAULT_LOCALE: Final[Locale] = "zh_CN"
#: What the ``lang`` cookie / query parameter may say, and the locale it selects.
LANG_TAGS: Final[dict[str, Locale]] = {
    "zh-CN": "zh_CN",
    "zh_CN": "zh_CN",
    "zh": "zh_CN",
    "en": "en",
}
#: The ``lang`` attribute of ``<html>`` for each locale (BCP 47).
HTML_LANG: Final[dict[Locale, str]] = {"zh_CN": "zh-CN", "en": "en"}

_current: ContextVar[Locale] = ContextVar("smokewatch_locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: Locale) -> Translations:
    """The compiled catalog of ``locale`` (English falls back to the message ids)."""
    source = files("smokewatch.webkit") / "locale" / locale / "LC_MESSAGES" / "messages.po"
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


def negotiate(cookie: str | None, accept_language: str | None) -> Locale:
    """Pick the locale: an explicit choice (cookie) wins, then the browser's preference order.

    A browser that asks for any Chinese variant gets zh-CN; one that prefers English gets
    English; anything else (or nothing) gets the default, Chinese.
    """
    if cookie and cookie in LANG_TAGS:
        return LANG_TAGS[cookie]
    for tag in _ranked(accept_language or ""):
        primary = tag.split("-", 1)[0]
        if primary == "zh":
            return "zh_CN"
        if primary == "en":
            return "en"
    return DEFAULT_LOCALE


def _ranked(header: str) -> list[str]:
    """Language tags of an ``Accept-Language`` header, best first (q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, index, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranked)]


def switch_target(path: str, query: str) -> str:
    """The page with its query but without ``lang`` (where the language switch points)."""
    kept = "&".join(part for part in query.split("&") if part and part.split("=", 1)[0] != "lang")
    return f"{path}?{kept}" if kept else path


def current_locale() -> Locale:
    """The locale of the request being served (the default outside requests)."""
    return _current.get()


@contextmanager
def use_locale(locale: Locale) -> Iterator[None]:
    """Translate with ``locale`` inside the block (requests, tests, exports)."""
    token = _current.set(locale)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """Translate ``message`` into the current locale."""
    return translations(_current.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with the plural form for ``n`` (Chinese has one form)."""
    return translations(_current.get()).ungettext(singular, plural, n)


class LocaleMiddleware:
    """Pure ASGI middleware: choose the request's locale; ``?lang=`` also remembers it.

    The locale is set in the context variable before the app runs, so sync routes (run in a
    worker thread with a copy of the context) and templates see it. ``?lang=en`` or
    ``?lang=zh-CN`` sets the ``lang`` cookie for a year.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request in its locale."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        asked = request.query_params.get("lang")
        chosen = asked if asked in LANG_TAGS else None
        locale = negotiate(
            chosen or request.cookies.get("lang"), request.headers.get("accept-language")
        )

        async def sending(message: Message) -> None:
            if chosen and message["type"] == "http.response.start":
                cookie = f"lang={HTML_LANG[locale]}; Path=/; Max-Age=31536000; SameSite=Lax"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        token = _current.set(locale)
        try:
            await self.app(scope, receive, sending)
        finally:
            _current.reset(token)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (labels in tables)."""
    return message


_ = gettext

__all__ = [
    "DEFAULT_LOCALE",
    "HTML_LANG",
    "LANG_TAGS",
    "LOCALES",
    "N_",
    "Locale",
    "LocaleMiddleware",
    "_",
    "current_locale",
    "gettext",
    "negotiate",
    "ngettext",
    "switch_target",
    "translations",
    "use_locale",
]
