"""How often each rule was right, judged by the cases that finished about the entities it flagged.

For every finished case with a label (confirmed: the activity was determined or the case closed
with a positive resolution; refuted: dismissed as no violation — see
:func:`smokewatch.services.case_intake.case_labels`), the rules that produced a finding on the
case's entity count one confirmed or one refuted. A rule's precision is confirmed / (confirmed +
refuted); with no finished case it is unknown, never a guess. Shadow findings are left out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from smokewatch.services.case_intake import case_labels
from smokewatch.store.db import Store
from smokewatch.store.orm import Finding


def rule_precision(store: Store) -> dict[str, dict[str, Any]]:
    """Per rule id: ``confirmed``, ``refuted``, ``precision`` (None without cases), ``cases``."""
    labels = [row for row in case_labels(store) if row["label"] is not None]
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in labels:
        by_entity[str(row["entity_id"])].append(row)
    if not by_entity:
        return {}
    with store.read_session() as session:
        flagged = session.execute(
            sa.select(Finding.rule_id, Finding.subject_id)
            .where(Finding.subject_id.in_(list(by_entity)), Finding.shadow.is_(False))
            .distinct()
        ).all()
    tally: dict[str, dict[str, Any]] = {}
    for rule_id, subject_id in flagged:
        entry = tally.setdefault(rule_id, {"confirmed": 0, "refuted": 0, "cases": []})
        for row in by_entity[subject_id]:
            entry["confirmed" if row["label"] == 1 else "refuted"] += 1
            entry["cases"].append(row["case_id"])
    for entry in tally.values():
        judged = entry["confirmed"] + entry["refuted"]
        entry["precision"] = entry["confirmed"] / judged if judged else None
        entry["cases"] = sorted(set(entry["cases"]))
    return tally


__all__ = ["rule_precision"]
