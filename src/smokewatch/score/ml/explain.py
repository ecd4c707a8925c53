"""Explanations: each prediction's largest contributions, worded for analysts (zh and en).

LightGBM gives every prediction its exact decomposition into per-feature contributions to
the log-odds (TreeSHAP, ``pred_contrib=True``): base value + Σ contributions = the model's
raw score. A reason names the feature by its label, states the subject's value in words, and
shows the contribution, e.g. ``注册资本为空（+0.42）`` / ``registered capital missing (+0.42)``.
A positive contribution raises the risk, a negative one lowers it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from smokewatch.score.ml.features import Feature, FeatureKind, FeatureSet


@dataclass(frozen=True, slots=True)
class Reason:
    """One contribution to one prediction."""

    feature: str
    value: float | None
    contribution: float
    """Change of the log-odds due to this feature's value (positive raises the risk)."""
    text_zh: str
    text_en: str

    def text(self, lang: str = "zh") -> str:
        """The reason in ``zh`` or ``en``."""
        return self.text_zh if lang.startswith("zh") else self.text_en


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe_value(feature: Feature, value: float | None) -> tuple[str, str]:
    """The feature and its value in words: ``(zh, en)``."""
    zh, en = feature.label_zh, feature.label_en
    if value is None or math.isnan(value):
        return f"{zh}为空", f"{en} missing"
    if feature.kind is FeatureKind.FLAG:
        return (f"{zh}：是", f"{en}: yes") if value else (f"{zh}：否", f"{en}: no")
    if feature.kind is FeatureKind.CATEGORY:
        code = int(value) if float(value).is_integer() else value
        label = feature.values.get(int(value)) if float(value).is_integer() else None
        if label:
            return f"{zh}为{label[0]}", f"{en}: {label[1]}"
        return f"{zh}为{code}", f"{en}: {code}"
    if feature.percent:
        shown = f"{value * 100:.1f}%"
        return f"{zh}为{shown}", f"{en} {shown}"
    shown = _number(value)
    unit_en = f" {feature.unit_en}" if feature.unit_en else ""
    return f"{zh}为{shown}{feature.unit_zh}", f"{en} {shown}{unit_en}"


def reason(feature: Feature, value: float | None, contribution: float) -> Reason:
    """A :class:`Reason` for one feature of one prediction."""
    zh, en = describe_value(feature, value)
    sign = f"{contribution:+.2f}"
    return Reason(
        feature=feature.name,
        value=None if value is None or math.isnan(value) else float(value),
        contribution=float(contribution),
        text_zh=f"{zh}（{sign}）",
        text_en=f"{en} ({sign})",
    )


def _describe_encoded(
    feature: Feature, features: FeatureSet, value: float | None, source_value: float | None
) -> tuple[str, str]:
    """Encoded features name the category too: ``行业小类7212的历史风险率为73.0%``."""
    base_zh, base_en = describe_value(feature, value)
    if feature.encodes is None or source_value is None or math.isnan(source_value):
        return base_zh, base_en
    source = features.get(feature.encodes)
    cat_zh, cat_en = describe_value(source, source_value)
    return f"{cat_zh}，{base_zh}", f"{cat_en}; {base_en}"


def top_reasons(
    features: FeatureSet,
    values: np.ndarray,
    contribution_row: np.ndarray,
    *,
    top: int = 3,
) -> list[Reason]:
    """The ``top`` largest contributions (by size) of one prediction, largest first.

    ``values`` are the row's model inputs, ``contribution_row`` its contributions (the last
    entry, the base value, is ignored). A category and its target encoding are one reason
    (their contributions added: ``行业小类代码为6760，同行业小类涉险率为72.1%（+3.52）``), so
    the reasons name different things. Contributions that are exactly zero are left out.
    """
    names = features.names
    contrib = np.asarray(contribution_row[: len(names)], dtype=np.float64).copy()
    companion: dict[int, int] = {}
    for index, feature in enumerate(features.features):
        if feature.kind is FeatureKind.ENCODED and feature.encodes is not None:
            source = names.index(feature.encodes)
            contrib[source] += contrib[index]
            contrib[index] = 0.0
            companion[source] = index
    order = np.argsort(-np.abs(contrib), kind="stable")
    reasons: list[Reason] = []
    for index in order[:top]:
        if contrib[index] == 0:
            break
        feature = features.features[index]
        value = float(values[index])
        if index not in companion:
            reasons.append(reason(feature, value, float(contrib[index])))
            continue
        encoded = features.features[companion[index]]
        zh, en = _describe_encoded(encoded, features, float(values[companion[index]]), value)
        sign = f"{contrib[index]:+.2f}"
        reasons.append(
            Reason(feature.name, value, float(contrib[index]), f"{zh}（{sign}）", f"{en} ({sign})")
        )
    return reasons


def join_reasons(reasons: Sequence[Reason], lang: str = "zh") -> str:
    """Reasons as one text cell: ``；``-separated in Chinese, ``; `` in English."""
    separator = "；" if lang.startswith("zh") else "; "
    return separator.join(r.text(lang) for r in reasons)


__all__ = ["Reason", "describe_value", "join_reasons", "reason", "top_reasons"]
