"""The Jinja2 environment of the browser edges: autoescaped, translated, assets served locally.

Each edge (``smokewatch.web``, ``smokewatch.portal``) passes its own template package; the
shared pieces (``webkit/templates``: macros, the page skeleton) come after it, so an edge can
override any of them. Every template is autoescaped whatever its file name: a value is HTML
only when code marks it so with ``markupsafe.Markup`` after escaping its parts.
"""

from __future__ import annotations

from importlib.resources import files

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from smokewatch import __version__
from smokewatch.webkit import i18n

STATIC_PREFIX = "/static"


def make_environment(*template_packages: str) -> Environment:
    """An environment loading ``templates/`` of each package in turn, then webkit's own."""
    loaders = [PackageLoader(package, "templates") for package in template_packages]
    loaders.append(PackageLoader("smokewatch.webkit", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    env.globals["current_locale"] = i18n.current_locale
    env.globals["html_lang"] = lambda: i18n.HTML_LANG[i18n.current_locale()]
    env.globals["asset"] = asset_url
    env.globals["version"] = __version__
    return env


def asset_url(path: str) -> str:
    """URL of a static file, versioned so browsers refetch after an upgrade."""
    return f"{STATIC_PREFIX}/{path.lstrip('/')}?v={__version__}"


def static_directory() -> str:
    """The folder of shared static files (vendored JS, base CSS) inside the installed package."""
    return str(files("smokewatch.webkit") / "static")


__all__ = ["STATIC_PREFIX", "asset_url", "make_environment", "static_directory"]
