"""The dashboard's routers, one per area (pages and their htmx fragments)."""

from __future__ import annotations

from fastapi import APIRouter

from smokewatch.web.routes import auth, overview

ROUTERS: tuple[APIRouter, ...] = (auth.router, overview.router)

__all__ = ["ROUTERS"]
