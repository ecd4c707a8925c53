"""Validation metrics of the SMS fraud model: per class, the loan class, fraud vs normal.

Also how well ``P(fraud) = 1 − P(正常短信)`` (the model's share of ``risk_score``) is
calibrated, and a style probe: does a fraud prediction survive dressing the text up as an
operator SMS?
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.text.models import sms
from smokewatch.text.models.base import predict_in_chunks
from smokewatch.text.models.metrics import classification_report, group_f1, top_confusions

LOAN_FRAUD = "贷款、代办信用卡类"
"""The loan and credit-card fraud class of the telecom-fraud data (the issue's target class)."""
NORMAL = "正常短信"
"""The class of ordinary messages; every other class is fraud."""


def sms_metrics(
    model: sms.SmsFraudModel,
    rows: Sequence[tuple[str, str]],
    *,
    progress: Progress = NO_PROGRESS,
) -> dict[str, Any]:
    """The metrics of an SMS model on labelled rows ``(text, label)``, one prediction per row."""
    labels = list(model.labels)
    predicted = [p.category for p in predict_in_chunks(model, [t for t, _ in rows], progress)]
    gold = [label for _, label in rows]
    report = classification_report(gold, predicted, labels)
    return {
        **report,
        "loan_fraud": report["per_class"].get(LOAN_FRAUD),
        "fraud_vs_normal": group_f1(gold, predicted, [x for x in labels if x != NORMAL]),
        "confusions": top_confusions(gold, predicted),
        "style_probe": style_probe(model, rows),
    }


def fraud_probability(model: sms.SmsFraudModel, rows: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Log loss and Brier score of ``P(fraud) = 1 − P(正常短信)`` against the labels."""
    texts = [t for t, _ in rows]
    fraud = np.array([label != NORMAL for _, label in rows], dtype=np.float64)
    normal = model.labels.index(NORMAL) if NORMAL in model.labels else None
    p = model.model.probabilities(model.matrix(texts))
    p_fraud = 1.0 - p[:, normal] if normal is not None else np.ones(len(texts))
    q = np.clip(p_fraud, 1e-12, 1 - 1e-12)
    return {
        "log_loss": round(-float(np.mean(fraud * np.log(q) + (1 - fraud) * np.log(1 - q))), 5),
        "brier": round(float(np.mean((p_fraud - fraud) ** 2)), 5),
    }


def style_probe(model: sms.SmsFraudModel, rows: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """How often a fraud prediction survives dressing the text up as an operator SMS."""
    fraud = [t for t, label in rows if label != NORMAL]
    dressed = [f"【中国联通】{t}回复TD退订" for t in fraud]
    before = [p.category for p in model.predict(fraud)]
    after = [p.category for p in model.predict(dressed)]
    same = sum(1 for a, b in zip(before, after, strict=True) if a == b)
    return {
        "protocol": "fraud texts wrapped in 【中国联通】…回复TD退订; share unchanged",
        "texts": len(fraud),
        "unchanged": round(same / len(fraud), 4) if fraud else 1.0,
    }


__all__ = ["LOAN_FRAUD", "NORMAL", "fraud_probability", "sms_metrics", "style_probe"]
