"""Tests of the service core (mirrors ``src/smokewatch/services``)."""
