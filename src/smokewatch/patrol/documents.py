"""Patrolled pages → ``document`` rows, through an ordinary source the workspace can see.

A patrol ``<id>`` owns the source ``patrol_<id>`` (``sources/patrol_<id>/source.yml`` and
``documents.jsonl``), so its pages reach the text rules (SW-R-0101…0104) through the normal
ingest: typed columns, rejects with reasons, provenance. The source is in ``upsert`` mode:
a page taken down stays in the table with the text it last showed (its promises were made),
and a changed page replaces its row. Each row keeps the run, manifest line and text sha256
that fix it as evidence (JSON keys the mapping ignores, but the file keeps).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from smokewatch.patrol.evidence import ObjectStore
from smokewatch.patrol.spec import PatrolSpec

DOCUMENTS_FILE = "documents.jsonl"


def source_id(patrol_id: str) -> str:
    """The id of the source that carries a patrol's pages."""
    return f"patrol_{patrol_id}"


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
        rows[final_url] = {
            "reference": final_url,
            "kind": site.kind,
            "title": entry.get("title"),
            "text": text,
            "url": final_url,
            "outlet": site.name,
            "subject_name": site.subject_name,
            "subject_uscc": site.subject_uscc,
            "adcode": site.adcode,
            "adcode_source": "given" if site.adcode else None,
            "evidence": {"run": run_id, "seq": entry.get("seq"), "text_sha256": text_ref["sha256"]},
        }
    return list(rows.values())


__all__ = ["DOCUMENTS_FILE", "document_rows", "document_source_spec", "source_id"]
