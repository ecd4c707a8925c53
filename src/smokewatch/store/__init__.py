"""The operational store: SQLAlchemy 2 ORM, unit of work and Alembic migrations."""

from __future__ import annotations
