"""Factories for rule folders written in a temporary directory."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

SQL_RULE: dict[str, Any] = {
    "id": "SW-R-9001",
    "version": 1,
    "name": "capital_at_least",
    "title": {"zh": "注册资本畸高", "en": "Very high registered capital"},
    "status": "active",
    "severity": "medium",
    "subject": "enterprise",
    "typology": ["corp.shell"],
    "references": [{"title": "测试依据", "article": "第一条"}],
    "description": {"zh": "测试用规则", "en": "A rule for tests"},
    "inputs": {"tables": ["enterprise"]},
    "parameters": {
        "min_capital": {
            "type": "decimal",
            "default": 100000000,
            "min": 0,
            "doc": "Threshold (yuan).",
        }
    },
    "logic": {"sql": "query.sql"},
    "metrics": {"capital": {"type": "decimal", "doc": "Registered capital in yuan."}},
    "bands": [
        {
            "code": "huge",
            "when": "capital >= 10 * :min_capital",
            "reason": {
                "zh": "注册资本{capital:,.0f}元，超过门槛{min_capital}元十倍",
                "en": "Registered capital {capital:,.0f} yuan, 10x the {min_capital} threshold",
            },
            "severity": "high",
        },
        {
            "code": "high",
            "when": "capital >= :min_capital",
            "reason": {
                "zh": "注册资本{capital:,.0f}元，达到门槛{min_capital}元",
                "en": "Registered capital {capital:,.0f} yuan reaches the {min_capital} threshold",
            },
        },
    ],
    "falsepositives": ["Large state-owned groups."],
}

SQL_BODY = """
select id as subject_id, name as subject_name, registered_capital as capital,
       to_json([struct_pack(field := 'registered_capital', value := registered_capital)])
         as evidence
from enterprise
where registered_capital >= :min_capital and status = 'active'
"""

POSITIVE = {
    "description": "一家注册资本10亿元，一家1亿元，一家100万元",
    "tables": {
        "enterprise": [
            {
                "id": "e1",
                "name": "芜湖甲公司",
                "registered_capital": 1000000000,
                "status": "active",
            },
            {"id": "e2", "name": "芜湖乙公司", "registered_capital": 100000000, "status": "active"},
            {"id": "e3", "name": "芜湖丙公司", "registered_capital": 1000000, "status": "active"},
        ]
    },
    "expect": [
        {"subject_id": "e1", "band": "huge", "reason_contains": {"zh": "1,000,000,000"}},
        {"subject_id": "e2", "band": "high", "metrics": {"capital": 100000000}},
    ],
}

NEGATIVE = {
    "description": "注册资本低，或已注销",
    "tables": {
        "enterprise": [
            {"id": "e3", "name": "芜湖丙公司", "registered_capital": 1000000, "status": "active"},
            {
                "id": "e4",
                "name": "芜湖丁公司",
                "registered_capital": 5000000000,
                "status": "cancelled",
            },
        ]
    },
}

WriteRule = Callable[..., Path]


@pytest.fixture
def sql_rule_spec() -> dict[str, Any]:
    """A fresh copy of the sample SQL rule's YAML content."""
    return copy.deepcopy(SQL_RULE)


@pytest.fixture
def write_rule(tmp_path: Path) -> WriteRule:
    """Write a rule folder: rule.yml, an optional body file and fixtures."""

    def write(
        spec: dict[str, Any],
        *,
        body: tuple[str, str] | None = ("query.sql", SQL_BODY),
        positive: dict[str, Any] | None = None,
        negative: dict[str, Any] | None = None,
        root: Path | None = None,
    ) -> Path:
        folder = (root or tmp_path / "rules") / spec["id"]
        (folder / "fixtures" / "positive").mkdir(parents=True, exist_ok=True)
        (folder / "fixtures" / "negative").mkdir(parents=True, exist_ok=True)
        (folder / "rule.yml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
        if body is not None:
            (folder / body[0]).write_text(body[1], encoding="utf-8")
        for kind, content in (("positive", positive), ("negative", negative)):
            if content is not None:
                (folder / "fixtures" / kind / "case.yml").write_text(
                    yaml.safe_dump(content, allow_unicode=True), encoding="utf-8"
                )
        return folder

    return write
