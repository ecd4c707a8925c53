"""Validation metrics of the news event model: per text, per row, for a given subject, subject.

FinESE repeats a text once per (event, subject) row, so the one prediction per text is scored
in several ways (see contrib/experiments/text_models.md for why both matter).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.text.models import news
from smokewatch.text.models.base import predict_in_chunks
from smokewatch.text.models.metrics import classification_report, group_f1, top_confusions

ILLEGAL_FINANCE = (
    "涉嫌非法集资",
    "涉嫌传销",
    "涉嫌欺诈",
    "提现困难",
    "失联跑路",
    "歇业停业",
    "投诉维权",
)
"""FinESE event types that signal illegal finance (the group of the group metric)."""


def news_metrics(
    model: news.NewsEventModel,
    rows: Sequence[tuple[str, str, str, str | None]],
    *,
    progress: Progress = NO_PROGRESS,
) -> dict[str, Any]:
    """The validation metrics of a news model on FinESE rows ``(id, text, event, subject)``."""
    by_text: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for _, text, label, subject in rows:
        by_text[text].append((label, subject))
    texts = list(by_text)
    predictions = predict_in_chunks(model, texts, progress)
    labels = list(model.labels)
    # per text: right if the text carries the predicted label (a text can carry several)
    gold_text, pred_text = [], []
    subject_hits, subject_total = 0, 0
    for text, p in zip(texts, predictions, strict=True):
        carried = [label for label, _ in by_text[text]]
        gold_text.append(
            p.category if p.category in carried else Counter(carried).most_common(1)[0][0]
        )
        pred_text.append(p.category)
        golds = {s for _, s in by_text[text] if s and s in text}
        if golds:
            subject_total += 1
            subject_hits += p.subject in golds
    # per row, as the data is laid out: one prediction per text, compared with every row
    by_prediction = dict(zip(texts, predictions, strict=True))
    gold_rows = [label for _, _, label, _ in rows]
    pred_rows = [by_prediction[text].category for _, text, _, _ in rows]
    with_subject = [(t, s, label) for _, t, label, s in rows if s and s in t]
    given = model.predict_for_subjects(
        [t for t, _, _ in with_subject], [s for _, s, _ in with_subject]
    )
    none_rows = [label for _, _, label, s in rows if not s]
    oracle = [Counter(label for label, _ in by_text[t]).most_common(1)[0][0] for _, t, _, _ in rows]
    return {
        "per_text": {
            "protocol": "one prediction per distinct text; right if the text carries that label",
            "texts": len(texts),
            **classification_report(gold_text, pred_text, labels),
            "illegal_finance_group": group_f1(gold_text, pred_text, ILLEGAL_FINANCE),
            "confusions": top_confusions(gold_text, pred_text),
        },
        "per_row": {
            "protocol": "one prediction per text, compared with every labelled row of it",
            "rows": len(rows),
            **classification_report(gold_rows, pred_rows, labels),
            "illegal_finance_group": group_f1(gold_rows, pred_rows, ILLEGAL_FINANCE),
            "confusions": top_confusions(gold_rows, pred_rows),
            "ceiling_best_single_label_per_text": {
                "涉嫌非法集资_f1": classification_report(gold_rows, oracle, labels)["per_class"][
                    "涉嫌非法集资"
                ]["f1"]
                if "涉嫌非法集资" in labels
                else None,
                "illegal_finance_group": group_f1(gold_rows, oracle, ILLEGAL_FINANCE),
            },
        },
        "subject_given": {
            "protocol": "event for the gold subject of every row that has one (其他 rows excluded)",
            "rows": len(with_subject),
            "excluded_rows_without_subject": len(none_rows),
            **classification_report([label for _, _, label in with_subject], given, labels),
        },
        "subject": {
            "protocol": "texts with a gold subject: predicted subject equals one of them",
            "texts": subject_total,
            "exact_match": round(subject_hits / subject_total, 4) if subject_total else 0.0,
        },
    }


__all__ = ["ILLEGAL_FINANCE", "news_metrics"]
