"""smokewatch: explainable monitoring and early warning against illegal financial activity.

The package has no side effects on import. Edges (CLI, API, web) load settings and build
engines and stores explicitly; see ``ARCHITECTURE.md`` for the map of the code.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
