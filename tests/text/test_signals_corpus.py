"""Quality on real corpora (research data read at run time, never copied into the repository).

These are regression guards with a margin below the measured figures (in the comments), not
benchmarks: a lexicon or pattern change that makes ordinary SMS fire, or stops the fraud
classes firing, or breaks organisation names in news, fails here.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from smokewatch.text.mentions import MentionKind, find_mentions
from smokewatch.text.signals import find_signals

pytestmark = pytest.mark.slow


def _sms(shared_data: Path) -> dict[str, list[str]]:
    path = shared_data / "telecom-fraud-texts" / "telecom_fraud_texts_utf8.csv"
    by_label: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_label[row["label_id"]].append(row["content"])
    return by_label


def _share(texts: list[str], kinds: tuple[str, ...] = ()) -> float:
    hits = 0
    for text in texts:
        signals = find_signals(text).signals
        hits += any(not kinds or s.kind.startswith(kinds) for s in signals)
    return hits / len(texts)


def test_ordinary_sms_rarely_fire(shared_data: Path) -> None:
    normal = _sms(shared_data)["0"]
    assert len(normal) > 5000
    assert _share(normal) < 0.01  # measured 0.4 %, mostly real property and loan ads


def test_impersonation_sms_fire_as_impersonation(shared_data: Path) -> None:
    officials = _sms(shared_data)["1"]
    assert _share(officials, ("impersonation.official",)) > 0.5  # measured 62 %


def test_loan_fraud_sms_fire_as_lending_far_more_often_than_ordinary_sms(
    shared_data: Path,
) -> None:
    by_label = _sms(shared_data)
    loans = _share(by_label["2"], ("lending.",))  # measured 15 %
    ordinary = _share(by_label["0"], ("lending.",))  # measured 0.05 %
    assert loans > 0.1
    assert loans > 20 * ordinary


def test_organisation_names_in_financial_news_are_found_exactly(shared_data: Path) -> None:
    rows = json.loads(
        (shared_data / "finnsp-negative-entity" / "finnsp_train_list.json").read_text(
            encoding="utf-8"
        )
    )[1:]
    registered = re.compile(r"(有限公司|有限责任公司|集团|银行|事务所|合作社)$")
    labelled = found = 0
    for row in rows:
        text = row[2]
        names = {m.text for m in find_mentions(text) if m.kind is MentionKind.ORGANISATION}
        for entity in (e for e in row[3].split(";") if registered.search(e) and e in text):
            labelled += 1
            found += entity in names
    assert labelled > 1000
    assert found / labelled > 0.78  # measured 84 %
