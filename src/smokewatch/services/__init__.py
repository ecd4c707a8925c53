"""The service core every edge calls: workspaces, pipeline runs, queries."""

from __future__ import annotations
