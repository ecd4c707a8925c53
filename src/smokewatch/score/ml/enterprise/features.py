"""The enterprise-risk feature set: registry, activity, then out-of-fold risk rates."""

from __future__ import annotations

from smokewatch.score.ml.enterprise.activity import ACTIVITY
from smokewatch.score.ml.enterprise.registry import REGISTRY
from smokewatch.score.ml.features import FeatureSet


def _build() -> FeatureSet:
    features = FeatureSet("enterprise-risk", keys=("id",), base="enterprise")
    features.include(REGISTRY)
    features.include(ACTIVITY)
    features.encoded(
        "industry_code_risk",
        of="industry_code",
        zh="同行业小类涉险率",
        en="risk rate of the industry class",
        description=(
            "Share of labelled enterprises of the same four-digit industry class that were "
            "found risky, shrunk towards the overall rate for rare classes. Computed out of "
            "fold: an enterprise's own label never enters its own value."
        ),
    )
    features.encoded(
        "enterprise_type_risk",
        of="enterprise_type_detail",
        zh="同企业类型涉险率",
        en="risk rate of the enterprise type",
        description=(
            "Share of labelled enterprises of the same detailed enterprise type that were "
            "found risky (shrunk towards the overall rate; out of fold)."
        ),
    )
    features.encoded(
        "district_risk",
        of="district",
        zh="同区县涉险率",
        en="risk rate of the district",
        description=(
            "Share of labelled enterprises operating in the same district that were found "
            "risky (shrunk towards the overall rate; out of fold)."
        ),
    )
    return features


FEATURES = _build()
"""Every feature of the enterprise-risk model, in model column order."""

__all__ = ["FEATURES"]
