"""Tests of the alert layer (mirrors ``src/smokewatch/alerts``)."""
