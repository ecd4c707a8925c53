"""Risk models: documented features, honest training, safe artefacts and explanations.

- :mod:`~smokewatch.score.ml.features` — features as named, documented functions computed by
  the engine (DuckDB or Spark);
- :mod:`~smokewatch.score.ml.training` — stratified k-fold, out-of-fold target encodings,
  thresholds chosen on validation folds, Platt calibration, a final refit;
- :mod:`~smokewatch.score.ml.risk_model` — the trained model, saved as a verified artefact
  (LightGBM ``model.txt``, manifest, model card), and its per-prediction explanations;
- :mod:`~smokewatch.score.ml.enterprise` and :mod:`~smokewatch.score.ml.platform` — the two
  models: enterprise illegal-fundraising risk and P2P platform failure risk.

LightGBM is optional (the ``ml`` extra) and imported only when a model is trained or used.
"""

from __future__ import annotations

from smokewatch.score.ml.features import Feature, FeatureKind, FeatureSet, compute_features
from smokewatch.score.ml.risk_model import KIND, RiskModel, Scored, read_manifest

__all__ = [
    "KIND",
    "Feature",
    "FeatureKind",
    "FeatureSet",
    "RiskModel",
    "Scored",
    "compute_features",
    "read_manifest",
]
