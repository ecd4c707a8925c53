"""Trained text classifiers: news event type + subject (FinESE) and SMS fraud type.

Train with :func:`train_news_events` / :func:`train_sms_fraud` (needs the ``ml`` extra), load
any trained folder with :func:`load_text_model`; inference needs numpy, scipy and
pyahocorasick only. Artefacts are verified folders (:mod:`smokewatch.ml.artefact`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smokewatch.text.models.base import (
    Reason,
    TextModel,
    TextPrediction,
    TrainReport,
    load_text_model,
)

if TYPE_CHECKING:
    from smokewatch.text.models.training import train_news_events, train_sms_fraud

_TRAINING = frozenset({"train_news_events", "train_sms_fraud"})


def __getattr__(name: str) -> Any:
    """The training functions, imported on first use (they load numpy and scipy).

    Analysing with the rules only never imports them.
    """
    if name in _TRAINING:
        from smokewatch.text.models import training  # noqa: PLC0415

        return getattr(training, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Reason",
    "TextModel",
    "TextPrediction",
    "TrainReport",
    "load_text_model",
    "train_news_events",
    "train_sms_fraud",
]
