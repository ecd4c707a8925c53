"""Tips as complaint documents: what the public reported reaches the analytic side.

:func:`export_tip_documents` writes the workspace source ``sources/portal_tips/`` — a
``source.yml`` for the ``document`` table and ``data/tips.jsonl`` — with one document of kind
``complaint`` per tip an officer **accepted** (acknowledged, converted to a case, closed; not
new, spam, duplicate or dismissed): the description as the text, the target (the resolved
entity's name when the tip was resolved) as the subject, the division in charge as the
adcode, the tip id as the reference. The text rules (SW-R-0101…0104) then read the complaints
like any other document, SW-R-0105 counts them per enterprise, and the smoke index counts them
in the entity's complaints dimension through the documents that name it. The export is a
snapshot: re-running it replaces the file, and the source's snapshot mode replaces the rows.

:func:`sync_tip_documents` is what ``smokewatch detect`` does first (so no one exports by
hand): export, then ingest ``portal_tips`` as a recorded ingest run — ``unchanged`` when no
accepted tip changed, so a repeated run changes nothing. Provenance: each document's id is
``make_id("tip", "reference", <tip id>)`` (:func:`document_id`) and its reference the tip id,
so a finding citing the document leads back to the tip (:func:`tips_of_documents`).

Reporters' contacts, files and tracking data never leave the store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
import yaml

from smokewatch.errors import InvalidInput
from smokewatch.model.ids import make_id
from smokewatch.services.ingest import IngestSummary, ingest
from smokewatch.services.workspace import open_store
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.store.orm_tips import Tip

SOURCE_ID: Final = "portal_tips"
EXPORTED: Final = ("triaged", "converted", "closed")
"""Statuses whose tips become complaint documents: accepted by an officer. A new tip waits for
a first look (the public cannot move an index unseen); a duplicate is counted by its original."""
_COLUMNS: Final = (
    "reference",
    "kind",
    "title",
    "text",
    "url",
    "outlet",
    "published_on",
    "subject_name",
    "adcode",
    "adcode_source",
)


@dataclass(frozen=True, slots=True)
class Exported:
    """Where the source was written and how many documents it holds."""

    source_dir: Path
    documents: int


def source_spec() -> dict[str, Any]:
    """The ``source.yml`` of the tip export."""
    return {
        "id": SOURCE_ID,
        "title": {"zh": "公众举报线索", "en": "Public tips"},
        "publisher": "smokewatch public tip portal (this workspace)",
        "licence": "internal",
        "pii": "none",
        "table": "document",
        "location": "data/tips.jsonl",
        "format": "jsonl",
        "encoding": "utf-8",
        "id_prefix": "tip",
        "key": ["reference"],
        "mode": "snapshot",
        "columns": {name: name for name in _COLUMNS},
    }


def _document(tip: Tip) -> dict[str, Any]:
    return {
        "reference": tip.id,
        "kind": "complaint",
        "title": f"举报{tip.id}：{tip.target_name}",
        "text": tip.description,
        "url": tip.target_url,
        "outlet": "公众举报平台",
        "published_on": tip.submitted_at.date().isoformat(),
        "subject_name": tip.entity_name or tip.target_name,
        "adcode": tip.adcode,
        "adcode_source": "address" if tip.routed_by == "address" else "given",
    }


def export_tip_documents(store: Store, workspace: Path) -> Exported:
    """Write (or replace) the ``portal_tips`` source of a workspace from the stored tips."""
    folder = workspace / "sources" / SOURCE_ID
    data = folder / "data" / "tips.jsonl"
    data.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    partial = data.with_suffix(f".{os.getpid()}.partial")
    with store.unit_of_work() as session, partial.open("w", encoding="utf-8") as handle:
        rows = session.scalars(
            sa.select(Tip).where(Tip.status.in_(EXPORTED)).order_by(Tip.submitted_at, Tip.id)
        )
        for tip in rows:
            handle.write(json.dumps(_document(tip), ensure_ascii=False) + "\n")
            count += 1
    os.replace(partial, data)
    spec = yaml.safe_dump(source_spec(), allow_unicode=True, sort_keys=False)
    (folder / "source.yml").write_text(
        "# Written by `smokewatch tips export-documents` (see docs/portal.md).\n" + spec,
        encoding="utf-8",
    )
    return Exported(folder, count)


def document_id(tip_id: str) -> str:
    """The id the ingest gives the complaint document of a tip (the source's key: reference)."""
    made = make_id(source_spec()["id_prefix"], "reference", tip_id)
    if made is None:
        raise InvalidInput("a tip id cannot be empty")
    return made


def tips_of_documents(store: Store, document_ids: Iterable[str]) -> dict[str, str]:
    """The tips behind complaint documents: document id → tip id (others are left out)."""
    wanted = set(document_ids)
    with store.unit_of_work() as session:
        ids = session.scalars(sa.select(Tip.id).where(Tip.status.in_(EXPORTED))).all()
    return {doc: tip_id for tip_id in ids if (doc := document_id(tip_id)) in wanted}


def sync_tip_documents(settings: Settings) -> IngestSummary | None:
    """Export the accepted tips and ingest them as the ``portal_tips`` source (one run).

    Nothing happens (None) while the workspace has no tip and no ``portal_tips`` source yet;
    once it has either, every call exports and ingests — ``unchanged`` when the accepted tips
    are the same, and a tip dismissed since the last run leaves the documents (snapshot).
    """
    folder = settings.workspace / "sources" / SOURCE_ID
    with open_store(settings) as store:
        with store.unit_of_work() as session:
            any_tip = session.scalar(sa.select(Tip.id).limit(1)) is not None
        if not any_tip and not folder.exists():
            return None
        export_tip_documents(store, settings.workspace)
    (summary,) = ingest(settings, [SOURCE_ID])
    return summary


__all__ = [
    "EXPORTED",
    "SOURCE_ID",
    "Exported",
    "document_id",
    "export_tip_documents",
    "source_spec",
    "sync_tip_documents",
    "tips_of_documents",
]
