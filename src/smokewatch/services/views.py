"""What a signed-in user sees of runs, rejects, findings, the overview and a case.

These wrap the plain queries (:mod:`smokewatch.services.queries`,
:mod:`smokewatch.services.cases`) with the user's rights. Detector output is read by the
analyst roles, by territory: findings are routed to their subject's division code and sector
when they are stored and follow the same rule as scores and alerts
(:func:`~smokewatch.services.visibility.region_condition`; the overview counts only those);
runs are records every analyst reads (when, what, how many), but their rejected rows are raw
source data of the whole workspace, shown only to analysts whose division contains the
workspace's (:func:`~smokewatch.services.visibility.covers`). PII is masked for roles
without the right to see it; a view of unmasked PII is audited
(:func:`~smokewatch.services.visibility.audited_view`).
"""

from __future__ import annotations

from typing import Any

from smokewatch.cases.access import Actor, Role
from smokewatch.errors import Forbidden
from smokewatch.ingest.spec import SourceSpec
from smokewatch.services import audit, cases, ingest, queries
from smokewatch.services.visibility import audited_view, covers, region_condition, require_analyst
from smokewatch.settings import JurisdictionSettings, Settings
from smokewatch.store.db import Store
from smokewatch.store.orm import Finding


def runs(store: Store, actor: Actor, *, kind: str | None, limit: int) -> list[dict[str, Any]]:
    """Recent runs, newest first."""
    require_analyst(actor)
    return queries.list_runs(store, kind=kind, limit=limit)


def run(
    store: Store, actor: Actor, run_id: str, jurisdiction: JurisdictionSettings
) -> dict[str, Any]:
    """One run with its first rejected rows (raw values masked by role).

    The rejected rows are left out (``rejects_shown`` false) for analysts whose division
    does not contain the workspace's.
    """
    require_analyst(actor)
    shown = covers(actor, jurisdiction.adcode)
    data = queries.get_run(store, run_id, rejects=20 if shown else 0)
    data["rejects_shown"] = shown
    return dict(audited_view(store, actor, data, object_type="run", object_id=run_id, view="run"))


def rejects(
    store: Store,
    actor: Actor,
    run_id: str,
    jurisdiction: JurisdictionSettings,
    *,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    """A page of a run's rejected rows (raw values masked by role).

    Raises:
        Forbidden: the actor's division does not contain the workspace's.
    """
    require_analyst(actor)
    if not covers(actor, jurisdiction.adcode):
        raise Forbidden(
            "rejected rows are raw data of the whole workspace"
            f" ({jurisdiction.adcode or 'no division'}); your division does not contain it"
        )
    rows = queries.list_rejects(store, run_id, limit=limit, offset=offset)
    return list(
        audited_view(store, actor, rows, object_type="run", object_id=run_id, view="rejects")
    )


def findings(store: Store, actor: Actor, **filters: Any) -> queries.FindingPage:
    """A page of the findings routed to the actor's territory (evidence and reasons masked)."""
    require_analyst(actor)
    where = region_condition(actor, Finding.adcode, Finding.sector)
    page = queries.list_findings(store, where=where, **filters)
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
    """Headline figures of the latest detect run (the findings of the actor's territory)."""
    require_analyst(actor)
    where = region_condition(actor, Finding.adcode, Finding.sector)
    return queries.overview(store, jurisdiction, where)


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
