"""The dashboard and the portal speak zh-CN and English: every message has its translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from smokewatch.webkit import i18n

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "src" / "smokewatch" / "webkit" / "locale"


def _extracted() -> dict[str, str]:
    """Message ids in templates and Python, as `make messages` finds them (id → where)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        msgid = message[0] if isinstance(message, tuple) else message  # plurals: by singular
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _catalog(locale: str) -> dict[str, object]:
    with (CATALOGS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}


def test_every_message_in_the_code_has_a_chinese_translation() -> None:
    catalog = _catalog("zh_CN")
    missing = []
    for msgid, where in sorted(_extracted().items()):
        message = catalog.get(msgid)
        text = getattr(message, "string", "") if message is not None else ""
        translated = all(text) if isinstance(text, tuple) else bool(text)
        if message is None or not translated or getattr(message, "fuzzy", False):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing)


def test_the_language_switch_is_translated() -> None:
    with i18n.use_locale("zh_CN"):
        assert i18n.gettext("Language") == "语言"
    with i18n.use_locale("en"):
        assert i18n.gettext("Language") == "Language"
    assert i18n.current_locale() == i18n.DEFAULT_LOCALE


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        (None, None, "zh_CN"),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh_CN"),
        (None, "zh-TW", "zh_CN"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "de-DE,en;q=0.5,zh;q=0.4", "en"),
        (None, "en;q=0.2,zh;q=0.9", "zh_CN"),
        (None, "en;q=0,fr", "zh_CN"),
        ("en", "zh-CN", "en"),
        ("zh-CN", "en-US", "zh_CN"),
        ("klingon", "en-US", "en"),
        (None, "en;q=abc,zh", "zh_CN"),
    ],
)
def test_the_locale_follows_the_cookie_then_the_browser(
    cookie: str | None, accept: str | None, expected: str
) -> None:
    assert i18n.negotiate(cookie, accept) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "/watchlist"),
        ("grade=red&q=%E4%B8%AD", "/watchlist?grade=red&q=%E4%B8%AD"),
        ("lang=en&grade=red", "/watchlist?grade=red"),
        ("lang=en", "/watchlist"),
    ],
)
def test_the_language_switch_keeps_the_pages_filters(query: str, expected: str) -> None:
    assert i18n.switch_target("/watchlist", query) == expected
