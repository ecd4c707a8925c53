"""Model cards (``MODEL_CARD.md``) of the text models, rendered from their manifests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smokewatch.ml.artefact import Manifest


def _class_table(report: Mapping[str, Any]) -> list[str]:
    lines = ["| class | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for label, m in report.get("per_class", {}).items():
        lines.append(
            f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
            f"| {m['support']} |"
        )
    return lines


def _split(metrics: Mapping[str, Any]) -> str:
    s = metrics.get("split", {})
    return (
        f"Seeded split (seed {s.get('seed')}): {s.get('validation')} of the groups go to "
        f"validation, grouped by {s.get('grouped_by')}, stratified by {s.get('stratified_by')}; "
        f"{s.get('train_rows')} training rows, {s.get('validation_rows')} validation rows. "
        + (
            "The numbers below are those of the model fitted on the training part, on the "
            "validation part, which it never saw. The artefact is the same procedure refitted "
            f"afterwards on all {s['refit_rows']} rows (its tuned steps chosen again inside "
            "them), so it has learnt the validation rows too: score it on other labelled data."
            if s.get("refit_rows")
            else "The artefact is the model fitted on the training part; the numbers below are "
            "on the validation part, which it never saw."
        )
    )


def _reranker(metrics: Mapping[str, Any]) -> str:
    r = metrics.get("subject_reranker") or {}
    return (
        f"* **subject reranker** (news sentences; {r.get('protocol')}): "
        f"{r.get('texts')} training texts, candidate right {r.get('rankers_best')} for the "
        f"rich ranker's winner, {r.get('reranked')} reranked (before the boundary repair)."
    )


def news_card(manifest: Manifest) -> str:
    """The model card of a ``news-events`` artefact."""
    m = manifest.metrics
    per_text, per_row = m.get("per_text", {}), m.get("per_row", {})
    group_t = per_text.get("illegal_finance_group", {})
    group_r = per_row.get("illegal_finance_group", {})
    lines = [
        "# news-events — event type and subject of financial news (FinESE)",
        "",
        "## Data",
        (
            f"Trained on `{manifest.training_data['file']}` (sha256 "
            f"`{manifest.training_data['sha256']}`, {manifest.training_data['rows']} rows), "
            "the FinESE "
            "train list of BBT-FinCUGE (event types of the CCKS financial event-subject task). "
            "**Licence: none stated upstream — research use only, do not redistribute the data or "
            "ship this artefact in a product.** The artefact holds no text, but its vocabularies "
            "hold character n-grams and its gazetteer the subject names of the training rows."
        ),
        "",
        "## Intended use",
        (
            "Triage of news and public-opinion texts for analysts: which event a text reports "
            "(涉嫌非法集资, 涉嫌传销, 提现困难, 失联跑路 …) and about which company or platform, "
            "with the features that drove the decision. A lead for a human, never a finding by "
            "itself: it must not be used to accuse, rate or sanction anyone."
        ),
        "",
        "## Validation",
        _split(m),
        "",
        (
            "FinESE rows are (text, subject, event); one text can carry several rows with "
            "different "
            "subjects *and* different events (the same sentence even carries 涉嫌违法 and "
            "涉嫌非法集资 for the same subject). A model that reads a text gives one answer, so:"
        ),
        "",
        (
            f"* **per text** ({per_text.get('texts')} texts; right if the text carries the "
            f"predicted label): accuracy {per_text.get('accuracy')}, illegal-finance group F1 "
            f"{group_t.get('f1')};"
        ),
        (
            f"* **per row** ({per_row.get('rows')} rows; one prediction compared with every row): "
            f"accuracy {per_row.get('accuracy')}, group F1 {group_r.get('f1')}; the ceiling of any "
            "one-label-per-text model on this protocol is "
            f"{per_row.get('ceiling_best_single_label_per_text')};"
        ),
        (
            f"* **subject** exact match on texts with a subject: "
            f"{m.get('subject', {}).get('exact_match')} "
            f"({m.get('subject', {}).get('texts')} texts)."
        ),
        _reranker(m),
        (
            "* **event offsets** added to the class scores (tuned inside the training part): "
            + (
                ", ".join(
                    f"{label} {value:+.2f}"
                    for label, value in m.get("event_offsets", {}).get("offsets", {}).items()
                )
                or "none"
            )
            + "."
        ),
        "",
        "### Per class, per text",
        *_class_table(per_text),
        "",
        "### Per class, per row",
        *_class_table(per_row),
        "",
        "## How it runs",
        (
            "Inference is batched numpy over integer feature keys (no scikit-learn, no pickle): "
            "candidate subjects from anchors and the gazetteer, a light ranker over all of them, "
            "a rich ranker over the best 8 of each text (it reads the words after each candidate "
            "and in its own headline, up to the next stock code, and the part of speech jieba's "
            "dictionary gives the candidate and its first and last words), then a multinomial "
            "logistic "
            "event model over the text's char 1–2-grams, trigger words, the windows around the "
            "chosen subject's mentions and the subject's own headline. In news sentences (no "
            "stock code; a comma or a full stop) a small named logistic reranker, fitted on "
            "out-of-fold best-8 lists, picks among the rich ranker's best 8 (scores, rank, "
            "word classes, sources, an institution ending, position, order, nesting, mentions, "
            "list marks, length, and nine columns of a character-window tagger that scores "
            "where subjects start, end and run in the sentence); when it overrules the rich "
            "ranker, the features that moved "
            "the pick are among the subject's reasons. In glued stock "
            "headlines (texts with a stock code) the event model also reads the text for the "
            "rich ranker's runner-up, which becomes the subject when that reading carries a "
            "clearer reportable event by more than the rankers' margin. The event model is fitted "
            "without class re-weighting; one score offset per class, tuned on 3-fold "
            "out-of-fold scores inside the training part (never on the validation part), "
            "corrects the share of each class it predicts. Reasons are the largest feature "
            "contributions of the event model and of the subject ranker."
        ),
        "",
        "## Label noise and what was decided",
        (
            "The same (text, subject) pair is often labelled twice, e.g. 涉嫌违法 and "
            "涉嫌非法集资. No rule preferring 涉嫌非法集资 is applied: on the "
            "validation split even an oracle that picks 涉嫌非法集资 whenever a text "
            "carries it scores lower per row (F1 0.832) than one that picks each text's "
            "majority label (0.844), so the model keeps the label the data supports most. "
            "For the platform's purpose (illegal fundraising) read the probability of "
            "涉嫌非法集资 next to the category: 涉嫌违法 with a high "
            "涉嫌非法集资 probability is the same lead."
        ),
        "",
        "## Known limits",
        (
            "* Label noise: overlapping event types "
            "(涉嫌违法 / 涉嫌非法集资 / 涉嫌欺诈 / 高管负面) "
            "are used inconsistently; the per-row numbers are bounded well below 1 by the data."
        ),
        (
            "* Half the data are three concatenated stock headlines; which company is the subject "
            "there is often a guess between several events — subject accuracy is weakest there."
        ),
        "* Rare classes (歇业停业, 失联跑路, 提现困难, 投诉维权) have a few dozen examples each.",
        (
            "* The news is from 2011–2019; new platform names are found by their form and context, "
            "not by the gazetteer."
        ),
        (
            "* Not for: legal decisions, credit or compliance scoring of named parties, or texts "
            "outside Chinese financial news."
        ),
    ]
    return "\n".join(lines) + "\n"


def _calibration(metrics: Mapping[str, Any]) -> str:
    tuned = metrics.get("calibration") or {}
    valid = tuned.get("validation") or {}
    text = (
        f"Softmax temperature {tuned.get('temperature')} ({tuned.get('protocol')}); it sharpens "
        "or softens the probabilities (and so the model's share of `risk_score`, "
        "P(fraud) = 1 − P(正常短信)) without changing any category."
    )
    if valid:
        text += (
            f" P(fraud) on validation at temperature 1 → at the chosen one: log loss "
            f"{valid['before']['log_loss']} → {valid['after']['log_loss']}, Brier "
            f"{valid['before']['brier']} → {valid['after']['brier']}."
        )
    return text


def sms_card(manifest: Manifest) -> str:
    """The model card of an ``sms-fraud`` artefact."""
    m = manifest.metrics
    loan = m.get("loan_fraud") or {}
    lines = [
        "# sms-fraud — telecom-fraud type of short texts",
        "",
        "## Data",
        (
            f"Trained on `{manifest.training_data['file']}` (sha256 "
            f"`{manifest.training_data['sha256']}`, {manifest.training_data['rows']} rows), the "
            "Telecom_Fraud_Texts_5 corpus (Li, Zhang & Jiang, Appl. Sci. 2024) with 20 % kept back "
            "by the project. **Licence: research-only and non-commercial (README terms over a GPL "
            "file) — do not ship this artefact in a product.**"
        ),
        "",
        "## Intended use",
        (
            "Flagging short texts that read like loan / credit-card intermediary fraud, "
            "impersonation "
            "of police or officials, fake customer service, or a fake boss/acquaintance — for an "
            "analyst to review. Not a spam filter to act on automatically and not evidence."
        ),
        "",
        "## Validation",
        _split(m),
        "",
        (
            f"Accuracy {m.get('accuracy')}, macro F1 {m.get('macro_f1')}; loan fraud "
            f"({'贷款、代办信用卡类'}) F1 {loan.get('f1')}; fraud-vs-normal F1 "
            f"{m.get('fraud_vs_normal', {}).get('f1')}."
        ),
        "",
        *_class_table(m),
        "",
        "## Probabilities",
        _calibration(m),
        "",
        "## Style shift and what was done about it",
        (
            "The normal class is real operator SMS with the corpus's placeholders (DIGIT, URL, "
            "PLACE, NAME), sender tags 【…】 and opt-out text; the fraud classes are narrative "
            "transcripts, many paraphrased by a language model. Before any feature is taken, "
            "sender "
            "tags and opt-out phrases are removed and numbers, links and placeholders are unified "
            "for both classes, so the model cannot tell them apart by those marks. Style probe "
            f"(fraud texts wrapped as an operator SMS): {m.get('style_probe')}. The remaining "
            "difference in register (narrative vs. notice) is still learnable, so **the validation "
            "numbers overstate performance on real SMS**."
        ),
        "",
        "## Known limits",
        "* Real fraud SMS are shorter and terser than these transcripts; expect lower recall.",
        (
            "* `risk_score` also reads the lexicon's loan-fraud pitches, telecom-fraud scripts and "
            "staff claims, which do not depend on this model: a terse fraud SMS it reads as "
            "正常短信 can still score high, with those signals as the reasons."
        ),
        (
            "* Not for: blocking messages or judging senders without review; languages other than "
            "Chinese."
        ),
    ]
    return "\n".join(lines) + "\n"


__all__ = ["news_card", "sms_card"]
