"""Changes between two patrol runs: pages new, changed (with a line diff), gone or not reached.

Pages are matched by their requested URL (normalised). A page is *gone* when the later run
asked for it and got no page (404/410, an error, a refused redirect): a takedown, or a site
that went dark after a warning. It is *not reached* when the later run did not ask for it
at all (a page limit, a link removed). *Changed* compares the sha256 of the extracted text,
so a new timestamp in the markup alone is not a change; the summary counts the lines added
and removed and keeps the first few of each.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from smokewatch.patrol.evidence import ObjectStore

_SAMPLE = 5


@dataclass(frozen=True, slots=True)
class PageChange:
    """One page that differs between the runs."""

    change: str
    """``new``, ``changed``, ``gone`` or ``not_reached``."""
    url: str
    site: str
    title: str | None = None
    status: int | None = None
    """Status in the later run (``gone``)."""
    error: str | None = None
    lines_added: int = 0
    lines_removed: int = 0
    added: tuple[str, ...] = ()
    """First lines added (changed pages)."""
    removed: tuple[str, ...] = ()
    """First lines removed (changed pages)."""
    before: str | None = None
    """sha256 of the earlier text."""
    after: str | None = None
    """sha256 of the later text."""


@dataclass(frozen=True, slots=True)
class RunChanges:
    """Every page change between an earlier and a later run of one patrol."""

    before_run: str | None
    after_run: str
    changes: tuple[PageChange, ...] = ()
    unchanged: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)


def pages_of(entries: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Page lines of a manifest by URL (the last visit wins)."""
    return {str(e["url"]): e for e in entries if e.get("kind") == "page"}


def _text_sha(entry: Mapping[str, Any]) -> str | None:
    if entry.get("error") or not 200 <= int(entry.get("status") or 0) < 300:
        return None
    text = (entry.get("artefacts") or {}).get("text")
    return str(text["sha256"]) if text else None


def compare_runs(
    before: Mapping[str, Mapping[str, Any]],
    after: Mapping[str, Mapping[str, Any]],
    objects: ObjectStore,
    *,
    before_run: str | None,
    after_run: str,
) -> RunChanges:
    """Compare the page lines of two runs (``{}`` for ``before`` on a patrol's first run)."""
    changes: list[PageChange] = []
    unchanged = 0
    for url in sorted(set(before) | set(after)):
        old, new = before.get(url), after.get(url)
        old_sha = _text_sha(old) if old else None
        new_sha = _text_sha(new) if new else None
        site = str((new or old or {}).get("site", ""))
        if new is not None and new_sha is not None and old_sha is None:
            changes.append(PageChange("new", url, site, new.get("title"), after=new_sha))
        elif old is not None and old_sha is not None and new is None:
            changes.append(PageChange("not_reached", url, site, old.get("title"), before=old_sha))
        elif old is not None and old_sha is not None and new is not None and new_sha is None:
            changes.append(
                PageChange(
                    "gone",
                    url,
                    site,
                    old.get("title"),
                    new.get("status"),
                    new.get("error"),
                    before=old_sha,
                )
            )
        elif new is not None and old_sha is not None and new_sha is not None and old_sha != new_sha:
            changes.append(_changed(url, site, new.get("title"), (old_sha, new_sha), objects))
        elif old_sha is not None and old_sha == new_sha:
            unchanged += 1
    counts = {kind: sum(c.change == kind for c in changes) for kind in _KINDS}
    return RunChanges(before_run, after_run, tuple(changes), unchanged, counts)


_KINDS = ("new", "changed", "gone", "not_reached")


def _changed(
    url: str, site: str, title: str | None, shas: tuple[str, str], objects: ObjectStore
) -> PageChange:
    old_sha, new_sha = shas
    old_lines = objects.get(old_sha).decode("utf-8").splitlines()
    new_lines = objects.get(new_sha).decode("utf-8").splitlines()
    added: list[str] = []
    removed: list[str] = []
    for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0):
        if line.startswith(("+++", "---", "@@")):
            continue
        (added if line.startswith("+") else removed).append(line[1:])
    return PageChange(
        "changed",
        url,
        site,
        title,
        lines_added=len(added),
        lines_removed=len(removed),
        added=tuple(added[:_SAMPLE]),
        removed=tuple(removed[:_SAMPLE]),
        before=old_sha,
        after=new_sha,
    )


__all__ = ["PageChange", "RunChanges", "compare_runs", "pages_of"]
