"""Standard scope wording that mentions restricted words but names no activity.

The phrases live in ``text/lexicons/scope_boilerplate.yml``. Detectors may strip them from
scopes *before a cheap prefilter* (never before the clause analysis itself), so that ordinary
scopes carrying the standard prohibition clause are not analysed in depth.
"""

from __future__ import annotations

from functools import cache

from smokewatch.errors import ConfigError, Location, Problem
from smokewatch.model._yaml import load_yaml_resource, package_dir
from smokewatch.model.types.text import fold_width


@cache
def load_scope_boilerplate() -> tuple[str, ...]:
    """The boilerplate phrases, as printed and width-folded, longest first."""
    node = package_dir("smokewatch.text", "lexicons") / "scope_boilerplate.yml"
    raw = load_yaml_resource(node)
    phrases = raw.get("phrases") if isinstance(raw, dict) else None
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p for p in phrases):
        raise ConfigError([Problem("`phrases` must be a list of texts", Location(str(node)))])
    forms = {form for phrase in phrases for form in (phrase, fold_width(phrase))}
    return tuple(sorted(forms, key=lambda p: (-len(p), p)))


__all__ = ["load_scope_boilerplate"]
