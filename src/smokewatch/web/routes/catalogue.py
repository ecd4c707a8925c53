"""Rules and scorecards as analysts read them; the runs that produced the results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from smokewatch.services import rules, views
from smokewatch.services.rule_precision import rule_precision
from smokewatch.services.visibility import require_analyst
from smokewatch.web import labels, pages

router = APIRouter(include_in_schema=False)


@router.get("/rules", response_class=HTMLResponse)
def rule_list(request: Request) -> HTMLResponse:
    """Every rule and scorecard: what it checks, its status, its precision from finished cases."""
    who = pages.actor(request)
    require_analyst(who)
    settings = pages.settings(request)
    described = [rules.describe(r) for r in rules.catalogue(settings)]
    cards = [rules.describe_scorecard(c) for c in rules.scorecards(settings)]
    return pages.render(
        request,
        "catalogue/rules.html",
        who=who,
        rules=described,
        scorecards=cards,
        precision=rule_precision(pages.store(request)),
        labels=labels,
    )


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule_page(request: Request, rule_id: str) -> HTMLResponse:
    """One rule: legal basis, parameters, bands with their reasons, known false positives."""
    who = pages.actor(request)
    require_analyst(who)
    rule = rules.describe(rules.get_rule(pages.settings(request), rule_id))
    judged = rule_precision(pages.store(request)).get(rule_id)
    return pages.render(
        request, "catalogue/rule.html", who=who, rule=rule, judged=judged, labels=labels
    )


@router.get("/scorecards/{scorecard_id}", response_class=HTMLResponse)
def scorecard_page(request: Request, scorecard_id: str) -> HTMLResponse:
    """One scorecard: grades, dimensions with caps, and the rules or models behind each part."""
    who = pages.actor(request)
    require_analyst(who)
    card = rules.describe_scorecard(rules.get_scorecard(pages.settings(request), scorecard_id))
    return pages.render(request, "catalogue/scorecard.html", who=who, card=card, labels=labels)


@router.get("/runs", response_class=HTMLResponse)
def run_list(
    request: Request,
    kind: Annotated[str | None, Query(max_length=32, pattern="^[a-z_]*$")] = None,
) -> HTMLResponse:
    """What ran, when, on what data, with which versions, and how it ended."""
    who = pages.actor(request)
    rows = views.runs(pages.store(request), who, kind=kind or None, limit=200)
    return pages.render(request, "catalogue/runs.html", who=who, rows=rows, kind=kind or "")


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: str) -> HTMLResponse:
    """One run: inputs, versions, counts, and the first rejected rows with their reasons.

    Rejected rows are raw data of the whole workspace: shown only to users whose division
    contains the workspace's (the service decides, ``rejects_shown``).
    """
    who = pages.actor(request)
    run = views.run(pages.store(request), who, run_id, pages.settings(request).jurisdiction)
    return pages.render(request, "catalogue/run.html", who=who, run=run)
