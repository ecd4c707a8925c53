"""The enterprise-risk feature sets: registry, activity, optional inputs, out-of-fold risk rates.

The features depend on the input *variant* (:class:`~.full_inputs.Variant`): every variant has
the registry and activity features; ``base_info.csv`` adds the scope, date and address
features of :mod:`.registry_full`, ``change_info.csv`` the change-history features of
:mod:`.changes`. The out-of-fold risk rates come last in every variant. :data:`FEATURES` is
the ``derived_partial`` set (the public data, the shipped metrics).
"""

from __future__ import annotations

from functools import cache

from smokewatch.score.ml.enterprise.activity import ACTIVITY
from smokewatch.score.ml.enterprise.changes import CHANGES
from smokewatch.score.ml.enterprise.full_inputs import DERIVED, Variant
from smokewatch.score.ml.enterprise.registry import REGISTRY
from smokewatch.score.ml.enterprise.registry_full import BASE_INFO
from smokewatch.score.ml.features import FeatureSet


def _encodings(features: FeatureSet) -> None:
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


@cache
def feature_set(variant: Variant = DERIVED) -> FeatureSet:
    """Every feature of the enterprise-risk model for ``variant``, in model column order."""
    name = "enterprise-risk" if variant == DERIVED else f"enterprise-risk[{variant.name}]"
    features = FeatureSet(name, keys=("id",), base="enterprise")
    features.include(REGISTRY)
    features.include(ACTIVITY)
    if variant.base_info:
        features.include(BASE_INFO)
    if variant.change_info:
        features.include(CHANGES)
    _encodings(features)
    return features


FEATURES = feature_set(DERIVED)
"""Every feature of the enterprise-risk model on the public data (``derived_partial``)."""

__all__ = ["FEATURES", "feature_set"]
