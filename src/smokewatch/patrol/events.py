"""What a run's changes mean for the operator: events for the entity timeline.

:func:`change_events` reads the page changes of a run (:mod:`smokewatch.patrol.changes`) with
the texts of both runs and says what an officer wants on the operator's timeline:

* ``page_new`` — a page not read before (with its highest promised annual rate, if any);
* ``page_changed`` — the text changed (lines added and removed);
* ``promise_raised`` — the highest annualised return the page promises rose (text kit's
  :func:`smokewatch.text.returns.extract_returns`; negated promises do not count);
* ``guarantee_added`` — the page now guarantees principal or interest in words it did not use
  before (the lure lexicon's ``fundraising.guarantee`` terms);
* ``page_gone`` — a page read before is now missing (404/410, an error, a refused redirect);
* ``site_gone`` — every page of the site read before is gone and none answered: a takedown.

Each event has a stable id (run, kind, site, page), summaries in zh-CN and English, and its
detail: the two runs, text sha256 before and after, rates and terms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smokewatch.patrol.changes import PageChange, RunChanges
from smokewatch.patrol.evidence import ObjectStore
from smokewatch.text.returns import ReturnKind, extract_returns, might_hold_returns
from smokewatch.text.signals import find_signals

GUARANTEE = "fundraising.guarantee"


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One event of a site seen by a patrol run."""

    id: str
    kind: str
    site: str
    url: str | None
    summary_zh: str
    summary_en: str
    detail: dict[str, Any]


def event_id(run_id: str, kind: str, site: str, url: str | None) -> str:
    """The stable id of an event: the same run's same change is the same event."""
    digest = hashlib.sha256(f"{run_id}|{kind}|{site}|{url or ''}".encode()).hexdigest()
    return f"pe-{digest[:40]}"


def top_rate(text: str) -> tuple[Decimal, str] | None:
    """The highest annualised return ``text`` promises (not negated), with its phrase."""
    if not might_hold_returns(text):
        return None
    rates = [
        (r.annual_rate, r.text)
        for r in extract_returns(text)
        if r.kind == ReturnKind.RETURN and r.annual_rate is not None and not r.negated
    ]
    return max(rates, key=lambda pair: pair[0]) if rates else None


def guarantee_terms(text: str) -> set[str]:
    """The guarantee words ``text`` affirms (not negated, not a warning)."""
    return {s.term for s in find_signals(text).signals if s.kind == GUARANTEE}


def _rate(found: tuple[Decimal, str] | None) -> dict[str, Any] | None:
    return {"annual_rate": float(found[0]), "phrase": found[1]} if found else None


def _pct(rate: Decimal) -> str:
    return f"{rate.normalize():f}%"


def _text(objects: ObjectStore, sha: str | None) -> str:
    return objects.get(sha).decode("utf-8") if sha else ""


def _page_events(
    change: PageChange, objects: ObjectStore, run_id: str, base: Mapping[str, Any]
) -> list[ChangeEvent]:
    def event(kind: str, zh: str, en: str, **detail: Any) -> ChangeEvent:
        label = change.title or change.url
        return ChangeEvent(
            event_id(run_id, kind, change.site, change.url),
            kind,
            change.site,
            change.url,
            f"{zh}：{label}",
            f"{en}: {label}",
            {**base, **detail},
        )

    shas = {"text_before": change.before, "text_after": change.after}
    if change.change == "new":
        after = _text(objects, change.after)
        rate = _rate(top_rate(after))
        return [event("page_new", "新页面", "New page", **shas, rate=rate)]
    if change.change == "gone":
        status = {"status": change.status, "error": change.error}
        return [event("page_gone", "页面下线", "Page gone", **shas, **status)]
    if change.change != "changed":
        return []
    before, after = _text(objects, change.before), _text(objects, change.after)
    lines = {"lines_added": change.lines_added, "lines_removed": change.lines_removed}
    events = [event("page_changed", "页面变更", "Page changed", **shas, **lines)]
    old, new = top_rate(before), top_rate(after)
    if new is not None and (old is None or new[0] > old[0]):
        was = _pct(old[0]) if old else "—"
        events.append(
            event(
                "promise_raised",
                f"宣传收益率由{was}提高至{_pct(new[0])}",
                f"Promised return raised from {was} to {_pct(new[0])}",
                **shas,
                rate_before=_rate(old),
                rate_after=_rate(new),
            )
        )
    added = sorted(guarantee_terms(after) - guarantee_terms(before))
    if added:
        words = "、".join(added)
        events.append(
            event(
                "guarantee_added",
                f"新增保本保息等承诺（{words}）",
                f"New guarantee ({words})",
                **shas,
                terms=added,
            )
        )
    return events


def change_events(
    changes: RunChanges,
    objects: ObjectStore,
    after_pages: Iterable[Mapping[str, Any]],
) -> list[ChangeEvent]:
    """The events of a run's ``changes``; ``after_pages`` are its page lines (who answered)."""
    run_id = changes.after_run
    base = {"before_run": changes.before_run, "after_run": run_id}
    events: list[ChangeEvent] = []
    for change in changes.changes:
        events.extend(_page_events(change, objects, run_id, base))
    answered = {
        str(p.get("site"))
        for p in after_pages
        if not p.get("error") and 200 <= int(p.get("status") or 0) < 300
    }
    gone: dict[str, list[str]] = {}
    for change in changes.changes:
        if change.change == "gone":
            gone.setdefault(change.site, []).append(change.url)
    for site, urls in sorted(gone.items()):
        if site not in answered:
            events.append(
                ChangeEvent(
                    event_id(run_id, "site_gone", site, None),
                    "site_gone",
                    site,
                    None,
                    f"网站下线：{site}（{len(urls)}个页面无法访问）",
                    f"Site gone: {site} ({len(urls)} pages no longer answer)",
                    {**base, "pages": sorted(urls)},
                )
            )
    return events


__all__ = ["ChangeEvent", "change_events", "event_id", "guarantee_terms", "top_rate"]
