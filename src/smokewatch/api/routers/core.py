"""``/api/v1``: health, overview, runs, findings, rules, scorecards, screening, sources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from smokewatch import __version__
from smokewatch.api import schemas
from smokewatch.api.deps import SIGNED_IN, ActorDep, SettingsDep, StoreDep
from smokewatch.api.schemas import monitoring
from smokewatch.services import rules as rules_service
from smokewatch.services import screen as screen_service
from smokewatch.services import views

router = APIRouter(prefix="/api/v1")

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")]


@router.get("/health", tags=["system"], operation_id="system-health")
def health(settings: SettingsDep, store: StoreDep) -> schemas.Health:
    """Liveness: version, workspace and store (no sign-in needed)."""
    return schemas.Health(
        status="ok", version=__version__, workspace=str(settings.workspace), store=store.url
    )


@router.get("/overview", tags=["overview"], operation_id="overview-get")
def overview(settings: SettingsDep, store: StoreDep, actor: ActorDep) -> schemas.Overview:
    """Headline figures: findings of the latest detect run by rule and severity."""
    return schemas.Overview(**views.overview(store, actor, settings.jurisdiction))


@router.get("/runs", tags=["runs"], operation_id="runs-list")
def list_runs(
    store: StoreDep,
    actor: ActorDep,
    kind: Annotated[str | None, Query(description="ingest | detect | score | demo")] = None,
    limit: Limit = 50,
) -> list[schemas.Run]:
    """Recent runs, newest first."""
    return [schemas.Run(**r) for r in views.runs(store, actor, kind=kind, limit=limit)]


@router.get("/runs/{run_id}", tags=["runs"], operation_id="runs-get")
def get_run(
    settings: SettingsDep, store: StoreDep, actor: ActorDep, run_id: str
) -> schemas.RunDetail:
    """One run: inputs, statistics and its first rejected rows."""
    return schemas.RunDetail(**views.run(store, actor, run_id, settings.jurisdiction))


@router.get("/runs/{run_id}/rejects", tags=["runs"], operation_id="runs-rejects")
def list_rejects(
    settings: SettingsDep,
    store: StoreDep,
    actor: ActorDep,
    run_id: str,
    limit: Annotated[int, Query(ge=1, le=10000)] = 100,
    offset: Offset = 0,
) -> list[schemas.Reject]:
    """A page of the rows a run rejected, with their reasons."""
    rows = views.rejects(store, actor, run_id, settings.jurisdiction, limit=limit, offset=offset)
    return [schemas.Reject(**r) for r in rows]


@router.get("/findings", tags=["findings"], operation_id="findings-list")
def list_findings(
    store: StoreDep,
    actor: ActorDep,
    rule_id: str | None = None,
    subject_id: str | None = None,
    band: str | None = None,
    severity: str | None = None,
    run_id: Annotated[str | None, Query(description="Default: the latest detect run.")] = None,
    include_shadow: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> schemas.FindingPage:
    """Findings with their reasons, metrics and evidence."""
    page = views.findings(
        store,
        actor,
        rule_id=rule_id,
        subject_id=subject_id,
        band=band,
        severity=severity,
        run_id=run_id,
        include_shadow=include_shadow,
        limit=limit,
        offset=offset,
    )
    return schemas.FindingPage(
        total=page.total, run_id=page.run_id, items=[schemas.Finding(**f) for f in page.items]
    )


@router.get("/rules", tags=["rules"], operation_id="rules-list", dependencies=SIGNED_IN)
def list_rules(settings: SettingsDep) -> list[schemas.Rule]:
    """Every rule: built-in and the workspace's (documentation generated from the YAML)."""
    return [_rule(rules_service.describe(r)) for r in rules_service.catalogue(settings)]


@router.get("/rules/{rule_id}", tags=["rules"], operation_id="rules-get", dependencies=SIGNED_IN)
def get_rule(settings: SettingsDep, rule_id: str) -> schemas.Rule:
    """What a rule checks, its legal basis, parameters, bands and body."""
    return _rule(rules_service.describe(rules_service.get_rule(settings, rule_id)))


@router.get(
    "/scorecards", tags=["scorecards"], operation_id="scorecards-list", dependencies=SIGNED_IN
)
def list_scorecards(settings: SettingsDep) -> list[monitoring.Scorecard]:
    """Every scorecard: built-in and the workspace's, as written in their YAML."""
    return [
        monitoring.Scorecard(**rules_service.describe_scorecard(c))
        for c in rules_service.scorecards(settings)
    ]


@router.get(
    "/scorecards/{scorecard_id}",
    tags=["scorecards"],
    operation_id="scorecards-get",
    dependencies=SIGNED_IN,
)
def get_scorecard(settings: SettingsDep, scorecard_id: str) -> monitoring.Scorecard:
    """A scorecard's grades, dimensions, components (rules and models) and qualifiers."""
    card = rules_service.get_scorecard(settings, scorecard_id)
    return monitoring.Scorecard(**rules_service.describe_scorecard(card))


@router.get("/screen", tags=["screen"], operation_id="screen-check", dependencies=SIGNED_IN)
def screen_proposal(
    name: Annotated[
        str | None, Query(description="Proposed enterprise name (拟设企业名称).", max_length=500)
    ] = None,
    scope: Annotated[
        str | None, Query(description="Proposed business scope (经营范围).", max_length=20000)
    ] = None,
    licence: Annotated[list[str] | None, Query(description="Licence kinds held.")] = None,
) -> screen_service.ScreenResult:
    """Pre-registration check: restricted words, legal basis and the licence required."""
    return screen_service.screen(name, scope, licences=licence or ())


@router.get("/sources", tags=["sources"], operation_id="sources-list")
def list_sources(settings: SettingsDep, actor: ActorDep) -> list[schemas.Source]:
    """The workspace's data sources."""
    return [
        schemas.Source(
            id=spec.id,
            title=spec.title.model_dump(),
            table=spec.table,
            format=str(spec.format),
            location=spec.location,
            mode=str(spec.mode),
        )
        for spec in views.sources(settings, actor)
    ]


def _rule(info: dict[str, Any]) -> schemas.Rule:
    return schemas.Rule(**info)


__all__ = ["router"]
