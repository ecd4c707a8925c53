"""Evidence as the profile shows it: quoted text with the matched part in ``<mark>``.

Findings carry spans (``start``/``end``) into the text a rule read, and the matched surface
(``text``). The dashboard has the text of a name (the finding's metrics) and the phrase a
return rule quoted; it highlights the span there, and otherwise quotes the surface itself.
Every part is escaped before it is joined: the markup comes only from this module.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


def highlight(text: str, spans: list[tuple[int, int]]) -> Markup:
    """``text`` escaped, with each span (half-open, character offsets) wrapped in ``<mark>``.

    Overlapping or out-of-range spans are merged or clipped; the text is never dropped.

    Examples:
        >>> str(highlight("<b>保本保息</b>", [(3, 7)]))
        '&lt;b&gt;<mark>保本保息</mark>&lt;/b&gt;'
    """
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        start, end = max(first, 0), min(last, len(text))
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    cursor = 0
    for start, end in merged:
        parts.append(str(escape(text[cursor:start])))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(str(escape(text[cursor:])))
    return Markup("".join(parts))  # noqa: S704  # every part above is escaped


def _context(item: dict[str, Any], metrics: dict[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    surface = str(item.get("text") or item.get("surface") or "")
    if item.get("field") == "name" and isinstance(metrics.get("name"), str):
        name = metrics["name"]
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and name[start:end]:
            return name, [(start, end)]
    phrase = metrics.get("phrase")
    if isinstance(phrase, str) and surface and surface in phrase:
        at = phrase.index(surface)
        return phrase, [(at, at + len(surface))]
    return surface, [(0, len(surface))]


def quotes(finding: dict[str, Any]) -> list[dict[str, Any]]:
    """The quotable evidence items of a finding: highlighted text, term, citation, field."""
    metrics = finding.get("metrics") or {}
    shown: list[dict[str, Any]] = []
    for item in finding.get("evidence") or []:
        if not isinstance(item, dict) or "lookup" in item:
            continue
        text, spans = _context(item, metrics)
        if not text:
            continue
        shown.append(
            {
                "html": highlight(text, spans),
                "field": item.get("field"),
                "term": item.get("term"),
                "citation": item.get("citation"),
            }
        )
    return shown


def facts(finding: dict[str, Any]) -> list[dict[str, Any]]:
    """The look-ups behind a finding (benchmark rate, licence register) as plain pairs."""
    return [
        {k: v for k, v in item.items() if k != "lookup" and not isinstance(v, dict | list)}
        | {"lookup": item["lookup"]}
        for item in finding.get("evidence") or []
        if isinstance(item, dict) and "lookup" in item
    ]


__all__ = ["facts", "highlight", "quotes"]
