"""``smokewatch patrol targets suggest|import``: targets from the workspace's own data.

Leads (:mod:`smokewatch.patrol.targets`) come from the platform register (``platform.website``,
with its operating company), tips that name a website (``tip.target_url``; spam, duplicates
and dismissed tips are left out), URLs written in documents (news, posts, ads, complaints —
not the patrol's own pages) and the domains of operators' e-mail addresses on patrolled pages
(``web_fact``). ``suggest`` lists them grouped by domain; ``import`` writes the chosen ones as
sites of a spec, with their provenance, and runs nothing: the officer runs the patrol.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from smokewatch.errors import InvalidInput
from smokewatch.patrol.spec import PATROL_DIR, list_patrol_ids, load_patrol_spec, parse_patrol_spec
from smokewatch.patrol.targets import Lead, Target, covered_domains, group_leads, urls_in
from smokewatch.services.workspace import open_engine, open_store, open_workspace
from smokewatch.settings import Settings
from smokewatch.store.orm_tips import Tip

IGNORED_TIPS = ("spam", "duplicate", "dismissed")
DOCUMENT_LIMIT = 200_000
"""At most this many documents that may hold a URL are read for leads: the first by id, so the
choice is the same on every engine and run (an unordered limit lets DuckDB and Spark differ)."""


def _engine_leads(settings: Settings) -> list[Lead]:
    leads: list[Lead] = []
    with open_engine(settings) as engine:
        if engine.has_table("platform"):
            p = engine.table("platform")
            rows = engine.to_arrow(
                p.filter(p.website.notnull())
                .select("id", "name", "company_name", "website")
                .order_by("id"),
                step="patrol targets",
            ).to_pylist()
            leads += [
                Lead(r["website"], "platform", f"{r['id']} {r['name']}", r["company_name"])
                for r in rows
            ]
        if engine.has_table("document"):
            d = engine.table("document")
            holds = d.text.re_search(r"[A-Za-z0-9-]\.[A-Za-z]{2,}")  # a host may be written
            expr = d.filter(holds & ~d.source.startswith("patrol_")).select(
                "id", "text", "subject_name", "subject_uscc"
            )
            chosen = expr.order_by("id").limit(DOCUMENT_LIMIT)
            for r in engine.to_arrow(chosen, step="patrol targets").to_pylist():
                leads += [
                    Lead(url, "document", r["id"], r["subject_name"], r["subject_uscc"])
                    for url in urls_in(r["text"])
                ]
        if engine.has_table("web_fact"):
            w = engine.table("web_fact")
            expr = (
                w.filter(w.kind == "email")
                .select("id", "page_url", "value", "subject_name", "subject_uscc")
                .order_by("id")
            )
            for r in engine.to_arrow(expr, step="patrol targets").to_pylist():
                domain = str(r["value"]).rsplit("@", 1)[-1]
                leads.append(
                    Lead(
                        f"http://{domain}/",
                        "page_email",
                        f"{r['page_url']} ({r['value']})",
                        r["subject_name"],
                        r["subject_uscc"],
                    )
                )
    return leads


def _tip_leads(settings: Settings) -> list[Lead]:
    with open_store(settings) as store, store.read_session() as session:
        rows = session.execute(
            sa.select(Tip.id, Tip.target_url, Tip.target_name)
            .where(Tip.target_url.is_not(None), Tip.status.not_in(IGNORED_TIPS))
            .order_by(Tip.id)
        ).all()
    return [Lead(str(url), "tip", tip_id, name) for tip_id, url, name in rows]


def suggest_targets(settings: Settings) -> list[Target]:
    """Websites the workspace's data points at and no patrol spec covers yet."""
    workspace = open_workspace(settings)
    patrol_dir = workspace.root / PATROL_DIR
    covered = covered_domains(load_patrol_spec(patrol_dir, i) for i in list_patrol_ids(patrol_dir))
    return group_leads([*_engine_leads(settings), *_tip_leads(settings)], covered)


def import_targets(
    settings: Settings, patrol_id: str, domains: Sequence[str], *, title: str | None = None
) -> Path:
    """Add the suggested targets of ``domains`` as sites of ``patrol/<patrol_id>.yml``.

    The spec is created when missing (``title`` or a default), else its sites are extended;
    it is validated before it is written. Nothing is fetched.

    Raises:
        InvalidInput: a domain is not among the suggestions (unknown, or already patrolled).
    """
    suggested = {t.domain: t for t in suggest_targets(settings)}
    unknown = sorted(set(domains) - set(suggested))
    if unknown or not domains:
        raise InvalidInput(
            f"not among the suggested targets: {', '.join(unknown) or '(none given)'}"
            " (see `smokewatch patrol targets suggest`)"
        )
    path = open_workspace(settings).root / PATROL_DIR / f"{patrol_id}.yml"
    spec: dict[str, Any] = (
        yaml.safe_load(path.read_text("utf-8"))
        if path.is_file()
        else {"id": patrol_id, "title": title or f"巡查目标（{patrol_id}）", "sites": []}
    )
    spec["sites"] = [*spec.get("sites", []), *(suggested[d].site() for d in dict.fromkeys(domains))]
    text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    parse_patrol_spec(text, str(path), expected_id=patrol_id)  # ConfigError before writing
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    Path(tmp).replace(path)
    return path


__all__ = ["import_targets", "suggest_targets"]
