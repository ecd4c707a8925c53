"""Tests of the case workflow layer (mirrors ``src/smokewatch/cases``)."""
