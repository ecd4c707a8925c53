"""Scorecard files: the built-in card loads; mistakes are reported at their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from smokewatch.errors import ConfigError
from smokewatch.score.scorecard import load_scorecards, parse_scorecard

CARD = """\
id: XX-S-0001
version: 1
name: test_card
status: active
subject: enterprise
title: {zh: 测试, en: Test}
grades:
  - {code: red, min: 60, label: {zh: 红色, en: Red}}
  - {code: yellow, min: 20, label: {zh: 黄色, en: Yellow}}
dimensions:
  - id: compliance
    title: {zh: 合规性, en: Compliance}
    cap: 30
    components:
      - id: name_word
        title: {zh: 名称, en: Name}
        rule: SW-R-0001
        bands: {binding_word: 20}
"""


def test_the_builtin_enterprise_card_loads_with_ten_dimensions() -> None:
    card = load_scorecards()["SW-S-0001"]
    assert card.spec.subject == "enterprise"
    assert [d.id for d in card.spec.dimensions] == [
        "compliance",
        "return_deviation",
        "lure",
        "spread",
        "complaints",
        "feature_words",
        "events",
        "fund_anomaly",
        "model",
        "network",
    ]
    assert [g.code for g in card.spec.grades] == ["red", "orange", "yellow", "blue"]
    assert len(card.content_hash) == 64


def test_a_minimal_card_parses() -> None:
    card = parse_scorecard(CARD, "card.yml")
    assert card.key == "XX-S-0001@1"
    assert card.spec.grade_of(60).code == "red"  # type: ignore[union-attr]
    assert card.spec.grade_of(59.99).code == "yellow"  # type: ignore[union-attr]
    assert card.spec.grade_of(19.99) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("min: 60", "min: 10"), "grades go from the highest"),
        (("rule: SW-R-0001\n", "rule: SW-R-0001\n        model: x\n"), "exactly one of"),
        (("bands: {binding_word: 20}", "bands: {binding_word: -5}"), "cannot be negative"),
        (("cap: 30", "cap: 0"), "dimensions.0.cap"),
        (("status: active", "status: live"), "status"),
        (("      - id: name_word", "      - id: Name Word"), "components.0.id"),
    ],
)
def test_mistakes_are_reported_with_the_line(change: tuple[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_scorecard(CARD.replace(*change), "card.yml")
    text = " ".join(str(p) for p in caught.value.problems)
    assert message in text
    assert any(p.location and p.location.line for p in caught.value.problems)


def test_model_components_need_points_and_rule_components_bands() -> None:
    model = CARD.replace("rule: SW-R-0001\n        bands: {binding_word: 20}", "model: m")
    with pytest.raises(ConfigError, match="needs `points`"):
        parse_scorecard(model, "card.yml")
    rule = CARD.replace("        bands: {binding_word: 20}\n", "")
    with pytest.raises(ConfigError, match="needs `bands`"):
        parse_scorecard(rule, "card.yml")


def test_a_workspace_card_replaces_the_builtin_one_of_the_same_id(tmp_path: Path) -> None:
    text = CARD.replace("XX-S-0001", "SW-S-0001").replace("version: 1", "version: 2")
    (tmp_path / "mine.yml").write_text(text, encoding="utf-8")
    cards = load_scorecards([tmp_path])
    assert cards["SW-S-0001"].spec.version == 2
    assert cards["SW-S-0001"].origin.endswith("mine.yml")


def test_two_files_with_one_id_in_a_folder_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(CARD, encoding="utf-8")
    (tmp_path / "b.yml").write_text(CARD, encoding="utf-8")
    with pytest.raises(ConfigError, match="also defined"):
        load_scorecards([tmp_path])
