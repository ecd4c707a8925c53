"""The text reader as a service: one record per text, every number with its evidence.

:class:`TextAnalyzer` reads ``(id, text)`` pairs with the rules of :mod:`smokewatch.text`
(promised returns, lure and typology words, reported events, entity mentions) and, when a
trained model is given, the model's category and subject. Each record keeps ``id`` and adds:

- ``category`` — the event type (news model) or SMS class (SMS model) exactly as in the
  training data; null without a model;
- ``subject`` — what the text is about: the news model's subject; without a model, or with
  the SMS model (which reads no subject), the company or platform a reported event is about,
  else the first one named that is not the party of a claim (the bank in 与中国工商银行合作);
  or null;
- ``risk_score`` — 0–1, a noisy-OR of the pieces listed in ``explanation.risk_factors``
  (:func:`risk_score`): the model's probability of illegal finance or fraud, each distinct
  affirmed word and event word with its lexicon weight, and the strongest stated return by its
  band (:data:`RETURN_RISK`);
- ``promised_returns`` — ``{"text", "annual_rate", "unit", "span", "basis", "kind", "band",
  "benchmark"}`` per stated return (``annual_rate`` in percent per year; returns inside
  negations or warnings are left out);
- ``signals`` — ``{"kind", "text", "span", "weight", "source"}`` per affirmed lure or typology
  word; ``discounted`` — the same for words inside negations, warnings or names, with the rule,
  the cue and the reason;
- ``events`` — illegal-finance events the text reports (立案侦查, 无法提现, 跑路 …), by rule;
- ``mentions`` — ``{"kind", "text", "span", "value"}`` for companies, platforms, phones, URLs,
  WeChat and QQ ids, e-mails, amounts and places;
- ``explanation`` — the model's probabilities and strongest features, and the risk factors.

Batch files are read and written by :mod:`smokewatch.services.text_files`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from smokewatch.text.events import find_events
from smokewatch.text.mentions import Mention, MentionKind, find_mentions, name_spans
from smokewatch.text.models import TextModel, TextPrediction, load_text_model
from smokewatch.text.rates import Benchmarks, Deviation, deviation, load_benchmarks
from smokewatch.text.returns import PromisedReturn, extract_returns
from smokewatch.text.signals import Signal, find_signals

ILLEGAL_FINANCE_EVENTS = frozenset(
    {"涉嫌非法集资", "涉嫌传销", "涉嫌欺诈", "提现困难", "失联跑路", "歇业停业", "投诉维权"}
)
"""News event types of illegal finance (the group the platform warns on)."""

NORMAL_SMS = "正常短信"
"""The SMS class of ordinary messages."""

RETURN_RISK = {"market": 0.05, "elevated": 0.35, "high": 0.6, "above_legal_ceiling": 0.85}
"""How much a stated return adds to the risk score, by its deviation band."""

TOP_PROBABILITIES = 3
"""Model probabilities shown in the explanation (the largest ones)."""

_NAMES = (MentionKind.ORGANISATION, MentionKind.PLATFORM)


@dataclass(frozen=True, slots=True)
class RiskFactor:
    """One independent indication that raised the risk score, and by how much alone."""

    source: str
    """``model``, ``signal``, ``event`` or ``return``."""
    label: str
    """What it is: the model's reading, the word, the event word or the stated return."""
    weight: float
    """Its weight in the noisy-OR (0..1)."""


def model_probability(prediction: TextPrediction | None, task: str | None) -> float:
    """The model's probability that the text is about illegal finance or fraud.

    For the news model the probabilities of the illegal-finance event types are summed; for
    the SMS model it is one minus the probability of an ordinary message.
    """
    if prediction is None:
        return 0.0
    if task == "sms-fraud":
        return 1.0 - float(prediction.probabilities.get(NORMAL_SMS, 0.0))
    return float(
        sum(p for label, p in prediction.probabilities.items() if label in ILLEGAL_FINANCE_EVENTS)
    )


def risk_score(factors: Sequence[RiskFactor]) -> float:
    """``1 − Π(1 − weight)`` over the factors: independent indications (noisy-OR).

    Every factor can only raise the score and none alone reaches 1. A word or event repeated
    in the text counts once (the caller passes distinct factors).

    Examples:
        >>> risk_score([RiskFactor("signal", "保本保息", 0.6), RiskFactor("return", "36%", 0.8)])
        0.92
        >>> risk_score([])
        0.0
    """
    keep = 1.0
    for factor in factors:
        keep *= 1.0 - max(0.0, min(1.0, factor.weight))
    return round(1.0 - keep, 4)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _distinct(signals: Sequence[Signal]) -> dict[str, float]:
    strongest: dict[str, float] = {}
    for signal in signals:
        strongest[signal.term] = max(strongest.get(signal.term, 0.0), signal.weight)
    return strongest


def _signal(signal: Signal) -> dict[str, Any]:
    return {
        "kind": signal.kind,
        "text": signal.text,
        "span": [signal.start, signal.end],
        "weight": signal.weight,
        "source": signal.source,
    }


def _discounted(signal: Signal) -> dict[str, Any]:
    return {
        **_signal(signal),
        "rule": signal.rule,
        "cue": signal.cue,
        "reason_zh": signal.reason_zh,
        "reason_en": signal.reason_en,
    }


def _mention(mention: Mention) -> dict[str, Any]:
    return {
        "kind": str(mention.kind),
        "text": mention.text,
        "span": [mention.start, mention.end],
        "value": str(mention.value) if mention.value is not None else None,
    }


def _return(promised: PromisedReturn, found: Deviation | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "text": promised.text,
        "annual_rate": _number(promised.annual_rate),
        "unit": str(promised.unit),
        "span": [promised.start, promised.end],
        "basis": promised.basis,
        "kind": str(promised.kind),
        "band": None,
        "benchmark": None,
    }
    if found is not None:
        record["band"] = str(found.band)
        record["benchmark"] = {
            "series": found.benchmark.series,
            "rate": float(found.benchmark.value),
            "since": found.benchmark.effective_from.isoformat(),
            "multiple": float(found.multiple),
            "legal_ceiling": float(found.legal_ceiling),
            "note_zh": found.describe("zh"),
            "note_en": found.describe("en"),
        }
    return record


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a str holds surrogates only unpaired


def _characters(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (one for one)."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


@dataclass(slots=True)
class TextAnalyzer:
    """Analyses texts: the rules always, a trained model when one is given.

    Args:
        model: a loaded text model, or ``None`` for the rules only.
        benchmarks: the benchmark rates returns are compared with.
        as_of: the day returns are assessed on (the benchmark in force that day).
        within_adcode: resolve place names inside this division first (see
            :func:`smokewatch.text.mentions.find_mentions`).
    """

    model: TextModel | None
    benchmarks: Benchmarks
    as_of: date
    within_adcode: str | None = None

    @classmethod
    def open(
        cls, model_dir: Path | None, *, as_of: date | None = None, within_adcode: str | None = None
    ) -> TextAnalyzer:
        """An analyzer with the verified model in ``model_dir`` (or the rules only).

        Raises:
            ConfigError: ``model_dir`` is not a text model, or a file changed after training.
        """
        model = load_text_model(model_dir) if model_dir is not None else None
        return cls(model, load_benchmarks(), as_of or datetime.now(UTC).date(), within_adcode)

    def warm_up(self) -> None:
        """Load what the first text would: word lists, jieba, divisions, the model's tables.

        Timing a run after this measures the reading, not the start-up.
        """
        self.analyze([("warm-up", "芜湖鑫源财富管理有限公司承诺年化12%，保本保息，涉嫌非法集资")])

    @property
    def task(self) -> str | None:
        """The model's task (``news-events`` or ``sms-fraud``), ``None`` for the rules only."""
        return self.model.task if self.model is not None else None

    def analyze(self, items: Sequence[tuple[Any, str]]) -> list[dict[str, Any]]:
        r"""Analyse ``(id, text)`` pairs; one record each, in order.

        A lone surrogate (a JSON escape such as ``\ud800`` without its pair: no character) is
        read as U+FFFD, so spans keep their places and every output string is valid UTF-8.
        """
        texts = [_characters(text) for _, text in items]
        predictions: Sequence[TextPrediction | None] = (
            self.model.predict(texts) if self.model is not None else [None] * len(texts)
        )
        return [
            self.record(identifier, text, prediction)
            for (identifier, _), text, prediction in zip(items, texts, predictions, strict=True)
        ]

    def record(
        self, identifier: Any, text: str, prediction: TextPrediction | None
    ) -> dict[str, Any]:
        """The output record of one text (see the module docstring for its fields)."""
        mentions = find_mentions(text, within=self.within_adcode)
        lure = find_signals(text).outside_names(name_spans(mentions))
        events = find_events(text, mentions=mentions)
        returns = [r for r in extract_returns(text) if not r.negated]
        deviations = [self._deviation(r) for r in returns]
        factors = self._factors(prediction, lure.signals, events.events, returns, deviations)
        return {
            "id": identifier,
            "category": prediction.category if prediction is not None else None,
            "subject": self._subject(prediction, events.subject, mentions, lure.signals),
            "risk_score": risk_score(factors),
            "promised_returns": [_return(r, d) for r, d in zip(returns, deviations, strict=True)],
            "signals": [_signal(s) for s in lure.signals],
            "discounted": [_discounted(s) for s in (*lure.discounted, *events.discounted)],
            "events": [_signal(s) for s in events.events],
            "mentions": [_mention(m) for m in mentions],
            "explanation": self._explanation(prediction, factors),
        }

    def _subject(
        self,
        prediction: TextPrediction | None,
        event_subject: Mention | None,
        mentions: list[Mention],
        signals: Sequence[Signal],
    ) -> str | None:
        if prediction is not None and self.task == "news-events":
            return prediction.subject  # the model may say no company is the subject
        if event_subject is not None:
            return event_subject.text
        parties = {s.value for s in signals if s.value}  # 中国工商银行 in 与中国工商银行合作
        names = (m.text for m in mentions if m.kind in _NAMES and m.text not in parties)
        return next(names, None)

    def _deviation(self, promised: PromisedReturn) -> Deviation | None:
        if promised.annual_rate is None or promised.annual_rate <= 0:
            return None
        return deviation(promised.annual_rate, self.as_of, self.benchmarks)

    def _factors(
        self,
        prediction: TextPrediction | None,
        signals: Sequence[Signal],
        events: Sequence[Signal],
        returns: Sequence[PromisedReturn],
        deviations: Sequence[Deviation | None],
    ) -> list[RiskFactor]:
        factors: list[RiskFactor] = []
        if prediction is not None:
            label = f"{self.task}: {prediction.category}"
            factors.append(RiskFactor("model", label, model_probability(prediction, self.task)))
        factors += [RiskFactor("signal", t, w) for t, w in _distinct(signals).items()]
        factors += [RiskFactor("event", t, w) for t, w in _distinct(events).items()]
        assessed = [
            (RETURN_RISK[str(found.band)], promised.text)
            for promised, found in zip(returns, deviations, strict=True)
            if found is not None
        ]
        if assessed:
            weight, text = max(assessed, key=lambda a: a[0])
            factors.append(RiskFactor("return", text, weight))
        return factors

    def _explanation(
        self, prediction: TextPrediction | None, factors: Sequence[RiskFactor]
    ) -> dict[str, Any]:
        explanation: dict[str, Any] = {
            "risk_factors": [
                {"source": f.source, "label": f.label, "weight": round(f.weight, 4)}
                for f in factors
            ],
            "model": None,
        }
        if prediction is not None:
            top = sorted(prediction.probabilities.items(), key=lambda kv: -kv[1])
            explanation["model"] = {
                "task": self.task,
                "probabilities": {k: round(v, 4) for k, v in top[:TOP_PROBABILITIES]},
                "subject_score": prediction.subject_score,
                "reasons": [
                    {"feature": r.feature, "weight": round(r.weight, 4)} for r in prediction.reasons
                ],
            }
        return explanation


__all__ = [
    "ILLEGAL_FINANCE_EVENTS",
    "NORMAL_SMS",
    "RETURN_RISK",
    "RiskFactor",
    "TextAnalyzer",
    "model_probability",
    "risk_score",
]
