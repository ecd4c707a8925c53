"""The demo workspace generator: a synthetic city of enterprises, seeded, with planted cases.

The demo city is 芜湖市 (Wuhu): ordinary enterprises drawn from our own word pools, planted
cases for every pattern of the registry rules, a licence register, a few bad rows, text
documents (ads, web pages, posts, news, SMS, notices, complaints) for the text rules and the
rules over an enterprise's complaints and promotions, and smoke cases designed to reach each
grade of the enterprise smoke index.
Extend it with your own :class:`Planter`; generate large registry files for benchmarks with
:func:`write_registry_file`.
"""

from __future__ import annotations

from smokewatch.demo.bulk import RegistryFile, write_registry_file
from smokewatch.demo.city import BAD_ROW_KINDS, BadRow, City, bad_row_counts, generate_city
from smokewatch.demo.grades import GradeExpectation
from smokewatch.demo.planters import builtin_planters
from smokewatch.demo.planting import (
    DOCUMENT_RULE_IDS,
    ENTERPRISE_RULE_IDS,
    RULE_IDS,
    DocumentFacts,
    Expectation,
    FunctionPlanter,
    PlantContext,
    PlantedCase,
    Planter,
    RuleFacts,
)
from smokewatch.demo.records import DocumentRecord
from smokewatch.demo.sources import (
    document_source_yaml,
    licence_source_yaml,
    registry_source_yaml,
)
from smokewatch.demo.workspace import DemoManifest, write_demo_sources

__all__ = [
    "BAD_ROW_KINDS",
    "DOCUMENT_RULE_IDS",
    "ENTERPRISE_RULE_IDS",
    "RULE_IDS",
    "BadRow",
    "City",
    "DemoManifest",
    "DocumentFacts",
    "DocumentRecord",
    "Expectation",
    "FunctionPlanter",
    "GradeExpectation",
    "PlantContext",
    "PlantedCase",
    "Planter",
    "RegistryFile",
    "RuleFacts",
    "bad_row_counts",
    "builtin_planters",
    "document_source_yaml",
    "generate_city",
    "licence_source_yaml",
    "registry_source_yaml",
    "write_demo_sources",
    "write_registry_file",
]
