"""Trained text classifiers: news event type + subject (FinESE) and SMS fraud type.

Train with :func:`train_news_events` / :func:`train_sms_fraud` (needs the ``ml`` extra), load
any trained folder with :func:`load_text_model`; inference needs numpy, scipy and
pyahocorasick only. Artefacts are verified folders (:mod:`smokewatch.ml.artefact`).
"""

from __future__ import annotations

from smokewatch.text.models.base import (
    Reason,
    TextModel,
    TextPrediction,
    TrainReport,
    load_text_model,
)
from smokewatch.text.models.training import train_news_events, train_sms_fraud

__all__ = [
    "Reason",
    "TextModel",
    "TextPrediction",
    "TrainReport",
    "load_text_model",
    "train_news_events",
    "train_sms_fraud",
]
