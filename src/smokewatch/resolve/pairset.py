"""A labelled set of organisation-name pairs built from real names, split dev/test by entity.

The names come from three public data sets the user points at (never shipped, never copied):

* ``p2p-platforms-wdzj``: each platform's name (platName) and its operator's legal name
  (companyName) are one organisation — a *platform* pair;
* ``finese-event-subject``: news subjects equal to a wdzj platform name are that platform's
  operator (a *news* pair), and news that writes ``X有限公司（"Y"平台）`` links Y to X;
* ``cn-licensed-banks-nfra``: every licensed bank's legal name against spellings people write —
  without the form, without 中国, traditional characters, full-width brackets and spaces
  (a *bank* pair). Abbreviations the resolver knows as aliases (工行) are deliberately not
  generated, so the set does not test the resolver's own lists.

Non-matching pairs are what a blocker would put in front of the comparer: for each matching
pair's left name, the two legal names of *other* organisations in the same split sharing the
most characters with it (hard negatives), and one at random. A pair's split is decided by a
hash of its organisation, so no organisation is on both sides; negatives are drawn within a
split. Operators that run several platforms make one organisation with several names.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import opencc

from smokewatch.errors import InvalidInput
from smokewatch.resolve.names import clean_name, parse_org_name

TEST_SHARE = 0.5
"""Share of organisations (by hash) in the test split."""

HARD_NEGATIVES = 2
RANDOM_NEGATIVES = 1
_SUBJECT_IN_TEXT = re.compile(
    r"([\u4e00-\u9fff()（）]{4,40}?(?:有限公司|有限责任公司))[（(]“?([^”）)]{2,12})”?"
)


@dataclass(frozen=True, slots=True)
class Pair:
    """Two names, whether they are one organisation, where the pair comes from, its split."""

    left: str
    right: str
    match: bool
    kind: str
    split: str
    entity: str
    negative: str
    """How a non-matching pair was drawn: ``hard`` (shares the most characters) or ``random``."""


def _split(entity: str) -> str:
    digest = int(hashlib.sha256(entity.encode("utf-8")).hexdigest()[:8], 16)
    return "test" if digest / 0xFFFFFFFF < TEST_SHARE else "dev"


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise InvalidInput(f"missing data file: {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def _platform_pairs(folder: Path) -> list[tuple[str, str, str, str]]:
    """(left, right, kind, entity) from the wdzj profiles and the FinESE subjects."""
    legal_by_platform: dict[str, str] = {}
    out: list[tuple[str, str, str, str]] = []
    for file in ("platDataDetail.csv", "problemPlatDetail.csv"):
        for row in _read_csv(folder / "p2p-platforms-wdzj" / file):
            platform, legal = (row.get("platName") or "").strip(), (row.get("companyName") or "")
            legal = legal.strip()
            if not platform or not legal or legal == "nan" or clean_name(platform) == "":
                continue
            legal_by_platform.setdefault(clean_name(platform), legal)
            out.append((platform, legal, "platform", clean_name(legal)))
    news = folder / "finese-event-subject" / "finese_train_list.json"
    if not news.is_file():
        raise InvalidInput(f"missing data file: {news}")
    seen: set[tuple[str, str]] = set()
    for _id, text, event, subject in json.loads(news.read_text(encoding="utf-8")):
        if event == "其他" or not subject or subject == "NaN":
            continue
        operator = legal_by_platform.get(clean_name(subject))
        if operator is not None and clean_name(subject) != clean_name(operator):
            key = (subject, operator)
        else:
            found = next(
                (m for m in _SUBJECT_IN_TEXT.finditer(text) if m.group(2) == subject), None
            )
            if found is None:
                continue
            key = (subject, found.group(1))
        if key not in seen:
            seen.add(key)
            out.append((key[0], key[1], "news", clean_name(key[1])))
    return out


def _bank_variants(name: str, s2t: opencc.OpenCC) -> list[str]:
    parsed = parse_org_name(name)
    without_form = name[: len(name) - len(parsed.form or "")] if parsed.form else name
    if parsed.form and not name.endswith(parsed.form):
        without_form = name.replace("股份有限公司", "").replace("有限责任公司", "")
    variants = {
        without_form,
        str(s2t.convert(name)),
        " ".join(name),
        name.replace("(", "（").replace(")", "）"),
    }
    if without_form.startswith("中国") and len(without_form) > 4:
        variants.add(without_form[2:])
    variants.discard(name)
    return sorted(v for v in variants if v)


def _bank_pairs(folder: Path) -> list[tuple[str, str, str, str]]:
    s2t = opencc.OpenCC("s2t")
    out: list[tuple[str, str, str, str]] = []
    path = folder / "cn-licensed-banks-nfra" / "nfra_2025-12-31_banks_partial.csv"
    for row in _read_csv(path):
        name = row["name"].strip()
        out.extend(
            (variant, name, "bank", clean_name(name)) for variant in _bank_variants(name, s2t)
        )
    return out


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _bigram_index(legal: dict[str, str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for entity in sorted(legal):
        for gram in _bigrams(entity):
            index.setdefault(gram, []).append(entity)
    return index


@dataclass
class _Pool:
    """Legal names of one split, indexed by character bigram, to draw negatives from."""

    legal: dict[str, str]
    rng: random.Random
    index: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = _bigram_index(self.legal)

    def negatives(self, left: str, entity: str) -> list[tuple[str, str]]:
        """(name, "hard"|"random") of other organisations for the name ``left``."""
        probe = _bigrams(parse_org_name(left).core or clean_name(left))
        overlap: dict[str, int] = {}
        for gram in probe:
            for other in self.index.get(gram, ()):
                if other != entity:
                    overlap[other] = overlap.get(other, 0) + 1
        ranked = sorted(overlap, key=lambda e: (-overlap[e], e))[:HARD_NEGATIVES]
        others = sorted(self.legal)
        drawn = self.rng.sample(others, min(RANDOM_NEGATIVES + 1, len(others)))
        randoms = [e for e in drawn if e != entity][:RANDOM_NEGATIVES]
        return [(self.legal[e], "hard") for e in ranked] + [
            (self.legal[e], "random") for e in randoms
        ]


def build_pairs(data: str | Path, seed: int = 20261121) -> list[Pair]:
    """Build the labelled pairs from the shared data folder (see the module docstring)."""
    folder = Path(data)
    positives = _platform_pairs(folder) + _bank_pairs(folder)
    legal_names: dict[str, dict[str, str]] = {"dev": {}, "test": {}}
    for _left, right, _kind, entity in positives:
        legal_names[_split(entity)].setdefault(entity, right)
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    pools = {split: _Pool(names, rng) for split, names in legal_names.items()}
    pairs: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    for left, right, kind, entity in positives:
        split = _split(entity)
        if (left, right) in seen:
            continue
        seen.add((left, right))
        pairs.append(Pair(left, right, True, kind, split, entity, ""))
        for name, how in pools[split].negatives(left, entity):
            if (left, name) not in seen:
                seen.add((left, name))
                pairs.append(Pair(left, name, False, kind, split, entity, how))
    return pairs


@dataclass(frozen=True, slots=True)
class Metrics:
    """Precision and recall of decisions on a set of pairs."""

    pairs: int
    matches: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Share of predicted matches that are matches (1.0 when nothing was predicted)."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of matches predicted."""
        return self.true_positives / self.matches if self.matches else 1.0


def measure(labelled: Iterable[tuple[Pair, bool]]) -> Metrics:
    """Count decisions (``(pair, predicted match)``) against the labels."""
    tp = fp = fn = n = m = 0
    for pair, predicted in labelled:
        n += 1
        m += pair.match
        tp += pair.match and predicted
        fp += (not pair.match) and predicted
        fn += pair.match and not predicted
    return Metrics(n, m, tp, fp, fn)


def evaluate(
    pairs: Iterable[Pair], decide: Callable[[str, str], bool], split: str = "test"
) -> dict[str, Metrics]:
    """Metrics of ``decide(left, right)`` on one split, per kind and overall.

    ``kind`` counts every non-matching pair; ``kind/random`` only the randomly drawn ones.
    """
    decided = [(p, decide(p.left, p.right)) for p in pairs if p.split == split]
    out: dict[str, Metrics] = {}
    for kind in [*sorted({p.kind for p, _ in decided}), "all"]:
        chosen = [(p, d) for p, d in decided if kind in ("all", p.kind)]
        out[kind] = measure(chosen)
        out[f"{kind}/random"] = measure((p, d) for p, d in chosen if p.negative != "hard")
    return out


__all__ = ["Metrics", "Pair", "build_pairs", "evaluate", "measure"]
