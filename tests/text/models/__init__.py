"""Tests of the trained text models."""

from __future__ import annotations
