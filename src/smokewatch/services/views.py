"""What a signed-in user sees of runs, rejects, findings, the overview and a case.

These wrap the plain queries (:mod:`smokewatch.services.queries`,
:mod:`smokewatch.services.cases`) with the user's rights: detector output (runs, rejected
rows, findings, the overview) is read by the analyst roles of the workspace — routing by
territory starts with scores and alerts — and PII in it is masked for roles without the
right to see it; a view of unmasked PII is audited
(:func:`~smokewatch.services.visibility.audited_view`).
"""

from __future__ import annotations

from typing import Any

from smokewatch.cases.access import Actor, Role
from smokewatch.errors import Forbidden
from smokewatch.ingest.spec import SourceSpec
from smokewatch.services import audit, cases, ingest, queries
from smokewatch.services.visibility import audited_view, require_analyst
from smokewatch.settings import JurisdictionSettings, Settings
from smokewatch.store.db import Store


def runs(store: Store, actor: Actor, *, kind: str | None, limit: int) -> list[dict[str, Any]]:
    """Recent runs, newest first."""
    require_analyst(actor)
    return queries.list_runs(store, kind=kind, limit=limit)


def run(store: Store, actor: Actor, run_id: str) -> dict[str, Any]:
    """One run with its first rejected rows (raw values masked by role)."""
    require_analyst(actor)
    data = queries.get_run(store, run_id)
    return dict(audited_view(store, actor, data, object_type="run", object_id=run_id, view="run"))


def rejects(
    store: Store, actor: Actor, run_id: str, *, limit: int, offset: int
) -> list[dict[str, Any]]:
    """A page of a run's rejected rows (raw values masked by role)."""
    require_analyst(actor)
    rows = queries.list_rejects(store, run_id, limit=limit, offset=offset)
    return list(
        audited_view(store, actor, rows, object_type="run", object_id=run_id, view="rejects")
    )


def findings(store: Store, actor: Actor, **filters: Any) -> queries.FindingPage:
    """A page of findings (evidence and reasons masked by role)."""
    require_analyst(actor)
    page = queries.list_findings(store, **filters)
    items = audited_view(
        store,
        actor,
        page.items,
        object_type="finding",
        object_id=page.run_id or "all",
        view="findings",
    )
    return queries.FindingPage(list(items), page.total, page.run_id)


def overview(store: Store, actor: Actor, jurisdiction: JurisdictionSettings) -> dict[str, Any]:
    """Headline figures of the latest detect run."""
    require_analyst(actor)
    return queries.overview(store, jurisdiction)


def case(store: Store, actor: Actor, case_id: str) -> dict[str, Any]:
    """A case with its history and evidence (masked by role; unmasked PII views audited)."""
    data = cases.get_case(store, actor, case_id)
    return dict(
        audited_view(store, actor, data, object_type="case", object_id=case_id, view="case")
    )


def case_audit(store: Store, actor: Actor, case_id: str) -> list[dict[str, Any]]:
    """The audit entries about a case (refusals included), for admins and leads.

    Raises:
        NotFound: no such case, or not visible to the actor.
        Forbidden: the actor is neither an admin nor a lead.
    """
    with store.read_session() as session:
        cases.get_visible(session, case_id, actor)
    if not actor.is_admin and Role.LEAD not in actor.roles:
        raise Forbidden("only administrators and lead departments read the audit log")
    entries = audit.history(store, "case", case_id)
    return list(
        audited_view(store, actor, entries, object_type="case", object_id=case_id, view="audit")
    )


def sources(settings: Settings, actor: Actor) -> list[SourceSpec]:
    """The workspace's data sources."""
    require_analyst(actor)
    return ingest.list_sources(settings)


__all__ = ["case", "case_audit", "findings", "overview", "rejects", "run", "runs", "sources"]
