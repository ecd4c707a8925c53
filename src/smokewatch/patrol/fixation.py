"""A crawl visit → its stored artefacts and its manifest line.

A page's contact and identity facts are stored as an artefact of their own (``facts``: JSON,
by hash, like the text they were read from), so the chained manifest fixes them too; the line
also counts them per kind.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from smokewatch.patrol.crawl import Visit
from smokewatch.patrol.evidence import Artefact, ObjectStore
from smokewatch.patrol.render import Rendered


def headers_blob(status: int | None, headers: tuple[tuple[str, str], ...]) -> bytes:
    """Status and headers as received, as JSON bytes (order and repeats kept)."""
    payload = {"status": status, "headers": [list(pair) for pair in headers]}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def facts_blob(visit: Visit) -> bytes:
    """The visit's facts as canonical JSON bytes (a list in the order they were found)."""
    facts = [fact.as_dict() for fact in visit.facts]
    return json.dumps(facts, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _rendered(
    rendered: Rendered, objects: ObjectStore, artefacts: dict[str, Artefact]
) -> dict[str, Any]:
    """Store the rendered DOM and the screenshot; describe the rendering for the manifest."""
    if rendered.html:
        artefacts["rendered"] = objects.put(rendered.html.encode("utf-8"))
    if rendered.screenshot:
        artefacts["screenshot"] = objects.put(rendered.screenshot)
    described = {"browser": rendered.browser, "final_url": rendered.final_url}
    return described | ({"error": rendered.error} if rendered.error is not None else {})


def visit_entry(visit: Visit, objects: ObjectStore) -> dict[str, Any]:
    """Store the visit's artefacts (raw body, headers, text) and describe it for the manifest."""
    entry: dict[str, Any] = {
        "kind": visit.role,
        "site": visit.site,
        "url": visit.url,
        "depth": visit.depth,
        "fetched_at": visit.fetched_at.isoformat(),
    }
    if visit.refused is not None:
        entry["refused"] = visit.refused
    if visit.override is not None:
        entry["robots_override"] = visit.override.model_dump()
    response = visit.response
    if response is None:
        return entry
    artefacts = {"headers": objects.put(headers_blob(response.status, response.headers))}
    if response.body:
        artefacts["body"] = objects.put(response.body)
    entry |= {
        "final_url": response.final_url,
        "status": response.status,
        "redirects": [
            {"url": hop.url, "status": hop.status, "location": hop.location}
            for hop in response.redirects
        ],
        "media_type": response.media_type,
        "truncated": response.truncated,
        "attempts": response.attempts,
    }
    if response.fetched_url is not None:
        entry["fetched_url"] = response.fetched_url  # the site's mirror: what was requested
    if response.skipped is not None:
        entry["skipped"] = response.skipped
    if response.error is not None:
        entry["error"] = response.error
    if visit.decoded is not None:
        entry["encoding"] = visit.decoded.encoding
        entry["charset_from"] = visit.decoded.decided_by
    if visit.extracted is not None:
        artefacts["text"] = objects.put(visit.extracted.text.encode("utf-8"))
        entry["title"] = visit.extracted.title
        entry["links"] = len(visit.extracted.links)
    if visit.rendered is not None:
        entry["rendered"] = _rendered(visit.rendered, objects, artefacts)
    if visit.facts:
        artefacts["facts"] = objects.put(facts_blob(visit))
        entry["facts"] = dict(sorted(Counter(fact.kind for fact in visit.facts).items()))
    entry["artefacts"] = {name: a.as_dict() for name, a in sorted(artefacts.items())}
    return entry


__all__ = ["facts_blob", "headers_blob", "visit_entry"]
