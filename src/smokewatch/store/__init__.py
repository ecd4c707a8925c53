"""The operational store: SQLAlchemy 2 ORM, unit of work and Alembic migrations.

Runs, ingest rejects, findings, the rule and scorecard registries, scores, alerts, watch lists,
agencies, users, cases and the audit log live here, in SQLite
(embedded default) or PostgreSQL. Open a :class:`Store` from a URL, call
:meth:`Store.upgrade` once, and do each piece of work in :meth:`Store.unit_of_work`, passing
the session to the functions of :mod:`smokewatch.store.repos`.
"""

from __future__ import annotations

from smokewatch.store import (
    data_version,  # noqa: F401 - registers the data version counter
    orm_blacklist,  # noqa: F401 - registers the blacklist table
    orm_cases,  # noqa: F401 - registers the case tables on Base.metadata
    orm_graph,  # noqa: F401 - registers the graph's read model
    orm_patrol,  # noqa: F401 - registers the patrol's change events
    orm_resolve,  # noqa: F401 - registers the judgement table
    orm_sector,  # noqa: F401 - registers the sector statistics table
    orm_tips,  # noqa: F401 - registers the tip portal's tables
)
from smokewatch.store.db import Store
from smokewatch.store.orm import Finding, IngestReject, RuleVersion, Run, RunKind, RunStatus, Score

__all__ = [
    "Finding",
    "IngestReject",
    "RuleVersion",
    "Run",
    "RunKind",
    "RunStatus",
    "Score",
    "Store",
]
