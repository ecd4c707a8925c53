"""Shared pieces of the value types."""

from __future__ import annotations

from smokewatch.errors import InvalidInput


class ValueTypeError(InvalidInput):
    """A value does not conform to its type; the message is a reject reason for people."""


__all__ = ["ValueTypeError"]
