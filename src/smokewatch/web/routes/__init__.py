"""The dashboard's routers, one per area (pages and their htmx fragments)."""

from __future__ import annotations

from fastapi import APIRouter

from smokewatch.web.routes import alerts, auth, cases, catalogue, entities, overview, watchlist

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    overview.router,
    watchlist.router,
    entities.router,
    alerts.router,
    cases.router,
    catalogue.router,
)

__all__ = ["ROUTERS"]
