"""Tips as complaint documents: what the public reported reaches the analytic side.

:func:`export_tip_documents` writes the workspace source ``sources/portal_tips/`` — a
``source.yml`` for the ``document`` table and ``data/tips.jsonl`` — with one document of kind
``complaint`` per tip that is not spam or dismissed: the description as the text, the target
(the resolved entity's name when the tip was resolved) as the subject, the division in charge
as the adcode. The next ``smokewatch ingest`` loads it; the text rules (SW-R-0101…0104) then
read the complaints like any other document, and the smoke index counts them in the entity's
complaints dimension through the documents that name it. The export is a snapshot: re-running
it replaces the file, and the source's snapshot mode replaces the rows.

Reporters' contacts, files and tracking data never leave the store.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
import yaml

from smokewatch.store.db import Store
from smokewatch.store.orm_tips import Tip

SOURCE_ID: Final = "portal_tips"
EXPORTED: Final = ("received", "triaged", "duplicate", "converted", "closed")
"""Statuses whose tips become complaint documents (not spam, not dismissed)."""
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
        "title": f"举报：{tip.target_name}",
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


__all__ = ["EXPORTED", "SOURCE_ID", "Exported", "export_tip_documents", "source_spec"]
