"""``uvicorn smokewatch.api.asgi:app``: the API for the workspace named by the environment."""

from __future__ import annotations

from smokewatch.api.app import create_app
from smokewatch.settings import load_settings


def app_factory() -> object:
    """Factory for ``uvicorn --factory smokewatch.api.asgi:app_factory``."""
    return create_app(load_settings())


__all__ = ["app_factory"]
