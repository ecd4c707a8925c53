"""Patrolled pages → ``document`` rows, through an ordinary source the workspace can see.

A patrol ``<id>`` owns the source ``patrol_<id>`` (``sources/patrol_<id>/source.yml`` and
``documents.jsonl``), so its pages reach the text rules (SW-R-0101…0104) through the normal
ingest: typed columns, rejects with reasons, provenance. The source is in ``upsert`` mode:
a page taken down stays in the table with the text it last showed (its promises were made),
and a changed page replaces its row. Each row keeps the run, manifest line and text sha256
that fix it as evidence (JSON keys the mapping ignores, but the file keeps).

The pages' contact and identity facts go the same way to the ``web_fact`` table through the
source ``patrol_<id>_facts`` (``facts.jsonl``, upsert by page, kind and value). When a site's
spec names no operator USCC and its page shows exactly one valid USCC, the page's document
takes it as ``subject_uscc`` (``subject_from: page`` in its evidence), so the scorecards can
attribute the page's findings to that company.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from smokewatch.patrol.evidence import ObjectStore
from smokewatch.patrol.spec import PatrolSpec

DOCUMENTS_FILE = "documents.jsonl"
FACTS_FILE = "facts.jsonl"


def source_id(patrol_id: str) -> str:
    """The id of the source that carries a patrol's pages."""
    return f"patrol_{patrol_id}"


def facts_source_id(patrol_id: str) -> str:
    """The id of the source that carries a patrol's page facts."""
    return f"patrol_{patrol_id}_facts"


def facts_source_spec(spec: PatrolSpec) -> dict[str, Any]:
    """The ``source.yml`` of a patrol's page facts (table ``web_fact``), as a mapping."""
    columns = (
        "page_url", "outlet", "kind", "value", "surface", "position", "subject_name",
        "subject_uscc", "adcode", "evidence_run", "evidence_seq", "text_sha256",
    )  # fmt: skip
    return {
        "id": facts_source_id(spec.id),
        "title": {
            "zh": f"网上巡查线索信息：{spec.title}",
            "en": f"Patrol page facts: {spec.title}",
        },
        "publisher": "smokewatch patrol of this workspace (facts read from fixed pages)",
        "licence": "Public web pages fetched by the patrolling authority; evidence, not for reuse",
        "pii": "personal",
        "table": "web_fact",
        "location": FACTS_FILE,
        "format": "jsonl",
        "encoding": "utf-8",
        "id_prefix": f"pf_{spec.id}",
        "key": [["page_url", "kind", "value"]],
        "mode": "upsert",
        "columns": {name: name for name in columns},
    }


def fact_rows(
    spec: PatrolSpec, run_id: str, entries: Iterable[Mapping[str, Any]], objects: ObjectStore
) -> list[dict[str, Any]]:
    """One row per page (final URL), kind and value, at the value's first occurrence."""
    sites = {site.name: site for site in spec.sites}
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for entry in entries:
        artefacts = entry.get("artefacts") or {}
        site = sites.get(str(entry.get("site")))
        if entry.get("kind") != "page" or "facts" not in artefacts or site is None:
            continue
        page_url = str(entry.get("final_url") or entry["url"])
        for fact in json.loads(objects.get(artefacts["facts"]["sha256"])):
            key = (page_url, str(fact["kind"]), str(fact["value"]))
            if key in rows:
                continue
            rows[key] = {
                "page_url": page_url,
                "outlet": site.name,
                "kind": fact["kind"],
                "value": fact["value"],
                "surface": fact["text"],
                "position": fact["start"],
                "subject_name": site.subject_name,
                "subject_uscc": site.subject_uscc,
                "adcode": site.adcode,
                "evidence_run": run_id,
                "evidence_seq": entry.get("seq"),
                "text_sha256": artefacts["text"]["sha256"],
            }
    return list(rows.values())


def _page_uscc(entry: Mapping[str, Any], objects: ObjectStore) -> str | None:
    """The one valid USCC a page shows, if it shows exactly one."""
    ref = (entry.get("artefacts") or {}).get("facts")
    if ref is None:
        return None
    usccs = {f["value"] for f in json.loads(objects.get(ref["sha256"])) if f["kind"] == "uscc"}
    return usccs.pop() if len(usccs) == 1 else None


def document_source_spec(spec: PatrolSpec) -> dict[str, Any]:
    """The ``source.yml`` of a patrol's documents, as a mapping."""
    columns = (
        "reference", "kind", "title", "text", "url", "outlet", "subject_name",
        "subject_uscc", "adcode", "adcode_source",
    )  # fmt: skip
    return {
        "id": source_id(spec.id),
        "title": {"zh": f"网上巡查：{spec.title}", "en": f"Online patrol: {spec.title}"},
        "publisher": "smokewatch patrol of this workspace (pages fixed as evidence)",
        "licence": "Public web pages fetched by the patrolling authority; evidence, not for reuse",
        "pii": "personal",
        "table": "document",
        "location": DOCUMENTS_FILE,
        "format": "jsonl",
        "encoding": "utf-8",
        "id_prefix": f"pt_{spec.id}",
        "key": ["reference"],
        "mode": "upsert",
        "columns": {name: name for name in columns},
    }


def document_rows(
    spec: PatrolSpec, run_id: str, entries: Iterable[Mapping[str, Any]], objects: ObjectStore
) -> list[dict[str, Any]]:
    """One row per page read with text, keyed by its final URL (redirects collapse)."""
    sites = {site.name: site for site in spec.sites}
    rows: dict[str, dict[str, Any]] = {}
    for entry in entries:
        text_ref = (entry.get("artefacts") or {}).get("text")
        site = sites.get(str(entry.get("site")))
        if entry.get("kind") != "page" or text_ref is None or site is None:
            continue
        text = objects.get(text_ref["sha256"]).decode("utf-8")
        if not text.strip():
            continue
        final_url = str(entry.get("final_url") or entry["url"])
        evidence = {"run": run_id, "seq": entry.get("seq"), "text_sha256": text_ref["sha256"]}
        uscc = site.subject_uscc
        if uscc is None and (uscc := _page_uscc(entry, objects)) is not None:
            evidence["subject_from"] = "page"
        rows[final_url] = {
            "reference": final_url,
            "kind": site.kind,
            "title": entry.get("title"),
            "text": text,
            "url": final_url,
            "outlet": site.name,
            "subject_name": site.subject_name,
            "subject_uscc": uscc,
            "adcode": site.adcode,
            "adcode_source": "given" if site.adcode else None,
            "evidence": evidence,
        }
    return list(rows.values())


__all__ = [
    "DOCUMENTS_FILE",
    "FACTS_FILE",
    "document_rows",
    "document_source_spec",
    "fact_rows",
    "facts_source_id",
    "facts_source_spec",
    "source_id",
]
